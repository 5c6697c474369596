// Boot tests of PCI configuration space: the pci group on q35 (ECAM from the MCFG) and on pc (the legacy ports),
// and the `pci` command over serial with an xHCI controller added.
using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
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

    /// <summary>
    /// <c>pci</c> typed on serial lists the host bridge and the added xHCI controller with its 64-bit memory BAR
    /// and MSI-X (and PCIe on q35, whose root bus is PCI Express); the boot log counts the functions.
    /// </summary>
    [Theory]
    [InlineData("q35", @"(?m)^00:00\.0 8086:29c0 Host bridge rev 00$", @"(?m)^00:02\.0 1b36:000d USB controller \(xHCI\) rev 01 irq \d+ pin A$")]
    [InlineData("pc", @"(?m)^00:00\.0 8086:1237 Host bridge rev 02$", @"(?m)^00:03\.0 1b36:000d USB controller \(xHCI\) rev 01 irq \d+ pin A$")]
    public void PciCommandListsTheXhciController(string machine, string hostBridgeLine, string xhciLine)
    {
        string output = null;
        string error = null;
        BootResult boot = BootHarness.Boot("console=serial", machine: machine, serialInput: true, extraQemuArgs: new[] { "-device", "qemu-xhci" },
            whileRunning: running =>
            {
                try
                {
                    running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                    int mark = running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1;
                    running.WaitForPrompt(mark, TimeSpan.FromSeconds(30));
                    mark = running.ReadSerial().Length;
                    running.SendSerial("pci\r");
                    output = running.WaitForPrompt(mark, TimeSpan.FromSeconds(30)).Substring(mark).Replace("\r", "");
                    running.SendSerial("shutdown\r");
                    running.WaitForExit(TimeSpan.FromSeconds(30));
                }
                catch (Exception e)
                {
                    error = e.Message;
                }
            });

        Assert.True(error == null, error + "\n" + boot.Describe());
        BootAssert.HasLineMatching(boot, @"^pci: \d+ functions on 1 bus$");
        Assert.True(Regex.IsMatch(output, hostBridgeLine), "pci printed:\n" + output);
        Assert.True(Regex.IsMatch(output, xhciLine + @"\n    bar0 mem 0x[0-9a-f]+ 16 KiB 64-bit\n    caps: MSI-X(, PCIe)?\n"), "pci printed:\n" + output);
    }
}
