// Offsets and bits of the configuration header every function has (PCI Local Bus 3.0 §6.1-§6.2, Figure 6-1 for
// header type 0) and of the PCI-to-PCI bridge's type 1 header (PCI-to-PCI Bridge Architecture 1.2 §3.2, Figure
// 3-2). Dword offsets: enumeration reads whole dwords and picks the bytes out. Pure.
namespace Kernel.Pci;

/// <summary>Configuration header registers.</summary>
public static class PciHeader
{
    /// <summary>Vendor ID (bits 15:0) and device ID (31:16).</summary>
    public const int IdOffset = 0x00;

    /// <summary>Command (bits 15:0) and status (31:16).</summary>
    public const int CommandStatusOffset = 0x04;

    /// <summary>Revision ID (7:0), programming interface (15:8), subclass (23:16), base class (31:24).</summary>
    public const int ClassRevisionOffset = 0x08;

    /// <summary>Cache line size, latency timer, header type (23:16), BIST.</summary>
    public const int HeaderTypeDwordOffset = 0x0C;

    /// <summary>The first base address register; each is a dword.</summary>
    public const int FirstBarOffset = 0x10;

    /// <summary>Type 1: primary (7:0), secondary (15:8) and subordinate (23:16) bus numbers.</summary>
    public const int BusNumbersOffset = 0x18;

    /// <summary>Type 0: subsystem vendor ID (15:0) and subsystem ID (31:16).</summary>
    public const int SubsystemOffset = 0x2C;

    /// <summary>Types 0 and 1: the capabilities pointer (7:0).</summary>
    public const int CapabilitiesPointerOffset = 0x34;

    /// <summary>Interrupt line (7:0) and interrupt pin (15:8), in both header types.</summary>
    public const int InterruptOffset = 0x3C;

    /// <summary>The header's size: capabilities live after it.</summary>
    public const int HeaderBytes = 0x40;

    /// <summary>The configuration space every mechanism reaches.</summary>
    public const int SpaceBytes = 256;

    /// <summary>Header type 0: an ordinary device.</summary>
    public const byte DeviceHeader = 0;

    /// <summary>Header type 1: a PCI-to-PCI bridge.</summary>
    public const byte BridgeHeader = 1;

    /// <summary>Header type 2: a CardBus bridge.</summary>
    public const byte CardBusHeader = 2;

    /// <summary>Header type bit 7: the device has functions 1-7 (§6.2.1).</summary>
    public const byte MultiFunctionBit = 0x80;

    /// <summary>BARs in a type 0 header.</summary>
    public const int DeviceBarCount = 6;

    /// <summary>BARs in a type 1 header.</summary>
    public const int BridgeBarCount = 2;

    /// <summary>Command bit 0: the function answers I/O accesses.</summary>
    public const ushort CommandIoSpace = 1 << 0;

    /// <summary>Command bit 1: the function answers memory accesses.</summary>
    public const ushort CommandMemorySpace = 1 << 1;

    /// <summary>Command bit 2: the function may master the bus (DMA, MSI writes).</summary>
    public const ushort CommandBusMaster = 1 << 2;

    /// <summary>Command bit 10: the function may not assert INTx (it uses MSI or MSI-X instead).</summary>
    public const ushort CommandInterruptDisable = 1 << 10;

    /// <summary>Status bit 4: the capabilities pointer is valid (§6.2.3).</summary>
    public const ushort StatusCapabilitiesList = 1 << 4;

    /// <summary>Vendor ID of a function that does not exist: the all-ones a master abort reads.</summary>
    public const ushort AbsentVendorId = 0xFFFF;

    /// <summary>Vendor ID 0 is not assigned either; a broken or half-powered device may read it.</summary>
    public const ushort InvalidVendorId = 0x0000;

    /// <summary>The number of BAR registers a header type has (0 for a type without BARs this kernel reads).</summary>
    public static int BarCount(byte headerType) =>
        headerType == DeviceHeader ? DeviceBarCount : headerType == BridgeHeader ? BridgeBarCount : 0;
}
