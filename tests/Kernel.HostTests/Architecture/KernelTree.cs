// The repository's sources and their dependency graph, read and compiled once per test run and shared by the tests.
using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Kernel.HostTests.Architecture;

public sealed class KernelTree
{
    private static readonly Lazy<KernelTree> Shared = new Lazy<KernelTree>(Load);

    private KernelTree(string root, List<KernelSource> sources, LayeringChecker checker, DependencyGraph graph, TimeSpan elapsed)
    {
        Root = root;
        Sources = sources;
        Checker = checker;
        Graph = graph;
        Elapsed = elapsed;
    }

    /// <summary>The tree of this repository, built on first use.</summary>
    public static KernelTree Current => Shared.Value;

    public string Root { get; }

    public IReadOnlyList<KernelSource> Sources { get; }

    public LayeringChecker Checker { get; }

    public DependencyGraph Graph { get; }

    /// <summary>How long reading, compiling and walking the sources took.</summary>
    public TimeSpan Elapsed { get; }

    private static KernelTree Load()
    {
        Stopwatch watch = Stopwatch.StartNew();
        string root = RepoSources.FindRoot();
        List<KernelSource> sources = RepoSources.Read(root);
        LayeringChecker checker = new LayeringChecker(sources);
        DependencyGraph graph = checker.FindDependencies();
        return new KernelTree(root, sources, checker, graph, watch.Elapsed);
    }
}
