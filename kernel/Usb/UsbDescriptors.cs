// The numbers shared by every USB descriptor (USB 2.0 §9.4 Table 9-5 descriptor types, §9.6 layouts; USB 3.2
// §9.4 Table 9-6 for the SuperSpeed types; HID 1.11 §7.1 and the USB hub chapters for the class types) and the
// little-endian reads the parsers use.
using System;

namespace Kernel.Usb;

/// <summary>bDescriptorType values and class codes.</summary>
public static class UsbDescriptors
{
    /// <summary>Every descriptor starts with bLength and bDescriptorType.</summary>
    public const int HeaderLength = 2;

    /// <summary>DEVICE (USB 2.0 Table 9-5).</summary>
    public const byte DeviceType = 1;

    /// <summary>CONFIGURATION.</summary>
    public const byte ConfigurationType = 2;

    /// <summary>STRING.</summary>
    public const byte StringType = 3;

    /// <summary>INTERFACE.</summary>
    public const byte InterfaceType = 4;

    /// <summary>ENDPOINT.</summary>
    public const byte EndpointType = 5;

    /// <summary>INTERFACE_ASSOCIATION (USB 3.2 Table 9-6).</summary>
    public const byte InterfaceAssociationType = 11;

    /// <summary>HID class descriptor (HID 1.11 §7.1).</summary>
    public const byte HidType = 0x21;

    /// <summary>HID report descriptor, read with GET_DESCRIPTOR to the interface (HID 1.11 §7.1.1).</summary>
    public const byte HidReportType = 0x22;

    /// <summary>USB 2.0 hub descriptor (USB 2.0 §11.23.2.1).</summary>
    public const byte HubType = 0x29;

    /// <summary>SuperSpeed hub descriptor (USB 3.2 §10.15.2.1).</summary>
    public const byte SuperSpeedHubType = 0x2A;

    /// <summary>SUPERSPEED_USB_ENDPOINT_COMPANION (USB 3.2 §9.6.7).</summary>
    public const byte SuperSpeedEndpointCompanionType = 0x30;

    /// <summary>bInterfaceClass of HID (HID 1.11 §4.1).</summary>
    public const byte HidClass = 3;

    /// <summary>bDeviceClass / bInterfaceClass of hubs (USB 2.0 §11.23.1).</summary>
    public const byte HubClass = 9;

    /// <summary>bInterfaceSubClass 1: the interface supports the boot protocol (HID 1.11 §4.2).</summary>
    public const byte HidBootSubClass = 1;

    /// <summary>bInterfaceProtocol 1 of a boot interface: keyboard (HID 1.11 §4.3).</summary>
    public const byte HidKeyboardProtocol = 1;

    /// <summary>bInterfaceProtocol 2 of a boot interface: mouse.</summary>
    public const byte HidMouseProtocol = 2;

    /// <summary>Reads a little-endian 16-bit field; the caller has checked the bounds.</summary>
    internal static ushort ReadUInt16(ReadOnlySpan<byte> bytes, int offset) =>
        (ushort)(bytes[offset] | (bytes[offset + 1] << 8));

    /// <summary>
    /// Checks the header of the descriptor at the start of bytes: at least minimumLength bytes, the type, and a
    /// bLength between minimumLength and the bytes available.
    /// </summary>
    internal static UsbDescriptorStatus CheckHeader(ReadOnlySpan<byte> bytes, byte type, int minimumLength)
    {
        if (bytes.Length < HeaderLength)
            return UsbDescriptorStatus.TooShort;
        if (bytes[1] != type)
            return UsbDescriptorStatus.WrongType;
        if (bytes[0] < minimumLength)
            return UsbDescriptorStatus.BadLength;
        if (bytes[0] > bytes.Length)
            return UsbDescriptorStatus.PastEnd;
        return UsbDescriptorStatus.Ok;
    }
}
