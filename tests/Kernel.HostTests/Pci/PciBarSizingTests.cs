// BAR sizing against simulated registers: kinds, widths, sizes, restored values and decode off meanwhile.
using System.Linq;
using Kernel.Pci;
using static Kernel.HostTests.Pci.PciConfigBuilder;

namespace Kernel.HostTests.Pci;

public class PciBarSizingTests
{
    private static PciFunction Only(SimulatedPciBus bus) => PciEnumerator.Scan(bus).Functions.Single(f => !f.IsHostBridge);

    [Fact]
    public void SizesTheQ35DevicesLikeQemuDefinesThem()
    {
        PciFunction[] functions = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35")).Functions;
        PciFunction vga = functions[1], xhci = functions[2], sata = functions[5], smbus = functions[6];

        Assert.Equal(new[] { "bar0 mem 0xc0000000 16 MiB prefetchable", "bar2 mem 0xc1212000 4 KiB" }, vga.Bars.Select(b => b.Describe()));
        Assert.Equal(new[] { "bar0 mem 0xe020000000 16 KiB 64-bit" }, xhci.Bars.Select(b => b.Describe()));
        Assert.Equal(new[] { "bar4 io 0x6240 32 B", "bar5 mem 0xc1210000 4 KiB" }, sata.Bars.Select(b => b.Describe()));
        Assert.Equal(new[] { "bar4 io 0x6200 64 B" }, smbus.Bars.Select(b => b.Describe()));
        Assert.Empty(functions[0].Bars);
    }

    [Fact]
    public void A64BitBarAbove4GiBTakesTwoSlots()
    {
        var bus = new SimulatedPciBus();
        Device().MemoryBar64(0, 0x8_0000_0000, 8UL << 30, prefetchable: true).MemoryBar32(2, 0xFE00_0000, 0x1000).AddTo(bus, 0, 3, 0);

        PciFunction function = Only(bus);

        Assert.Equal(2, function.Bars.Length);
        PciBar wide = function.Bars[0];
        Assert.Equal((0, 0x8_0000_0000UL, 8UL << 30, true, true, true), (wide.Index, wide.Address, wide.Size, wide.IsMemory, wide.Is64Bit, wide.IsPrefetchable));
        Assert.Equal("bar0 mem 0x800000000 8 GiB 64-bit prefetchable", wide.Describe());
        Assert.Equal(2, function.Bars[1].Index);
        Assert.False(function.TryGetBar(1, out _));
    }

    [Fact]
    public void A64BitBarInTheLastSlotIsIgnored()
    {
        var bus = new SimulatedPciBus();
        Device().MemoryBar32(0, 0xFE00_0000, 0x100).MemoryBar64(5, 0xFD00_0000, 0x4000).AddTo(bus, 0, 3, 0);

        Assert.Equal(new[] { 0 }, Only(bus).Bars.Select(b => b.Index));
    }

    [Fact]
    public void AnIoBarWithA16BitDecoderIsSizedFromItsLowBits()
    {
        var bus = new SimulatedPciBus();
        Device().IoBar(1, 0xC000, 0x20, decodes16: true).IoBar(3, 0xD000, 0x100).AddTo(bus, 0, 3, 0);

        PciBar[] bars = Only(bus).Bars;

        Assert.Equal(new[] { "bar1 io 0xc000 32 B", "bar3 io 0xd000 256 B" }, bars.Select(b => b.Describe()));
        Assert.All(bars, b => Assert.False(b.IsMemory || b.Is64Bit || b.IsPrefetchable));
    }

    [Fact]
    public void ABridgeHasTwoBarsAtMost()
    {
        var bus = new SimulatedPciBus();
        Bridge(0, 1, 1).MemoryBar32(0, 0xFEB0_0000, 0x1000).AddTo(bus, 0, 1, 0);
        bus.Get(new PciAddress(0, 1, 0)).SetDword(0x18, 0x0001_0100); // bus numbers where BAR 2 would be

        PciFunction bridge = PciEnumerator.Scan(bus).Functions.Single();

        Assert.Equal(new[] { "bar0 mem 0xfeb00000 4 KiB" }, bridge.Bars.Select(b => b.Describe()));
        Assert.Equal(1, bridge.SecondaryBus);
    }

    [Fact]
    public void DecodeIsOffWhileSizingAndTheCommandIsRestored()
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction device = Device().Command(0x0507).Status(0xF900).MemoryBar32(0, 0xFE00_0000, 0x1000).AddTo(bus, 0, 3, 0);

        PciEnumerator.Scan(bus);

        Assert.Equal(new uint[] { 0x0504, 0x0507 }, device.CommandWrites);
        Assert.Equal(0xF900_0507u, device.Dword(0x04)); // the status bits (write 1 to clear) survived
        Assert.Empty(bus.DecodingWhileSized);
    }

    [Fact]
    public void TheCommandIsNotWrittenWhenDecodeIsAlreadyOffOrForTheHostBridge()
    {
        var bus = new SimulatedPciBus();
        SimulatedFunction host = HostBridge().MemoryBar32(0, 0xE000_0000, 0x1000_0000).AddTo(bus, 0, 0, 0);
        SimulatedFunction quiet = Device().Command(0).MemoryBar32(0, 0, 0x1000).AddTo(bus, 0, 3, 0);

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Empty(host.CommandWrites);
        Assert.Empty(quiet.CommandWrites);
        Assert.Equal("bar0 mem 0xe0000000 256 MiB", scan.Functions[0].Bars.Single().Describe());
        Assert.Equal("bar0 mem 0x0 4 KiB", scan.Functions[1].Bars.Single().Describe());
    }

    [Theory]
    [InlineData(32UL, "32 B")]
    [InlineData(1024UL, "1 KiB")]
    [InlineData(1536UL, "1536 B")]
    [InlineData(16UL << 20, "16 MiB")]
    [InlineData(4UL << 30, "4 GiB")]
    public void SizesUseTheLargestWholeUnit(ulong size, string text) => Assert.Equal(text, PciBar.SizeText(size));
}
