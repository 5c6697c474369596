// Assertions on a boot's serial log and exit status, with the serial tail in every failure message.
using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace Kernel.BootTests.Harness;

/// <summary>Assertions on a <see cref="BootResult"/> whose messages carry the serial tail, so CI logs explain failures.</summary>
public static class BootAssert
{
    private static readonly Regex s_summary = new Regex(@"^(?<passed>\d+) passed, (?<failed>\d+) failed$");

    /// <summary>QEMU ended by itself with <paramref name="expected"/> (33 success, 35 failure).</summary>
    public static void ExitCode(BootResult result, int expected)
    {
        Assert.False(result.TimedOut, "The kernel did not end the run in time.\n" + result.Describe());
        Assert.True(result.ExitCode == expected, "Expected QEMU exit code " + expected + ".\n" + result.Describe());
    }

    /// <summary>The kernel printed "test NAME ... ok".</summary>
    public static void TestPassed(BootResult result, string name)
    {
        if (result.HasLine("test " + name + " ... ok"))
            return;
        string reported = result.FirstLineStartingWith("test " + name + " ...");
        Assert.Fail(reported != null
            ? "Kernel test " + name + " did not pass: " + reported + "\n" + result.Describe()
            : "The kernel printed no result line for test " + name + ".\n" + result.Describe());
    }

    /// <summary>The kernel's final line says "<paramref name="passed"/> passed, <paramref name="failed"/> failed".</summary>
    public static void Summary(BootResult result, int passed, int failed)
    {
        string[] summaries = result.Lines.Where(l => s_summary.IsMatch(l)).ToArray();
        Assert.True(summaries.Length == 1, "Expected one 'N passed, M failed' line, found " + summaries.Length + ".\n" + result.Describe());
        Assert.True(summaries[0] == passed + " passed, " + failed + " failed",
            "Expected '" + passed + " passed, " + failed + " failed', the kernel said '" + summaries[0] + "'.\n" + result.Describe());
    }

    /// <summary>Some serial line equals <paramref name="line"/>; returns its index.</summary>
    public static int HasLine(BootResult result, string line)
    {
        int index = result.IndexOfLine(line);
        Assert.True(index >= 0, "No serial line '" + line + "'.\n" + result.Describe());
        return index;
    }

    /// <summary>Some serial line matches <paramref name="pattern"/>; returns the first match.</summary>
    public static Match HasLineMatching(BootResult result, string pattern)
    {
        var regex = new Regex(pattern);
        Match match = result.Lines.Select(l => regex.Match(l)).FirstOrDefault(m => m.Success);
        Assert.True(match != null, "No serial line matches /" + pattern + "/.\n" + result.Describe());
        return match;
    }

    /// <summary>The serial text contains <paramref name="text"/> after position <paramref name="from"/>.</summary>
    public static void Contains(BootResult result, string text, int from = 0, string where = "serial output")
    {
        Assert.True(result.Serial.IndexOf(text, from, StringComparison.Ordinal) >= 0,
            "Expected '" + text + "' in the " + where + ".\n" + result.Describe());
    }

    /// <summary>The screen resolution from the banner's "screen: WxH ..." line.</summary>
    public static (int Width, int Height) ScreenSize(BootResult result)
    {
        Match screen = HasLineMatching(result, @"^screen: (?<w>\d+)x(?<h>\d+) \(");
        return (int.Parse(screen.Groups["w"].Value), int.Parse(screen.Groups["h"].Value));
    }
}
