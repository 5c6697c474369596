// The layering test of the real tree: every reference in kernel/ and efi/ points down the order in layers.txt.
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kernel.HostTests.Architecture;

public class LayeringTests
{
    private readonly ITestOutputHelper _output;

    public LayeringTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void NoComponentDependsOnAComponentAboveIt()
    {
        List<DependencyEdge> violations = KernelTree.Current.Graph.Violations(LayerRules.LoadDefault());

        Assert.True(violations.Count == 0, DependencyGraph.FormatViolations(violations));
    }

    [Fact]
    public void EveryComponentInTheSourcesIsListedInLayers()
    {
        List<string> unlisted = KernelTree.Current.Graph.Unlisted(LayerRules.LoadDefault());

        Assert.True(unlisted.Count == 0, "Components missing from Architecture/layers.txt: " + string.Join(", ", unlisted));
    }

    /// <summary>
    /// Prints each component's real dependencies (run with --logger "console;verbosity=detailed" to see them), and
    /// checks the walk found the tree: every kernel folder a component, and some known edges.
    /// </summary>
    [Fact]
    public void PrintsTheWholeTreesEdges()
    {
        KernelTree tree = KernelTree.Current;
        LayerRules rules = LayerRules.LoadDefault();
        _output.WriteLine($"{tree.Sources.Count} files read, compiled and walked in {tree.Elapsed.TotalMilliseconds:F0} ms");
        List<Microsoft.CodeAnalysis.Diagnostic> errors = tree.Checker.CompileErrors();
        _output.WriteLine($"{errors.Count} compile error(s); a reference that fails to bind is not seen:");
        foreach (Microsoft.CodeAnalysis.Diagnostic error in errors.Take(20))
        {
            _output.WriteLine("  " + error);
        }

        _output.WriteLine($"components: {string.Join(" ", tree.Graph.Components)}");
        _output.WriteLine(tree.Graph.Describe(rules));

        List<string> kernelFolders = tree.Sources
            .Where(s => s.Path.StartsWith("kernel/", System.StringComparison.Ordinal))
            .Select(s => s.Path.Split('/'))
            .Where(parts => parts.Length > 2)
            .Select(parts => parts[parts.Length - 2])
            .Distinct()
            .ToList();
        Assert.NotEmpty(kernelFolders);
        Assert.All(kernelFolders, folder => Assert.Contains(folder, tree.Graph.Components));
        Assert.Contains(tree.Graph.Edges, e => e.From == "Boot" && e.To == ComponentNames.Corelib);
        Assert.Contains(tree.Graph.Edges, e => e.From == ComponentNames.Efi && e.To == ComponentNames.Corelib);
    }
}
