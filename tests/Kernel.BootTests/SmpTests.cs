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

    /// <summary>cpus=2 with four CPUs starts one other; smp=off starts none; the others are counted as skipped.</summary>
    [Theory]
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

    /// <summary>The shell's cpu command lists every CPU with its APIC ID and state (two CPUs, a normal boot).</summary>
    [Fact]
    public void CpuCommandListsEveryCpu()
    {
        string output = null;
        string error = null;
        BootResult boot = BootHarness.Boot("console=serial", serialInput: true, extraQemuArgs: Smp(2), whileRunning: running =>
        {
            try
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                int mark = running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1;
                running.WaitForPrompt(mark, TimeSpan.FromSeconds(30));
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
        Assert.Matches(@"\ncpu 0: APIC ID 0, online \(boot CPU", output);
        Assert.Matches(@"\ncpu 1: APIC ID 1, online, started in [0-9.]+ ms", output);
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
