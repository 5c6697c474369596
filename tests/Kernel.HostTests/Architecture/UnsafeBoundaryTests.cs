// The unsafe boundary, checked on the real tree: the chapter and Boot projects compile with unsafe code off and
// hold no `unsafe` at all, and the shim's externs (Arch.Native) are named only inside the low layer.
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Kernel.HostTests.Architecture;

public class UnsafeBoundaryTests
{
    private static readonly Regex UnsafeKeyword = new Regex(@"\bunsafe\b", RegexOptions.Compiled);

    [Theory]
    [InlineData("kernel/Kernel.Chapters.csproj")]
    [InlineData("kernel/Boot/Kernel.csproj")]
    public void SafeProjectsTurnUnsafeCodeOff(string project)
    {
        XDocument document = XDocument.Load(Path.Combine(KernelTree.Current.Root, project));
        string[] settings = document.Descendants("AllowUnsafeBlocks").Select(e => e.Value.Trim()).ToArray();

        Assert.Equal(new[] { "false" }, settings);
    }

    [Fact]
    public void NoSourceOfASafeProjectSaysUnsafe()
    {
        string[] offenders = KernelTree.Current.Sources
            .Where(s => IsInSafeProject(s.Path) && UnsafeKeyword.IsMatch(WithoutComments(s.Text)))
            .Select(s => s.Path)
            .ToArray();

        Assert.True(offenders.Length == 0, "unsafe in a project built with unsafe off: " + string.Join(", ", offenders));
    }

    [Fact]
    public void OnlyTheLowLayerNamesTheShimExterns()
    {
        string[] offenders = KernelTree.Current.Graph.Edges.SelectMany(e => e.References)
            .Where(r => r.Symbol.StartsWith("Arch.Native.", System.StringComparison.Ordinal) && !r.Path.StartsWith("kernel/Platform/", System.StringComparison.Ordinal))
            .Select(r => r.Where)
            .ToArray();

        Assert.True(offenders.Length == 0, "shim externs used outside kernel/Platform: " + string.Join(", ", offenders));
    }

    [Fact]
    public void TheUnsafeCheckSeesTheLowLayer()
    {
        // Guards the two tests above against a path or pattern that matches nothing: the low layer does say unsafe.
        Assert.Contains(KernelTree.Current.Sources, s => s.Path.StartsWith("kernel/Platform/", System.StringComparison.Ordinal) && UnsafeKeyword.IsMatch(WithoutComments(s.Text)));
        Assert.Contains(KernelTree.Current.Graph.Edges.SelectMany(e => e.References), r => r.Symbol.StartsWith("Arch.Native.", System.StringComparison.Ordinal));
    }

    // The chapters (every kernel folder outside Platform, Testing and Boot) and Boot itself.
    private static bool IsInSafeProject(string path) =>
        path.StartsWith("kernel/", System.StringComparison.Ordinal)
        && !path.StartsWith("kernel/Platform/", System.StringComparison.Ordinal)
        && !path.StartsWith("kernel/Testing/", System.StringComparison.Ordinal);

    private static string WithoutComments(string text) => Regex.Replace(text, @"//[^\n]*|/\*.*?\*/", "", RegexOptions.Singleline);
}
