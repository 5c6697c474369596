// MSI and MSI-X: the message address and data for a local APIC (SDM Vol. 3A §11.11), the capability fields (PCI 3.0
// §6.8), MSI programming over a simulated configuration space, and the MSI-X layout of QEMU's qemu-xhci as captured.
using Kernel.Pci;
using static Kernel.HostTests.Pci.PciConfigBuilder;

namespace Kernel.HostTests.Pci;

public class MsiTests
{
    private static readonly PciAddress s_address = new PciAddress(0, 0, 3, 0);

    [Theory]
    [InlineData(0u, 0x50, 0xFEE0_0000u, 0x50u)]
    [InlineData(1u, 0x51, 0xFEE0_1000u, 0x51u)]
    [InlineData(0x2Au, 0xDF, 0xFEE2_A000u, 0xDFu)]
    [InlineData(255u, 16, 0xFEEF_F000u, 0x10u)]
    public void EncodesAPhysicalFixedEdgeMessage(uint apicId, int vector, uint address, uint data)
    {
        Assert.Null(MsiMessage.Encode(apicId, vector, out uint encodedAddress, out uint encodedData));

        Assert.Equal(address, encodedAddress);
        Assert.Equal(data, encodedData);
        Assert.True(MsiMessage.IsPhysical(encodedAddress));
        Assert.True(MsiMessage.IsFixedEdge(encodedData));
        Assert.Equal(apicId, MsiMessage.DestinationOf(encodedAddress));
        Assert.Equal(vector, MsiMessage.VectorOf(encodedData));
    }

    [Fact]
    public void AnX2ApicIdPast255CannotBeAddressed()
    {
        string problem = MsiMessage.Encode(256, 0x50, out uint address, out uint data);

        Assert.Contains("APIC ID 256", problem);
        Assert.Equal(0u, address);
        Assert.Equal(0u, data);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(-1)]
    public void ReservedVectorsAreRefused(int vector) =>
        Assert.Contains("vector", MsiMessage.Encode(0, vector, out _, out _));

    [Fact]
    public void DecodesMsiControl()
    {
        // 64-bit, per-vector masking, 8 vectors requested (bits 3:1 = 3), 2 enabled (6:4 = 1), on.
        var control = new MsiControl(0x0180 | 3 << 1 | 1 << 4 | 1);

        Assert.True(control.Is64Bit);
        Assert.True(control.HasPerVectorMasking);
        Assert.True(control.Enabled);
        Assert.Equal(8, control.VectorsRequested);
        Assert.Equal(2, control.VectorsEnabled);
        Assert.Equal(0x0C, control.DataOffset);
        Assert.Equal(0x10, control.MaskOffset);
        MsiControl one = control.Disabled().EnabledWithOneVector();
        Assert.Equal(1, one.VectorsEnabled);
        Assert.True(one.Enabled);
        Assert.Equal(8, one.VectorsRequested);
        Assert.False(control.Disabled().Enabled);

        var plain = new MsiControl(0);
        Assert.False(plain.Is64Bit);
        Assert.Equal(0x08, plain.DataOffset);
        Assert.Equal(0x0C, plain.MaskOffset);
        Assert.Equal(1, plain.VectorsRequested);
    }

    [Fact]
    public void DecodesMsiXControlAndLocations()
    {
        var control = new MsiXControl(0x000F);

        Assert.Equal(16, control.TableSize);
        Assert.False(control.Enabled);
        Assert.False(control.FunctionMasked);
        MsiXControl masked = control.With(enabled: true, functionMasked: true);
        Assert.Equal(0xC00F, masked.Value);
        Assert.Equal(0x800F, masked.With(enabled: true, functionMasked: false).Value);
        Assert.Equal(2048, new MsiXControl(0x07FF).TableSize);

        var table = new MsiXLocation(0x0000_3004);
        Assert.Equal(4, table.BarIndex);
        Assert.Equal(0x3000u, table.Offset);
    }

