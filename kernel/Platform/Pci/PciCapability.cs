// One entry of a function's capability list (PCI Local Bus 3.0 §6.7): its ID and where it is in configuration
// space, with a short name for the IDs of the PCI Code and ID Assignment spec 1.11 §2. Pure.
namespace Kernel.Pci;

/// <summary>A capability structure in the function's configuration space.</summary>
public readonly struct PciCapability
{
    /// <summary>Power Management Interface.</summary>
    public const byte PowerManagement = 0x01;

    /// <summary>Message Signaled Interrupts.</summary>
    public const byte Msi = 0x05;

    /// <summary>Vendor specific.</summary>
    public const byte VendorSpecific = 0x09;

    /// <summary>PCI Express.</summary>
    public const byte PciExpress = 0x10;

    /// <summary>MSI-X.</summary>
    public const byte MsiX = 0x11;

    /// <summary>The capability with ID id at configuration offset offset.</summary>
    public PciCapability(byte id, int offset)
    {
        Id = id;
        Offset = offset;
    }

    /// <summary>The capability ID.</summary>
    public byte Id { get; }

    /// <summary>Where its structure starts (the ID byte).</summary>
    public int Offset { get; }

    /// <summary>A short name: "MSI", "PCIe", "MSI-X", or "cap 0x2a" for an ID without one.</summary>
    public string Name => NameOf(Id);

    /// <summary>The short name of capability ID id.</summary>
    public static string NameOf(byte id) => id switch
    {
        PowerManagement => "PM",
        0x02 => "AGP",
        0x03 => "VPD",
        0x04 => "Slot ID",
        Msi => "MSI",
        0x06 => "Hot Swap",
        0x07 => "PCI-X",
        0x08 => "HyperTransport",
        VendorSpecific => "Vendor",
        0x0A => "Debug port",
        0x0B => "CompactPCI CRC",
        0x0C => "Hot-Plug",
        0x0D => "Bridge subsystem",
        0x0E => "AGP 8x",
        0x0F => "Secure",
        PciExpress => "PCIe",
        MsiX => "MSI-X",
        0x12 => "SATA",
        0x13 => "AF",
        0x14 => "EA",
        0x15 => "FPB",
        _ => "cap 0x" + ((uint)id).ToString("x2"),
    };
}
