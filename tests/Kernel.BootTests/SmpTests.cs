// Boot tests of starting the other CPUs (kernel/Smp, kernel/Platform/Cpus): every CPU QEMU was given comes online on
// q35 and pc (multi-threaded TCG), the options cpus= and smp=off hold them back, a panic on one CPU stops the others,
// and the whole in-kernel suite passes with four CPUs up and a collection every 100 allocations.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>All CPUs online and listed; cpus=N and smp=off keep the others parked in the firmware.</summary>
public sealed class SmpBootTests
{
    private static string[] Smp(int cpus) => new[] { "-smp", cpus.ToString(), "-accel", "tcg,thread=multi" };

    private static string ApicIds(int cpus) => string.Join(" ", Enumerable.Range(0, cpus));

    /// <summary>Boots with N CPUs: the plan names them, all come online with the MADT's APIC IDs, and the smp tests pass.</summary>
    [Theory]
    [InlineData("q35", 1)]
    [InlineData("q35", 2)]
    [InlineData("q35", 4)]
    [InlineData("q35", 8)]
    [InlineData("pc", 2)]
    public void EveryCpuComesOnline(string machine, int cpus)
    {
        // Eight vCPUs on a two-core host make the lock torture take minutes (each hand-off waits for the next
        // ticket's thread to be scheduled): that boot checks the start only.
        string group = cpus > 4 ? "smp.start" : "smp";
        BootResult boot = BootHarness.Boot("test=" + group, machine: machine, extraQemuArgs: Smp(cpus), timeout: TimeSpan.FromSeconds(180));

        BootAssert.HasLineMatching(boot, "^cpus: " + cpus + " listed, 1 boot \\+ " + (cpus - 1) + " to start");
        if (cpus > 1)
            BootAssert.HasLineMatching(boot, "^cpus: " + cpus + " of " + cpus + " online \\(APIC IDs " + ApicIds(cpus) + "\\), started in [0-9.]+ ms$");
        AssertGroupPassed(boot, group);
    }

    /// <summary>With four CPUs, cpus=1 and smp=off start none of the others and cpus=2 starts one; the rest are counted as skipped.</summary>
    [Theory]
    [InlineData("cpus=1", 1)]
    [InlineData("cpus=2", 2)]
    [InlineData("smp=off", 1)]
    public void OptionsLimitTheCpusStarted(string option, int running)
    {
        BootResult boot = BootHarness.Boot("test=smp " + option, extraQemuArgs: Smp(4), timeout: TimeSpan.FromSeconds(180));

        BootAssert.HasLineMatching(boot, "^cpus: 4 listed, 1 boot \\+ " + (running - 1) + " to start, .*" + (4 - running) + " skipped");
        if (running > 1)
            BootAssert.HasLineMatching(boot, "^cpus: " + running + " of " + running + " online \\(APIC IDs " + ApicIds(running) + "\\)");
        else
            Assert.DoesNotContain(" online (APIC IDs", boot.Serial);
        AssertGroupPassed(boot, "smp");
    }

    /// <summary>
    /// The whole in-kernel suite with four CPUs and a collection every 100 allocations: the smp group's churn has every
    /// CPU allocate while collections started on any CPU stop the others (issue 15's "gcstress suite with 4 CPUs").
    /// </summary>
    [Fact]
    public void WholeSuitePassesWithFourCpusAndACollectionEveryHundredAllocations()
    {
        BootResult boot = BootHarness.Boot("test gcstress=100", extraQemuArgs: Smp(4), timeout: TimeSpan.FromSeconds(480));

        BootAssert.HasLineMatching(boot, "^cpus: 4 of 4 online");
        BootAssert.HasLineMatching(boot, "^  4 CPUs churned, [1-9][0-9]* collections, [1-9][0-9]* stopped-CPU stack scans$");
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTests;
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    /// <summary>
    /// A panic on CPU 1 while the boot CPU spins: the boot CPU is stopped (its own "not stopped" panic never comes),
    /// exactly one panic screen is printed and it names CPU 1.
    /// </summary>
    [Fact]
    public void APanicOnAnotherCpuStopsTheOthersAndNamesItsCpu()
    {
        BootResult boot = BootHarness.Boot("test=panic.on_other_cpu", extraQemuArgs: Smp(2));

        BootAssert.HasLineMatching(boot, "^cpus: 2 of 2 online");
        int panic = boot.Serial.IndexOf("KERNEL PANIC: test panic on another CPU\n  on CPU 1\n", StringComparison.Ordinal);
        Assert.True(panic >= 0, "no panic naming CPU 1\n" + boot.Describe());
        Assert.Equal(1, Regex.Matches(boot.Serial, "KERNEL PANIC").Count);
        Assert.DoesNotContain("panic while panicking", boot.Serial);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    /// <summary>
    /// Two CPUs, a normal boot: `parallel 16` spreads its rounds over both CPUs, and `cpu` lists each CPU with its APIC
    /// ID, state and what its executor ran and stole.
    /// </summary>
    [Fact]
    public void CpuCommandListsEveryCpu()
    {
        string output = null;
        string parallel = null;
        string error = null;
        BootResult boot = BootHarness.Boot("console=serial", serialInput: true, extraQemuArgs: Smp(2), whileRunning: running =>
        {
            try
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                int mark = running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1;
                running.WaitForPrompt(mark, TimeSpan.FromSeconds(30));
                mark = running.ReadSerial().Length;
                running.SendSerial("parallel 16\r");
                parallel = running.WaitForPrompt(mark, TimeSpan.FromSeconds(60)).Substring(mark);
                mark = running.ReadSerial().Length;
                running.SendSerial("cpu\r");
                output = running.WaitForPrompt(mark, TimeSpan.FromSeconds(30)).Substring(mark);
                running.SendSerial("shutdown\r");
                running.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                error = e.Message;
            }
        });

        Assert.True(error == null, error + "\n" + boot.Describe());
        Assert.Matches(@"\ncpu 0: APIC ID 0, online \(boot CPU\); \d+ task steps", output);
        Assert.Matches(@"\ncpu 1: APIC ID 1, online, started in [0-9.]+ ms; [1-9]\d* task steps \([1-9]\d* stolen\)", output);
        // The demo's tasks are made on the shell's CPU; the other steals some: every round is counted once.
        Match counts = Regex.Match(parallel, @"parallel: 16 tasks x 16 rounds in \d+ ms \(hash 0x[0-9a-f]{8}\); cpu 0: (\d+), cpu 1: (\d+)");
        Assert.True(counts.Success, "parallel printed:\n" + parallel);
        Assert.Equal(256, int.Parse(counts.Groups[1].Value) + int.Parse(counts.Groups[2].Value));
        Assert.True(int.Parse(counts.Groups[2].Value) > 0, "CPU 1 ran none of the rounds:\n" + parallel);
    }

    private static void AssertGroupPassed(BootResult boot, string group)
    {
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTestsInGroup(group);
        Assert.True(tests.Count >= 2, "the " + group + " group is in the catalog");
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
