// The in-kernel test names, read from kernel/Testing/TestCatalog.cs, as xunit test data.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Kernel.BootTests.Harness;

/// <summary>
/// The in-kernel test names, read from kernel/Testing/TestCatalog.cs (its <c>new KernelTest("name", body[, shouldPanic: true][, ownBoot: true])</c>
/// entries) so that each kernel test shows up as its own xunit test and a new kernel test is picked up without edits here.
/// </summary>
public static class KernelTestCatalog
{
    private static readonly Lazy<IReadOnlyList<(string Name, bool ShouldPanic, bool OwnBoot)>> s_entries =
        new Lazy<IReadOnlyList<(string Name, bool ShouldPanic, bool OwnBoot)>>(() => Parse(File.ReadAllText(RepoPaths.TestCatalogSource)));

    /// <summary>Tests that run in a normal <c>test</c> boot, in catalog order.</summary>
    public static IReadOnlyList<string> NormalTests => s_entries.Value.Where(e => !e.ShouldPanic && !e.OwnBoot).Select(e => e.Name).ToList();

    /// <summary>Tests that need a machine of their own (devices QEMU adds only for them); each runs with <c>test=name</c>.</summary>
    public static IReadOnlyList<string> OwnBootTests => s_entries.Value.Where(e => e.OwnBoot).Select(e => e.Name).ToList();

    /// <summary>Tests that pass only by panicking; each needs its own boot with <c>test=name</c>.</summary>
    public static IReadOnlyList<string> ShouldPanicTests => s_entries.Value.Where(e => e.ShouldPanic).Select(e => e.Name).ToList();

    /// <summary>The normal tests of a group (names starting with group + ".").</summary>
    public static IReadOnlyList<string> NormalTestsInGroup(string group) => NormalTests.Where(n => n.StartsWith(group + ".", StringComparison.Ordinal)).ToList();

    /// <summary>xunit MemberData rows for <see cref="NormalTests"/>.</summary>
    public static IEnumerable<object[]> NormalTestData => NormalTests.Select(n => new object[] { n });

    /// <summary>xunit MemberData rows for <see cref="ShouldPanicTests"/>.</summary>
    public static IEnumerable<object[]> ShouldPanicTestData => ShouldPanicTests.Select(n => new object[] { n });

    /// <summary>Parses catalog source text; throws when it finds no entries or a duplicate name.</summary>
    internal static IReadOnlyList<(string Name, bool ShouldPanic, bool OwnBoot)> Parse(string source)
    {
        string code = Regex.Replace(source, @"//[^\n]*", "");
        // Each entry runs from one "new KernelTest(" to the next, so bodies may be lambdas or span lines.
        string[] chunks = Regex.Split(code, @"\bnew\s+KernelTest\s*\(");
        var entries = new List<(string Name, bool ShouldPanic, bool OwnBoot)>();
        for (int i = 1; i < chunks.Length; i++)
        {
            string chunk = chunks[i];
            int arrayEnd = chunk.IndexOf("};", StringComparison.Ordinal);
            if (arrayEnd >= 0)
                chunk = chunk.Substring(0, arrayEnd);
            Match name = Regex.Match(chunk, @"^\s*""(?<name>[^""]+)""");
            if (!name.Success)
                throw new FormatException("A KernelTest entry in " + RepoPaths.TestCatalogSource + " has no string literal name: " + chunk.Trim());
            bool shouldPanic = Regex.IsMatch(chunk, @"\bshouldPanic\s*:\s*true\b");
            bool ownBoot = Regex.IsMatch(chunk, @"\bownBoot\s*:\s*true\b");
            entries.Add((name.Groups["name"].Value, shouldPanic, ownBoot));
        }

        if (entries.Count == 0)
            throw new FormatException("No 'new KernelTest(\"name\", ...)' entries found in " + RepoPaths.TestCatalogSource + "; has its format changed?");
        string duplicate = entries.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key).FirstOrDefault();
        if (duplicate != null)
            throw new FormatException("The kernel test name '" + duplicate + "' appears twice in " + RepoPaths.TestCatalogSource + ".");
        return entries;
    }
}
