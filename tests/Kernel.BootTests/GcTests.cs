// Boot tests of the garbage collector (kernel/Platform/Gc): the in-kernel gc group with a 4 MiB heap once per heap
// design and mode (bump skips the reclamation test: it frees only when everything is dead), the whole in-kernel
// suite with a collection every 100 allocations, and a curated subset (runtime, tasks, exceptions, the shell) with a
// collection at every allocation.
using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>Reachable objects survive, a dropped cyclic graph is reclaimed, 10x heapmax of garbage fits; stress runs.</summary>
public sealed class GcBootTests
{
    /// <summary>Boots <c>test=gc gc=MODE heapmax=4 heap=DESIGN</c>; the boot log names the mode and the gc tests pass.</summary>
    [Theory]
    [InlineData("tlsf", "precise")]
    [InlineData("list", "precise")]
    [InlineData("block", "precise")]
    [InlineData("bump", "precise")]
    [InlineData("tlsf", "conservative")]
    [InlineData("list", "conservative")]
    public void CollectorTestsPassWithDesign(string design, string mode)
    {
        BootResult boot = BootHarness.Boot("test=gc gc=" + mode + " heapmax=4 heap=" + design);

        BootAssert.HasLineMatching(boot, "^gc: " + mode + " mark-sweep");
        AssertGroupPassed(boot, "gc", 3);
    }

    /// <summary>The whole in-kernel suite with a collection every 100 allocations, in both modes.</summary>
    [Theory]
    [InlineData("precise")]
    [InlineData("conservative")]
    public void WholeSuitePassesWithACollectionEveryHundredAllocations(string mode)
    {
        BootResult boot = BootHarness.Boot("test gc=" + mode + " gcstress=100");

        BootAssert.HasLineMatching(boot, "^gc: " + mode + " mark-sweep, a collection every 100 allocations");
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTests;
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    /// <summary>The runtime, tasks and exceptions groups with a collection at every allocation, in both modes.</summary>
    [Theory]
    [InlineData("runtime", "precise")]
    [InlineData("tasks", "precise")]
    [InlineData("exceptions", "precise")]
    [InlineData("runtime", "conservative")]
    [InlineData("tasks", "conservative")]
    [InlineData("exceptions", "conservative")]
    public void CuratedGroupsPassWithACollectionAtEveryAllocation(string group, string mode)
    {
        BootResult boot = BootHarness.Boot("test=" + group + " gc=" + mode + " gcstress=1");

        BootAssert.HasLineMatching(boot, "^gc: " + mode + " mark-sweep, a collection every 1 allocations");
        AssertGroupPassed(boot, group, 1);
    }

    /// <summary>
    /// The shell with a collection at every allocation, in both modes: each command typed on serial prints what it
    /// should (a collection between any two allocations of parsing, running and printing loses nothing), a command
    /// that throws still gives its one error line, and shutdown powers off.
    /// </summary>
    [Theory]
    [InlineData("precise")]
    [InlineData("conservative")]
    public void ShellCommandsWorkWithACollectionAtEveryAllocation(string mode)
    {
        var expected = new (string Command, string Pattern)[]
        {
            ("echo stress one two", @"\nstress one two\n"),
            ("help echo", @"echo \[text \.\.\.\]"),
            ("mem", @"gc " + mode + @": \d+ collections"),
            ("gc", @"bytes live in \d+ objects"),
            ("tasks", @"\bshell\b"),
            ("uptime", @"up \d+"),
            ("log 3", @"\] ready\n"),
            ("sleep x", @"error: FormatException"),
            ("frobnicate", @"unknown command: frobnicate"),
        };
        string error = null;
        var outputs = new List<string>();
        BootResult boot = BootHarness.Boot("console=serial gc=" + mode + " gcstress=1", serialInput: true, whileRunning: running =>
        {
            try
            {
                running.WaitForSerialLine("ready", TimeSpan.FromSeconds(180));
                int mark = running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1;
                running.WaitForPrompt(mark, TimeSpan.FromSeconds(60));
                foreach ((string command, string pattern) in expected)
                {
                    mark = running.ReadSerial().Length;
                    running.SendSerial(command + "\r");
                    string serial = running.WaitForPrompt(mark, TimeSpan.FromSeconds(60));
                    outputs.Add(serial.Substring(mark));
                }
                running.SendSerial("shutdown\r");
                running.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                error = e.Message;
            }
        });

        Assert.True(error == null, error + "\n" + boot.Describe());
        BootAssert.HasLineMatching(boot, "^gc: " + mode + " mark-sweep, a collection every 1 allocations");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Regex.IsMatch(outputs[i], expected[i].Pattern), "'" + expected[i].Command + "' printed:\n" + outputs[i]);
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
    }

    /// <summary>
    /// 1,000 shell commands over serial with a 4 MiB heap: the collector keeps up (the commands' garbage would be about
    /// 400 KiB), and the live bytes after a `gc` are where they were after the first 100 (the history is bounded).
    /// </summary>
    [Fact]
    public void AThousandShellCommandsLeaveLiveBytesFlat()
    {
        const int Commands = 1000;
        var live = new List<long>();
        string error = null;
        BootResult boot = BootHarness.Boot("heapmax=4 console=serial", serialInput: true, whileRunning: running =>
        {
            try
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                for (int batch = 0; batch < Commands / 100; batch++)
                {
                    var lines = new StringBuilder();
                    for (int i = 0; i < 100; i++)
                        lines.Append("echo command ").Append(batch * 100 + i).Append('\r');
                    running.SendSerial(lines.ToString());
                    string last = "command " + (batch * 100 + 99);
                    running.WaitForSerial(s => s.Contains("\n" + last + "\n", StringComparison.Ordinal), "the output of '" + last + "'", TimeSpan.FromSeconds(60));
                    int mark = running.ReadSerial().Length;
                    running.SendSerial("gc\r");
                    string serial = running.WaitForSerial(s => Regex.IsMatch(s.Substring(mark), @"bytes live in \d+ objects"), "the gc line", TimeSpan.FromSeconds(30));
                    live.Add(long.Parse(Regex.Match(serial.Substring(mark), @"; (\d+) bytes live in").Groups[1].Value));
                }
                running.SendSerial("shutdown\r");
            }
            catch (Exception e)
            {
                error = e.Message;
            }
        });

        Assert.True(error == null, error + "\n" + boot.Describe());
        Assert.Equal(Commands / 100, live.Count);
        Assert.True(live[live.Count - 1] - live[0] < 4096,
            "live bytes after each 100 commands grew: " + string.Join(", ", live) + "\n" + boot.Describe());
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
    }

    private static void AssertGroupPassed(BootResult boot, string group, int atLeast)
    {
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTestsInGroup(group);
        Assert.True(tests.Count >= atLeast, "the " + group + " group is in the catalog");
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
