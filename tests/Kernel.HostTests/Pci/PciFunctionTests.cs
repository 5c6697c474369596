// The function's API as drivers use it, the `pci` command's lines and the class names.
using System.Linq;
using Kernel.Pci;
using static Kernel.HostTests.Pci.PciConfigBuilder;

namespace Kernel.HostTests.Pci;

public class PciFunctionTests
{
    [Fact]
    public void ReadsIdentityClassAndInterrupt()
    {
        PciFunction xhci = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions[2];

        Assert.Equal(new PciAddress(0, 2, 0).ToString(), xhci.Address.ToString());
        Assert.Equal((0x1B36, 0x000D), (xhci.VendorId, xhci.DeviceId));
        Assert.Equal((0x0C, 0x03, 0x30, 0x01, 0), (xhci.ClassCode, xhci.Subclass, xhci.ProgIf, xhci.Revision, xhci.HeaderType));
        Assert.Equal((11, 1), (xhci.InterruptLine, xhci.InterruptPin));
        Assert.Equal((0x1AF4, 0x1100), (xhci.SubsystemVendorId, xhci.SubsystemId));
        Assert.Equal("USB controller (xHCI)", xhci.ClassName);
    }

    [Fact]
    public void ListsAFunctionAsThePciCommandPrintsIt()
    {
        PciFunction[] functions = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions;

        Assert.Equal(new[]
        {
            "00:1f.2 8086:2922 SATA controller (AHCI) rev 02 irq 10 pin A",
            "    bar4 io 0x6240 32 B",
            "    bar5 mem 0xc1210000 4 KiB",
            "    caps: MSI, SATA",
        }, PciListing.Lines(functions[5]));
        Assert.Equal(new[] { "00:00.0 8086:29c0 Host bridge rev 00" }, PciListing.Lines(functions[0]));
        Assert.Equal("00:03.0 1b36:000c PCI bridge rev 00 irq 11 pin A buses 01-01", PciListing.Headline(functions[3]));
    }

    [Fact]
    public void FindBarAndTryGetBarAgree()
    {
        PciFunction xhci = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions[2];

        PciBar bar = xhci.FindBar(0, out bool found);
        Assert.True(found);
        Assert.Equal((0xE0_2000_0000UL, 0x4000UL), (bar.Address, bar.Size));
        xhci.FindBar(1, out found);
        Assert.False(found);
        Assert.True(xhci.TryGetBar(0, out PciBar same));
        Assert.Equal(bar.Address, same.Address);
    }

    [Fact]
    public void EnableMemoryAndBusMasterKeepsTheOtherBitsAndTheStatus()
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction device = Device().Command(0x0401).Status(0x8010).AddTo(bus, 0, 3, 0);
        PciFunction function = PciEnumerator.Scan(bus).Functions.Single();

        function.EnableMemoryAndBusMaster();

        Assert.Equal(0x8010_0407u, device.Dword(0x04));
        Assert.Equal(0x0407, function.Command);
    }

    [Theory]
    [InlineData(0x0C, 0x03, 0x00, "USB controller (UHCI)")]
    [InlineData(0x0C, 0x03, 0x10, "USB controller (OHCI)")]
    [InlineData(0x0C, 0x03, 0x20, "USB controller (EHCI)")]
    [InlineData(0x0C, 0x03, 0x30, "USB controller (xHCI)")]
    [InlineData(0x0C, 0x03, 0x77, "USB controller")]
    [InlineData(0x01, 0x06, 0x01, "SATA controller (AHCI)")]
    [InlineData(0x01, 0x08, 0x02, "Non-Volatile memory controller (NVMe)")]
    [InlineData(0x02, 0x00, 0x00, "Ethernet controller")]
    [InlineData(0x03, 0x00, 0x00, "VGA compatible controller")]
    [InlineData(0x06, 0x00, 0x00, "Host bridge")]
    [InlineData(0x06, 0x01, 0x00, "ISA bridge")]
    [InlineData(0x06, 0x04, 0x00, "PCI bridge")]
    [InlineData(0x0C, 0x05, 0x00, "SMBus")]
    [InlineData(0x06, 0x42, 0x00, "Bridge")]
    [InlineData(0x77, 0x00, 0x00, "Class 0x77")]
    [InlineData(0xFF, 0x00, 0x00, "Unassigned class")]
    public void NamesClasses(byte classCode, byte subclass, byte progIf, string name) =>
        Assert.Equal(name, PciClassNames.Describe(classCode, subclass, progIf));
}
