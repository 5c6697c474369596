// The standard device descriptor (USB 2.0 §9.6.1, Table 9-8; USB 3.2 §9.6.1 for bMaxPacketSize0 as an exponent).
using System;

namespace Kernel.Usb;

/// <summary>The 18-byte device descriptor, GET_DESCRIPTOR(DEVICE).</summary>
public readonly struct UsbDeviceDescriptor
{
    /// <summary>bLength of a device descriptor.</summary>
    public const int Length = 18;

    /// <summary>
    /// Bytes that hold bMaxPacketSize0: a full-speed device's control endpoint size must be learned from the first
    /// 8 bytes before the whole descriptor can be read (USB 2.0 §9.6.1 and §5.5.3).
    /// </summary>
    public const int MaxPacketSizePrefixLength = 8;

    // Table 9-8 offsets.
    private const int UsbVersionOffset = 2;
    private const int ClassOffset = 4;
    private const int SubClassOffset = 5;
    private const int ProtocolOffset = 6;
    private const int MaxPacketSize0Offset = 7;
    private const int VendorOffset = 8;
    private const int ProductOffset = 10;
    private const int DeviceVersionOffset = 12;
    private const int ManufacturerOffset = 14;
    private const int ProductStringOffset = 15;
    private const int SerialOffset = 16;
    private const int ConfigurationCountOffset = 17;

    // bcdUSB 3.00 and later give bMaxPacketSize0 as a power of two (9 for 512 bytes).
    private const ushort FirstExponentVersion = 0x0300;
    private const int LargestExponent = 15;

    private UsbDeviceDescriptor(ReadOnlySpan<byte> bytes)
    {
        UsbVersion = UsbDescriptors.ReadUInt16(bytes, UsbVersionOffset);
        DeviceClass = bytes[ClassOffset];
        DeviceSubClass = bytes[SubClassOffset];
        DeviceProtocol = bytes[ProtocolOffset];
        RawMaxPacketSize0 = bytes[MaxPacketSize0Offset];
        VendorId = UsbDescriptors.ReadUInt16(bytes, VendorOffset);
        ProductId = UsbDescriptors.ReadUInt16(bytes, ProductOffset);
        DeviceVersion = UsbDescriptors.ReadUInt16(bytes, DeviceVersionOffset);
        ManufacturerIndex = bytes[ManufacturerOffset];
        ProductIndex = bytes[ProductStringOffset];
        SerialNumberIndex = bytes[SerialOffset];
        ConfigurationCount = bytes[ConfigurationCountOffset];
    }

    /// <summary>bcdUSB: the USB release in BCD (0x0200 is 2.00).</summary>
    public ushort UsbVersion { get; }

    /// <summary>bDeviceClass (0: each interface says; 9: hub).</summary>
    public byte DeviceClass { get; }

    /// <summary>bDeviceSubClass.</summary>
    public byte DeviceSubClass { get; }

    /// <summary>bDeviceProtocol (for hubs: 0 full speed, 1 single TT, 2 multiple TTs, 3 SuperSpeed).</summary>
    public byte DeviceProtocol { get; }

    /// <summary>bMaxPacketSize0 as sent: bytes for USB 2, an exponent for USB 3 (see <see cref="MaxPacketSize0"/>).</summary>
    public byte RawMaxPacketSize0 { get; }

    /// <summary>idVendor.</summary>
    public ushort VendorId { get; }

    /// <summary>idProduct.</summary>
    public ushort ProductId { get; }

    /// <summary>bcdDevice: the device's release in BCD.</summary>
    public ushort DeviceVersion { get; }

    /// <summary>iManufacturer: string index, 0 for none.</summary>
    public byte ManufacturerIndex { get; }

    /// <summary>iProduct: string index, 0 for none.</summary>
    public byte ProductIndex { get; }

    /// <summary>iSerialNumber: string index, 0 for none.</summary>
    public byte SerialNumberIndex { get; }

    /// <summary>bNumConfigurations.</summary>
    public byte ConfigurationCount { get; }

    /// <summary>The control endpoint's max packet size in bytes (0 when a USB 3 exponent is absurd).</summary>
    public int MaxPacketSize0 => MaxPacketSize0From(UsbVersion, RawMaxPacketSize0);

    /// <summary>Whether this is a hub (bDeviceClass 9).</summary>
    public bool IsHub => DeviceClass == UsbDescriptors.HubClass;

    /// <summary>Parses a whole device descriptor; on any status but Ok, descriptor is default.</summary>
    public static UsbDescriptorStatus TryParse(ReadOnlySpan<byte> bytes, out UsbDeviceDescriptor descriptor)
    {
        descriptor = default;
        UsbDescriptorStatus status = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.DeviceType, Length);
        if (status != UsbDescriptorStatus.Ok)
            return status;
        descriptor = new UsbDeviceDescriptor(bytes);
        return UsbDescriptorStatus.Ok;
    }

    /// <summary>
    /// The control endpoint's max packet size from the first 8 bytes of a device descriptor (the whole one works
    /// too). bLength is not checked against the bytes: the prefix is short by design.
    /// </summary>
    public static UsbDescriptorStatus TryReadMaxPacketSize0(ReadOnlySpan<byte> prefix, out int maxPacketSize0)
    {
        maxPacketSize0 = 0;
        if (prefix.Length < MaxPacketSizePrefixLength)
            return UsbDescriptorStatus.TooShort;
        if (prefix[1] != UsbDescriptors.DeviceType)
            return UsbDescriptorStatus.WrongType;
        if (prefix[0] < Length)
            return UsbDescriptorStatus.BadLength;
        maxPacketSize0 = MaxPacketSize0From(UsbDescriptors.ReadUInt16(prefix, UsbVersionOffset), prefix[MaxPacketSize0Offset]);
        return UsbDescriptorStatus.Ok;
    }

    /// <summary>bMaxPacketSize0 in bytes: 2^raw from bcdUSB 3.00 on (0 if raw is above 15), raw before.</summary>
    public static int MaxPacketSize0From(ushort usbVersion, byte raw)
    {
        if (usbVersion < FirstExponentVersion)
            return raw;
        return raw > LargestExponent ? 0 : 1 << raw;
    }
}
