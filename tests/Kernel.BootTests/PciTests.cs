// Boot tests of PCI configuration space: the pci group on q35 (ECAM from the MCFG) and on pc (the legacy ports).
using System.Collections.Generic;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>
/// PCI configuration space on both machines QEMU offers: q35 has an MCFG, so ECAM is used (and checked against
/// the legacy ports); pc has none, so the legacy ports are.
/// </summary>
public sealed class PciBootTests
{
    /// <summary>The pci group passes and the boot log names the mechanism.</summary>
    [Theory]
    [InlineData("q35", @"^pci: ECAM at 0xb0000000 for buses 0-255$")]
    [InlineData("pc", @"^pci: legacy ports 0xCF8/0xCFC \(no MCFG\)$")]
    public void PciTestsPassOnMachine(string machine, string bootLogLine)
    {
        BootResult boot = BootHarness.Boot("test=pci", machine: machine);

        BootAssert.HasLineMatching(boot, bootLogLine);
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("pci");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
