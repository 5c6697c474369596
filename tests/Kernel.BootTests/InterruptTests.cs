// Boot tests of the interrupts chapter: both interrupt controllers, and the ACPI MADT on q35 and pc with 1 and 4 CPUs.
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>
/// Hardware interrupts in both controller modes, and the ACPI MADT on the machines QEMU offers: q35 and pc, with
/// one and four CPUs (the extra CPUs stay parked, but the MADT must list them).
/// </summary>
public sealed class InterruptBootTests
{
    /// <summary>The interrupts group passes with the PIC and with the APIC, and the boot log names the controller and rate.</summary>
    [Theory]
    [InlineData("pic", @"^interrupts: 8259 PIC, timer PIT at 100 Hz \(measured against the PIT: TSC \d+ MHz\)$")]
    [InlineData("apic", @"^interrupts: APIC \((x2APIC|xAPIC), APIC ID 0, 1 I/O APIC; PIC masked\), timer LAPIC timer at 100 Hz \(measured against the PIT: APIC timer \d+ kHz, TSC \d+ MHz\)$")]
    public void InterruptTestsPassInMode(string irq, string bootLogLine)
    {
        BootResult boot = BootHarness.Boot("test=interrupts irq=" + irq);

        BootAssert.HasLineMatching(boot, bootLogLine);
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("interrupts");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    /// <summary>The MADT shows as many processors as QEMU was given, on both machine types, and the ACPI tests pass.</summary>
    [Theory]
    [InlineData("q35", 1)]
    [InlineData("q35", 4)]
    [InlineData("pc", 1)]
    [InlineData("pc", 4)]
    public void MadtListsEveryProcessor(string machine, int cpus)
    {
        BootResult boot = BootHarness.Boot("test=acpi", machine: machine, extraQemuArgs: new[] { "-smp", cpus.ToString() });

        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("acpi");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
        Match processors = BootAssert.HasLineMatching(boot, @"^  madt: processors=(\d+)$");
        Assert.Equal(cpus.ToString(), processors.Groups[1].Value);
        BootAssert.HasLineMatching(boot, @"^acpi: MADT ok: " + cpus + " processors, 1 I/O APIC");
        if (machine == "pc")
            Assert.DoesNotContain("MCFG", BootAssert.HasLineMatching(boot, @"^acpi: .*tables: ").Value);
    }
}
