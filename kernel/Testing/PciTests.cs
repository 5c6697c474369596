#if KERNEL_TESTS
// In-kernel tests of PCI configuration space on QEMU's machines (the host tests cover the encodings): the host
// bridge's identity, ECAM and the legacy ports agreeing byte for byte, writes through one seen through the other,
// and all ones from a slot QEMU leaves empty; then what the boot's enumeration found: the host bridge and QEMU's
// devices with plausible BARs, capability lists that end, and BAR sizing that leaves every register as it was.
// Register offsets are the type 0 header's (PCI 3.0 §6.1, Figure 6-1).
using Kernel.Pci;

namespace Kernel.Testing;

public static class PciTests
{
    private const int VendorIdOffset = 0x00;
    private const int DeviceIdOffset = 0x02;
    private const int SubclassOffset = 0x0A;
    private const int BaseClassOffset = 0x0B;
    private const int InterruptLineOffset = 0x3C; // read/write scratch for software; no effect on the device
    private const int HeaderBytes = 64;
    private const int CommandOffset = 0x04;
    private const int HeaderRegistersChecked = 9; // the command register, then 0x08 to 0x24: all six BAR slots
    private const byte DisplayClass = 0x03;

    private const ushort IntelVendorId = 0x8086;
    private const byte BridgeBaseClass = 0x06;
    private const byte HostBridgeSubclass = 0x00;
    private const byte ScratchLine = 0x5A;

    // QEMU's q35 and pc both put an Intel host bridge at 00:00.0 and nothing at device 0x10 of bus 0 (q35: VGA
    // at 01, ICH9 functions at 1f; pc: PIIX3 at 01, VGA at 02), nor on bus 0xfe, which no bridge leads to.
    private static readonly PciAddress HostBridge = new PciAddress(0, 0, 0);
    private static readonly PciAddress EmptySlot = new PciAddress(0, 0x10, 0);
    private static readonly PciAddress UnreachedBus = new PciAddress(0xFE, 0, 0);
    private static readonly PciAddress OtherSegment = new PciAddress(1, 0, 0, 0);

    public static void HostBridgeIsIntel()
    {
        Expect.Equal((long)IntelVendorId, PciConfigSpace.Read16(HostBridge, VendorIdOffset), "vendor ID of 00:00.0");
        Expect.Equal((long)BridgeBaseClass, PciConfigSpace.Read8(HostBridge, BaseClassOffset), "base class: bridge");
        Expect.Equal((long)HostBridgeSubclass, PciConfigSpace.Read8(HostBridge, SubclassOffset), "subclass: host bridge");
        uint ids = PciConfigSpace.Read32(HostBridge, VendorIdOffset);
        Expect.Equal((long)PciConfigSpace.Read16(HostBridge, DeviceIdOffset), ids >> 16, "device ID as a word and in the dword");
    }

    public static void EcamIsUsedExactlyWhenThereIsAnMcfg()
    {
        bool mcfg = TestRunner.Boot.Acpi.IndexOf("MCFG") >= 0;
        Expect.True((PciConfigSpace.Ecam != null) == mcfg, "ECAM in use exactly when the firmware has an MCFG");
    }

    public static void BytesAndWordsAreTheLanesOfTheDword()
    {
        for (int offset = 0; offset < HeaderBytes; offset += sizeof(uint))
        {
            uint legacy = LegacyConfigPorts.Read32(HostBridge, offset);
            uint current = PciConfigSpace.Read32(HostBridge, offset);
            for (int lane = 0; lane < sizeof(uint); lane++)
            {
                Expect.Equal((long)(byte)(legacy >> (8 * lane)), LegacyConfigPorts.Read8(HostBridge, offset + lane), "legacy byte lane");
                Expect.Equal((long)(byte)(current >> (8 * lane)), PciConfigSpace.Read8(HostBridge, offset + lane), "byte lane");
            }
            for (int lane = 0; lane < sizeof(uint); lane += sizeof(ushort))
            {
                Expect.Equal((long)(ushort)(legacy >> (8 * lane)), LegacyConfigPorts.Read16(HostBridge, offset + lane), "legacy word lane");
                Expect.Equal((long)(ushort)(current >> (8 * lane)), PciConfigSpace.Read16(HostBridge, offset + lane), "word lane");
            }
        }
    }

