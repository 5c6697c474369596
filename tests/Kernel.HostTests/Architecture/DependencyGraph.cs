// The component dependency graph found in the sources: its components, its edges, and the edges the rules forbid.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Kernel.HostTests.Architecture;

public sealed class DependencyGraph
{
    public DependencyGraph(IEnumerable<string> sourceComponents, IEnumerable<DependencyReference> references)
    {
        Edges = references
            .Where(r => r.From != r.To)
            .Distinct()
            .GroupBy(r => (r.From, r.To))
            .Select(g => new DependencyEdge(g.Key.From, g.Key.To, g.OrderBy(r => r.Path, StringComparer.Ordinal)
                .ThenBy(r => r.Line)
                .ThenByDescending(r => r.Symbol.Length)
                .ThenBy(r => r.Symbol, StringComparer.Ordinal)
                .ToList()))
            .OrderBy(e => e.From, StringComparer.Ordinal)
            .ThenBy(e => e.To, StringComparer.Ordinal)
            .ToList();

        Components = sourceComponents
            .Concat(Edges.SelectMany(e => new[] { e.From, e.To }))
            .Distinct()
            .OrderBy(c => c, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every component that declares checked code or is referenced by it, sorted.</summary>
    public IReadOnlyList<string> Components { get; }

    /// <summary>Every edge between two different components, sorted by From then To.</summary>
    public IReadOnlyList<DependencyEdge> Edges { get; }

    /// <summary>
    /// The edges the rules forbid, sorted. Edges out of a component the rules do not list are left to
    /// <see cref="Unlisted"/>, which names the component once instead of flagging each of its edges.
    /// </summary>
    public List<DependencyEdge> Violations(LayerRules rules) =>
        Edges.Where(e => rules.Contains(e.From) && !rules.IsAllowed(e.From, e.To)).ToList();

    /// <summary>The components found in the sources that the rules do not list, sorted.</summary>
    public List<string> Unlisted(LayerRules rules) => Components.Where(c => !rules.Contains(c)).ToList();

    /// <summary>Every edge, one per line with its reference count and example, forbidden ones marked.</summary>
    public string Describe(LayerRules rules)
    {
        StringBuilder text = new StringBuilder();
        foreach (DependencyEdge edge in Edges)
        {
            string mark = !rules.Contains(edge.From) ? "  UNLISTED" : rules.IsAllowed(edge.From, edge.To) ? "" : "  VIOLATION";
            text.AppendLine($"{edge.From} -> {edge.To}: {edge.References.Count} reference(s), e.g. {edge.Example.Where}{mark}");
        }

        return text.ToString();
    }

    /// <summary>The failure message: a count, then each forbidden edge with its example, one per line.</summary>
    public static string FormatViolations(IReadOnlyList<DependencyEdge> violations)
    {
        StringBuilder text = new StringBuilder();
        text.AppendLine($"{violations.Count} forbidden dependency edge(s) (see Architecture/layers.txt):");
        foreach (DependencyEdge edge in violations)
        {
            text.AppendLine(edge.ToString());
        }

        return text.ToString();
    }
}