    [Fact]
    public void QemuXhciHasItsMsiXTableInBar0()
    {
        PciFunction[] functions = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions;
        PciFunction xhci = functions[2];
        Assert.Equal(0x1B36, xhci.VendorId);
        Assert.Equal(0x000D, xhci.DeviceId);

        MsiXLayout layout = MsiConfiguration.ReadMsiX(xhci.ConfigAccess, xhci.Address, xhci.FindCapability(PciCapability.MsiX));

        Assert.Equal(16, layout.Control.TableSize);
        Assert.False(layout.Control.Enabled);
        Assert.Equal(0, layout.Table.BarIndex);
        Assert.Equal(0x3000u, layout.Table.Offset);
        Assert.Equal(0, layout.PendingBits.BarIndex);
        Assert.Equal(0x3800u, layout.PendingBits.Offset);
        Assert.Equal(256u, layout.TableBytes);
        Assert.True(xhci.TryGetBar(0, out PciBar bar));
        Assert.True(layout.Table.Offset + layout.TableBytes <= bar.Size);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EnablesMsiWithOneUnmaskedVector(bool is64Bit, bool masking)
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction function = Device().Capabilities(PciCapability.PowerManagement, PciCapability.Msi).AddTo(bus, 0, 3, 0);
        const int cap = 0x50;
        // Four vectors requested, two enabled by someone before, off; all mask bits set; junk in the data's upper half.
        ushort control = (ushort)(2 << 1 | 1 << 4 | (is64Bit ? 0x80 : 0) | (masking ? 0x100 : 0));
        function.SetDword(cap, function.Dword(cap) | (uint)control << 16);
        int dataOffset = is64Bit ? 0x0C : 0x08;
        int maskOffset = is64Bit ? 0x10 : 0x0C;
        function.SetDword(cap + dataOffset, 0xABCD_0000);
        if (masking)
            function.SetDword(cap + maskOffset, 0xFFFF_FFFF);
        if (is64Bit)
            function.SetDword(cap + 8, 0x1234);

        MsiConfiguration.EnableMsi(bus, s_address, cap, 0xFEE0_1000, 0x51);

        var now = new MsiControl((ushort)(function.Dword(cap) >> 16));
        Assert.True(now.Enabled);
        Assert.Equal(1, now.VectorsEnabled);
        Assert.Equal(4, now.VectorsRequested);
        Assert.Equal((uint)PciCapability.Msi | 0u << 8, function.Dword(cap) & 0xFFFF);
        Assert.Equal(0xFEE0_1000u, function.Dword(cap + 4));
        if (is64Bit)
            Assert.Equal(0u, function.Dword(cap + 8));
        Assert.Equal(0xABCD_0051u, function.Dword(cap + dataOffset));
        if (masking)
            Assert.Equal(0xFFFF_FFFEu, function.Dword(cap + maskOffset));
    }

    [Fact]
    public void DisablingMsiAndIntxKeepsTheOtherBits()
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction function = Device().Command(PciHeader.CommandMemorySpace | PciHeader.CommandBusMaster)
            .Capabilities(PciCapability.Msi).AddTo(bus, 0, 3, 0);
        function.SetDword(0x40, function.Dword(0x40) | 0x0081u << 16);

        MsiConfiguration.DisableMsi(bus, s_address, 0x40);
        MsiConfiguration.DisableIntx(bus, s_address);

        Assert.Equal(0x0080u, function.Dword(0x40) >> 16);
        Assert.Equal((uint)(PciHeader.CommandMemorySpace | PciHeader.CommandBusMaster | PciHeader.CommandInterruptDisable), function.Dword(0x04) & 0xFFFF);
    }

    [Fact]
    public void MsiXControlWritesLeaveTheHeaderBytes()
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction function = Device().Capabilities(PciCapability.MsiX, PciCapability.PciExpress).AddTo(bus, 0, 3, 0);
        function.SetDword(0x40, function.Dword(0x40) | 0x0007u << 16);

        MsiXControl control = MsiConfiguration.ReadMsiX(bus, s_address, 0x40).Control;
        MsiConfiguration.WriteMsiXControl(bus, s_address, 0x40, control.With(enabled: true, functionMasked: false));

        Assert.Equal(0x8007_5011u, function.Dword(0x40));
    }
}
