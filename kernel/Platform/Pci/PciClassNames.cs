// Names of the PCI base classes and their common subclasses and programming interfaces (PCI Code and ID
// Assignment spec 1.11 §1), worded as lspci words them, for the `pci` command. Pure.
namespace Kernel.Pci;

/// <summary>What a class code means.</summary>
public static class PciClassNames
{
    /// <summary>Base class 0x0C, subclass 0x03: a USB host controller; the programming interface says which kind.</summary>
    public const byte SerialBusClass = 0x0C;

    /// <summary>Subclass 0x03 of the serial bus class.</summary>
    public const byte UsbSubclass = 0x03;

    /// <summary>Programming interface of an xHCI controller.</summary>
    public const byte XhciProgIf = 0x30;

    /// <summary>"USB controller (xHCI)", "Host bridge", "Bridge" for an unknown subclass of a known class, "Class 0x42" otherwise.</summary>
    public static string Describe(byte classCode, byte subclass, byte progIf)
    {
        string name = SubclassName(classCode, subclass);
        if (name == null)
            return BaseName(classCode);
        string flavour = ProgIfName(classCode, subclass, progIf);
        return flavour == null ? name : name + " (" + flavour + ")";
    }

    /// <summary>The base class's name, e.g. "Mass storage controller".</summary>
    public static string BaseName(byte classCode) => classCode switch
    {
        0x00 => "Unclassified device",
        0x01 => "Mass storage controller",
        0x02 => "Network controller",
        0x03 => "Display controller",
        0x04 => "Multimedia controller",
        0x05 => "Memory controller",
        0x06 => "Bridge",
        0x07 => "Communication controller",
        0x08 => "Generic system peripheral",
        0x09 => "Input device controller",
        0x0A => "Docking station",
        0x0B => "Processor",
        SerialBusClass => "Serial bus controller",
        0x0D => "Wireless controller",
        0x0E => "Intelligent controller",
        0x0F => "Satellite communications controller",
        0x10 => "Encryption controller",
        0x11 => "Signal processing controller",
        0x12 => "Processing accelerators",
        0x13 => "Non-Essential Instrumentation",
        0x40 => "Coprocessor",
        0xFF => "Unassigned class",
        _ => "Class 0x" + ((uint)classCode).ToString("x2"),
    };

    // The subclass's name, or null when the table does not have it.
    private static string SubclassName(byte classCode, byte subclass) => (classCode << 8 | subclass) switch
    {
        0x0000 => "Non-VGA unclassified device",
        0x0001 => "VGA compatible unclassified device",
        0x0100 => "SCSI storage controller",
        0x0101 => "IDE interface",
        0x0102 => "Floppy disk controller",
        0x0104 => "RAID bus controller",
        0x0105 => "ATA controller",
        0x0106 => "SATA controller",
        0x0107 => "Serial Attached SCSI controller",
        0x0108 => "Non-Volatile memory controller",
        0x0200 => "Ethernet controller",
        0x0280 => "Network controller",
        0x0300 => "VGA compatible controller",
        0x0301 => "XGA compatible controller",
        0x0302 => "3D controller",
        0x0380 => "Display controller",
        0x0400 => "Multimedia video controller",
        0x0401 => "Multimedia audio controller",
        0x0403 => "Audio device",
        0x0500 => "RAM memory",
        0x0600 => "Host bridge",
        0x0601 => "ISA bridge",
        0x0602 => "EISA bridge",
        0x0604 => "PCI bridge",
        0x0605 => "PCMCIA bridge",
        0x0607 => "CardBus bridge",
        0x0609 => "Semi-transparent PCI-to-PCI bridge",
        0x0680 => "Bridge",
        0x0700 => "Serial controller",
        0x0701 => "Parallel controller",
        0x0703 => "Modem",
        0x0780 => "Communication controller",
        0x0800 => "PIC",
        0x0801 => "DMA controller",
        0x0802 => "Timer",
        0x0803 => "RTC",
        0x0805 => "SD Host controller",
        0x0806 => "IOMMU",
        0x0880 => "System peripheral",
        0x0900 => "Keyboard controller",
        0x0902 => "Mouse controller",
        0x0C00 => "FireWire (IEEE 1394)",
        0x0C03 => "USB controller",
        0x0C04 => "Fibre Channel",
        0x0C05 => "SMBus",
        0x0C07 => "IPMI interface",
        0x0D11 => "Bluetooth",
        0x0D80 => "Wireless controller",
        0x1080 => "Encryption controller",
        _ => null,
    };

    // The programming interface's name where it tells controllers apart, or null.
    private static string ProgIfName(byte classCode, byte subclass, byte progIf) => (classCode << 16 | subclass << 8 | progIf) switch
    {
        0x010601 => "AHCI",
        0x010802 => "NVMe",
        0x0C0300 => "UHCI",
        0x0C0310 => "OHCI",
        0x0C0320 => "EHCI",
        0x0C0330 => "xHCI",
        0x0C0340 => "USB4",
        0x0C03FE => "USB device",
        0x070002 => "16550",
        _ => null,
    };
}
