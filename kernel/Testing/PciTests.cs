#if KERNEL_TESTS
// In-kernel tests of PCI configuration space on QEMU's machines (the host tests cover the encodings): the host
// bridge's identity, ECAM and the legacy ports agreeing byte for byte, writes through one seen through the other,
// and all ones from a slot QEMU leaves empty. Register offsets are the type 0 header's (PCI 3.0 §6.1, Figure 6-1).
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

    public static void MisalignedOffsetPanics() => PciConfigSpace.Read32(HostBridge, 0x42);
}
#endif
