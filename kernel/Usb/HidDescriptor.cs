// The HID class descriptor that follows a HID interface descriptor (HID 1.11 §6.2.1): the HID release, the
// country code and the class descriptors (one report descriptor at least) with their lengths.
using System;

namespace Kernel.Usb;

/// <summary>A HID descriptor (type 0x21).</summary>
public readonly struct HidDescriptor
{
    /// <summary>The smallest HID descriptor: the fixed fields and one class descriptor entry.</summary>
    public const int MinimumLength = 9;

    private const int HidVersionOffset = 2;
    private const int CountryOffset = 4;
    private const int CountOffset = 5;
    private const int FirstEntryOffset = 6;
    private const int EntryLength = 3;

    private HidDescriptor(ushort hidVersion, byte countryCode, byte classDescriptorCount, ushort reportDescriptorLength)
    {
        HidVersion = hidVersion;
        CountryCode = countryCode;
        ClassDescriptorCount = classDescriptorCount;
        ReportDescriptorLength = reportDescriptorLength;
    }

    /// <summary>bcdHID: the HID release in BCD (0x0111 is 1.11).</summary>
    public ushort HidVersion { get; }

    /// <summary>bCountryCode: the localized hardware's country (0: not localized).</summary>
    public byte CountryCode { get; }

    /// <summary>bNumDescriptors: class descriptors listed.</summary>
    public byte ClassDescriptorCount { get; }

    /// <summary>wDescriptorLength of the first report descriptor listed (0 if none fits in bLength).</summary>
    public ushort ReportDescriptorLength { get; }

    /// <summary>Parses a HID descriptor; entries that bLength does not cover are not read.</summary>
    public static UsbDescriptorStatus TryParse(ReadOnlySpan<byte> bytes, out HidDescriptor hid)
    {
        hid = default;
        UsbDescriptorStatus status = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.HidType, MinimumLength);
        if (status != UsbDescriptorStatus.Ok)
            return status;
        int length = bytes[0];
        byte count = bytes[CountOffset];
        ushort reportLength = 0;
        for (int i = 0; i < count; i++)
        {
            int entry = FirstEntryOffset + i * EntryLength;
            if (entry + EntryLength > length)
                break;
            if (bytes[entry] == UsbDescriptors.HidReportType)
            {
                reportLength = UsbDescriptors.ReadUInt16(bytes, entry + 1);
                break;
            }
        }

        hid = new HidDescriptor(UsbDescriptors.ReadUInt16(bytes, HidVersionOffset), bytes[CountryOffset], count, reportLength);
        return UsbDescriptorStatus.Ok;
    }
}