    public static void EcamAndLegacyPortsReadTheSameHeader()
    {
        EcamConfigSpace ecam = PciConfigSpace.Ecam;
        if (ecam == null)
            return; // pc: no MCFG, nothing to compare
        for (int offset = 0; offset < HeaderBytes; offset += sizeof(uint))
            Expect.Equal((ulong)LegacyConfigPorts.Read32(HostBridge, offset), ecam.Read32(HostBridge, offset), "dword of 00:00.0 through ECAM and the ports");
        Expect.True(ecam.MappedBuses >= 1, "bus 0's window was mapped on first use");
    }

    public static void WritesAreSeenThroughBothMechanisms()
    {
        uint original = PciConfigSpace.Read32(HostBridge, InterruptLineOffset);
        ushort withScratch = (ushort)((original & 0xFF00) | ScratchLine);

        PciConfigSpace.Write16(HostBridge, InterruptLineOffset, withScratch);
        Expect.Equal((long)ScratchLine, LegacyConfigPorts.Read8(HostBridge, InterruptLineOffset), "a 16-bit write, read back through the ports");
        Expect.Equal((long)ScratchLine, PciConfigSpace.Read8(HostBridge, InterruptLineOffset), "a 16-bit write, read back");

        LegacyConfigPorts.Write32(HostBridge, InterruptLineOffset, original);
        Expect.Equal((ulong)original, PciConfigSpace.Read32(HostBridge, InterruptLineOffset), "a 32-bit write through the ports, read back");
    }

    public static void AbsentFunctionsReadAllOnes()
    {
        Expect.Equal((long)PciConfigSpace.AbsentVendorId, PciConfigSpace.Read16(EmptySlot, VendorIdOffset), "vendor ID of an empty slot");
        Expect.Equal(0xFFFF_FFFFUL, PciConfigSpace.Read32(EmptySlot, VendorIdOffset), "first dword of an empty slot");
        Expect.Equal((long)PciConfigSpace.AbsentVendorId, PciConfigSpace.Read16(UnreachedBus, VendorIdOffset), "vendor ID on a bus no bridge leads to");
        Expect.Equal((long)PciConfigSpace.AbsentVendorId, PciConfigSpace.Read16(OtherSegment, VendorIdOffset), "vendor ID in a segment nothing reaches");
        PciConfigSpace.Write32(OtherSegment, InterruptLineOffset, 0); // dropped
    }

    // What the boot's enumeration found, looked up by address; null when nothing is there.
    private static PciFunction Enumerated(int bus, int device, int function)
    {
        PciFunction[] functions = PciBus.Functions;
        for (int i = 0; i < functions.Length; i++)
        {
            PciAddress address = functions[i].Address;
            if (address.Bus == bus && address.Device == device && address.Function == function)
                return functions[i];
        }
        return null;
    }

    public static void EnumerationFoundTheHostBridge()
    {
        PciFunction[] functions = PciBus.Functions;
        Expect.True(functions.Length >= 3, "the boot enumerated at least the host bridge, an ISA bridge and VGA");
        Expect.True(PciBus.Enumerate() == functions, "a second Enumerate returns the cached array");
        Expect.True(PciBus.Scan.BusCount >= 1, "bus 0 was scanned");
        PciFunction host = Enumerated(0, 0, 0);
        Expect.True(host != null, "00:00.0 was found");
        Expect.Equal((long)IntelVendorId, host.VendorId, "host bridge vendor");
        Expect.Equal("Host bridge", host.ClassName, "host bridge class name");
        for (int i = 1; i < functions.Length; i++)
        {
            PciAddress a = functions[i - 1].Address, b = functions[i].Address;
            Expect.True((a.Bus << 8 | a.Device << 3 | a.Function) < (b.Bus << 8 | b.Device << 3 | b.Function), "functions sorted by address, each once");
        }
    }

