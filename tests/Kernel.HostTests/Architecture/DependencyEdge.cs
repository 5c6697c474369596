// One arrow between two components, with every reference that makes it; the first one is the example.
using System.Collections.Generic;

namespace Kernel.HostTests.Architecture;

/// <param name="From">The depending component.</param>
/// <param name="To">The component depended on.</param>
/// <param name="References">
/// Every distinct reference making the edge, sorted by path and line, the most specific symbol of a line first
/// (Tasks.Executor.Run before Tasks.Executor, which the same expression also names).
/// </param>
public sealed record DependencyEdge(string From, string To, IReadOnlyList<DependencyReference> References)
{
    /// <summary>The first reference, shown as the edge's example.</summary>
    public DependencyReference Example => References[0];

    /// <summary>"From -> To (path:line symbol)".</summary>
    public override string ToString() => $"{From} -> {To} ({Example.Where})";
}
