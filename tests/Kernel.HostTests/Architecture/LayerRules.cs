// The allowed dependency direction between kernel components, parsed from layers.txt ("Component: Dep Dep ...").
using System;
using System.Collections.Generic;
using System.IO;

namespace Kernel.HostTests.Architecture;

/// <summary>
/// Which components each component may depend on. Every dependency a line names must be listed on an earlier line,
/// so the file's order is the layering itself (bottom first) and no cycle can be written down.
/// </summary>
public sealed class LayerRules
{
    private readonly List<string> _components = new List<string>();
    private readonly Dictionary<string, HashSet<string>> _allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

    private LayerRules()
    {
    }

    /// <summary>The listed components, in file order (bottom first).</summary>
    public IReadOnlyList<string> Components => _components;

    /// <summary>Loads tests/Kernel.HostTests/Architecture/layers.txt (copied next to the test assembly).</summary>
    public static LayerRules LoadDefault() => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Architecture", "layers.txt")));

    /// <summary>Parses the layers format; throws <see cref="FormatException"/> naming the line of any mistake.</summary>
    public static LayerRules Parse(string text)
    {
        LayerRules rules = new LayerRules();
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line.Substring(0, hash);
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"layers line {i + 1}: expected \"Component: Dependency ...\", got \"{lines[i]}\"");
            }

            string component = line.Substring(0, colon).Trim();
            CheckName(component, i);
            if (rules._allowed.ContainsKey(component))
            {
                throw new FormatException($"layers line {i + 1}: {component} is listed twice");
            }

            HashSet<string> allowed = new HashSet<string>(StringComparer.Ordinal);
            string[] names = line.Substring(colon + 1).Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
            foreach (string name in names)
            {
                CheckName(name, i);
                if (!rules._allowed.ContainsKey(name))
                {
                    throw new FormatException(
                        $"layers line {i + 1}: {component} may depend on {name}, which is not listed above it (arrows point down)");
                }

                allowed.Add(name);
            }

            rules._components.Add(component);
            rules._allowed.Add(component, allowed);
        }

        return rules;
    }

    /// <summary>Whether the component is listed.</summary>
    public bool Contains(string component) => _allowed.ContainsKey(component);

    /// <summary>Whether code of <paramref name="from"/> may use <paramref name="to"/>; an unlisted <paramref name="from"/> may use nothing else.</summary>
    public bool IsAllowed(string from, string to) =>
        from == to || (_allowed.TryGetValue(from, out HashSet<string> allowed) && allowed.Contains(to));

    private static void CheckName(string name, int lineIndex)
    {
        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                throw new FormatException($"layers line {lineIndex + 1}: \"{name}\" is not a component name");
            }
        }
    }
}
