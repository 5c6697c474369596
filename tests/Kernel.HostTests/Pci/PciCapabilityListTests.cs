// Capability lists: the captured ones, and broken ones that loop or point into the header.
using System.Linq;
using Kernel.Pci;
using static Kernel.HostTests.Pci.PciConfigBuilder;

namespace Kernel.HostTests.Pci;

public class PciCapabilityListTests
{
    private static PciFunction Scan(PciConfigBuilder device)
    {
        var bus = new SimulatedPciBus();
        device.AddTo(bus, 0, 3, 0);
        return PciEnumerator.Scan(bus).Functions.Single();
    }

    [Fact]
    public void ReadsTheCapabilitiesQemuGivesItsDevices()
    {
        PciFunction[] functions = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions;

        Assert.Equal("MSI-X, PCIe", PciListing.CapabilityNames(functions[2]));
        Assert.Equal(0x90, functions[2].FindCapability(PciCapability.MsiX));
        Assert.Equal(0xA0, functions[2].FindCapability(PciCapability.PciExpress));
        Assert.Equal(-1, functions[2].FindCapability(PciCapability.Msi));
        Assert.Equal("PCIe, MSI-X, Bridge subsystem", PciListing.CapabilityNames(functions[3]));
        Assert.Equal("MSI, SATA", PciListing.CapabilityNames(functions[5]));
        Assert.All(functions, f => Assert.Null(f.CapabilityProblem));
    }

    [Fact]
    public void NoStatusBitMeansNoList()
    {
        PciConfigBuilder device = Device().Capabilities(PciCapability.Msi);
        device.Status(0);

        Assert.Empty(Scan(device).Capabilities);
    }

    [Fact]
    public void ALoopEndsAtTheFirstRevisitedEntry()
    {
        PciFunction function = Scan(Device().CapabilityPointer(0x40).Capability(0x40, 0x01, 0x60).Capability(0x60, 0x05, 0x40));

        Assert.Equal(new[] { (0x01, 0x40), (0x05, 0x60) }, function.Capabilities.Select(c => ((int)c.Id, c.Offset)));
        Assert.Equal("capability list loops back to 0x40", function.CapabilityProblem);
    }

    [Fact]
    public void AnEntryPointingAtItselfIsALoop()
    {
        PciFunction function = Scan(Device().CapabilityPointer(0xFC).Capability(0xFC, 0x11, 0xFC));

        Assert.Single(function.Capabilities);
        Assert.Equal("capability list loops back to 0xfc", function.CapabilityProblem);
    }

    [Fact]
    public void APointerIntoTheHeaderEndsTheList()
    {
        PciFunction function = Scan(Device().CapabilityPointer(0x40).Capability(0x40, 0x10, 0x3C));

        Assert.Single(function.Capabilities);
        Assert.Equal("capability pointer 0x3c points into the header", function.CapabilityProblem);
    }

    [Fact]
    public void ThePointersReservedLowBitsAreMaskedOff()
    {
        PciFunction function = Scan(Device().CapabilityPointer(0x43).Capability(0x40, 0x05, 0x53).Capability(0x50, 0x11, 0x00));

        Assert.Equal(new[] { 0x40, 0x50 }, function.Capabilities.Select(c => c.Offset));
        Assert.Null(function.CapabilityProblem);
    }

    [Fact]
    public void TheLongestPossibleListHas48Entries()
    {
        PciConfigBuilder device = Device().CapabilityPointer(0x40);
        for (int offset = 0x40; offset < 0x100; offset += 4)
            device.Capability(offset, PciCapability.VendorSpecific, (byte)(offset + 4 < 0x100 ? offset + 4 : 0));

        PciFunction function = Scan(device);

        Assert.Equal(PciCapabilityList.MaxEntries, function.Capabilities.Length);
        Assert.Equal(48, PciCapabilityList.MaxEntries);
        Assert.Null(function.CapabilityProblem);
    }

    [Theory]
    [InlineData(0x01, "PM")]
    [InlineData(0x05, "MSI")]
    [InlineData(0x09, "Vendor")]
    [InlineData(0x10, "PCIe")]
    [InlineData(0x11, "MSI-X")]
    [InlineData(0x12, "SATA")]
    [InlineData(0x2A, "cap 0x2a")]
    public void CapabilitiesHaveShortNames(byte id, string name) => Assert.Equal(name, new PciCapability(id, 0x40).Name);
}