    // q35: ICH9 AHCI at 00:1f.2 (BAR4 32 I/O ports, BAR5 4 KiB ABAR), SMBus at 00:1f.3; pc: PIIX3 ISA at 00:01.0,
    // its IDE at 00:01.1 (BAR4 16 I/O ports for bus-master DMA). Both: the std VGA's 16 MiB prefetchable framebuffer
    // BAR (q35 at 00:01.0, pc at 00:02.0). Sizes are QEMU's (hw/ide/ahci.c, hw/i2c/smbus_ich9.c, hw/ide/piix.c, hw/display/vga-pci.c).
    public static void QemuDevicesHavePlausibleBars()
    {
        bool q35 = PciConfigSpace.Ecam != null;
        PciFunction vga = q35 ? Enumerated(0, 1, 0) : Enumerated(0, 2, 0);
        Expect.True(vga != null && vga.ClassName == "VGA compatible controller", "the VGA function");
        Expect.True(vga.TryGetBar(0, out PciBar framebuffer), "VGA BAR0");
        Expect.True(framebuffer.IsMemory && framebuffer.IsPrefetchable && framebuffer.Size == 16UL << 20, "VGA BAR0: 16 MiB prefetchable memory");
        Expect.True(framebuffer.Address != 0 && framebuffer.Address % framebuffer.Size == 0, "VGA BAR0 assigned and aligned to its size");
        if (q35)
        {
            PciFunction sata = Enumerated(0, 0x1f, 2);
            Expect.True(sata != null, "00:1f.2 found");
            Expect.Equal("SATA controller (AHCI)", sata.ClassName, "00:1f.2 class");
            Expect.True(sata.TryGetBar(4, out PciBar ports) && !ports.IsMemory && ports.Size == 32, "AHCI BAR4: 32 I/O ports");
            Expect.True(sata.TryGetBar(5, out PciBar abar) && abar.IsMemory && !abar.Is64Bit && abar.Size == 4096, "AHCI BAR5: 4 KiB of memory");
            Expect.True(sata.FindCapability(PciCapability.Msi) >= 0x40, "AHCI has MSI");
            Expect.True(Enumerated(0, 0x1f, 3) != null && Enumerated(0, 0x1f, 3).ClassName == "SMBus", "00:1f.3 SMBus");
        }
        else
        {
            Expect.Equal("ISA bridge", Enumerated(0, 1, 0).ClassName, "00:01.0 class");
            PciFunction ide = Enumerated(0, 1, 1);
            Expect.True(ide != null && ide.ClassName == "IDE interface", "00:01.1 IDE");
            Expect.True(ide.TryGetBar(4, out PciBar dma) && !dma.IsMemory && dma.Size == 16, "IDE BAR4: 16 I/O ports");
        }
    }

    public static void EveryCapabilityListEnds()
    {
        PciFunction[] functions = PciBus.Functions;
        for (int i = 0; i < functions.Length; i++)
        {
            PciFunction function = functions[i];
            Expect.True(function.CapabilityProblem == null, function.Location + ": " + function.CapabilityProblem);
            PciCapability[] again = PciCapabilityList.Read(PciConfigSpaceAccess.Instance, function.Address, function.HeaderType, out _);
            Expect.Equal(function.Capabilities.Length, again.Length, function.Location + ": the same list on a second walk");
            for (int c = 0; c < again.Length; c++)
            {
                Expect.Equal(function.Capabilities[c].Offset, again[c].Offset, function.Location + ": capability offset");
                Expect.True(again[c].Offset >= 0x40 && again[c].Offset % 4 == 0, function.Location + ": capability after the header, aligned");
            }
        }
    }

    // Sizes every function's BARs again (but the display's: the console draws into its framebuffer) and checks
    // the header's BAR and command registers are back to what they were, and the sizes are the boot's.
    public static void BarSizingRestoresTheRegisters()
    {
        PciFunction[] functions = PciBus.Functions;
        for (int i = 0; i < functions.Length; i++)
        {
            PciFunction function = functions[i];
            if (function.ClassCode == DisplayClass)
                continue;
            uint[] before = new uint[HeaderRegistersChecked];
            for (int r = 0; r < before.Length; r++)
                before[r] = PciConfigSpace.Read32(function.Address, CommandOffset + r * sizeof(uint)) & (r == 0 ? 0xFFFFu : 0xFFFF_FFFFu);
            PciBar[] bars = PciBarSizing.Read(PciConfigSpaceAccess.Instance, function.Address, function.HeaderType, function.IsHostBridge);
            for (int r = 0; r < before.Length; r++)
            {
                uint after = PciConfigSpace.Read32(function.Address, CommandOffset + r * sizeof(uint)) & (r == 0 ? 0xFFFFu : 0xFFFF_FFFFu);
                Expect.Equal((ulong)before[r], after, function.Location + ": register 0x" + (CommandOffset + r * sizeof(uint)).ToString("x") + " restored");
            }
            Expect.Equal(function.Bars.Length, bars.Length, function.Location + ": the same BARs");
            for (int b = 0; b < bars.Length; b++)
            {
                Expect.Equal(function.Bars[b].Address, bars[b].Address, function.Location + ": BAR address");
                Expect.Equal(function.Bars[b].Size, bars[b].Size, function.Location + ": BAR size");
            }
        }
    }

    public static void MisalignedOffsetPanics() => PciConfigSpace.Read32(HostBridge, 0x42);
}
#endif
