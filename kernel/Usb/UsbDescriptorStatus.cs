// Why a USB descriptor, or a walk over a configuration's descriptors, was not (wholly) understood. Device data is
// untrusted: parsers return one of these instead of throwing (USB 2.0 §9.5 and §9.6 say what well formed means).
namespace Kernel.Usb;

/// <summary>The outcome of parsing device-supplied descriptor bytes.</summary>
public enum UsbDescriptorStatus
{
    /// <summary>Well formed.</summary>
    Ok = 0,

    /// <summary>Fewer bytes than the descriptor's fixed part (or than the 2-byte header).</summary>
    TooShort,

    /// <summary>bDescriptorType is not the type asked for.</summary>
    WrongType,

    /// <summary>bLength is below the type's minimum (zero included); a walk cannot step past it and stops.</summary>
    BadLength,

    /// <summary>bLength runs past the end of the bytes; a walk stops before it.</summary>
    PastEnd,

    /// <summary>wTotalLength is below the configuration descriptor's own 9 bytes.</summary>
    BadTotalLength,

    /// <summary>wTotalLength claims more bytes than were read; the bytes at hand were walked.</summary>
    Truncated,

    /// <summary>An endpoint (or class) descriptor came before any interface descriptor; it was skipped.</summary>
    OrphanDescriptor,

    /// <summary>More interfaces than <see cref="UsbConfiguration.MaxInterfaces"/>; the rest were skipped.</summary>
    TooManyInterfaces,

    /// <summary>An interface with more endpoints than <see cref="UsbInterface.MaxEndpoints"/>; the rest were skipped.</summary>
    TooManyEndpoints,

    /// <summary>An interface has fewer endpoint descriptors than its bNumEndpoints says, or more.</summary>
    EndpointCountMismatch,

    /// <summary>The configuration has a different number of interfaces (alternate setting 0) than bNumInterfaces says.</summary>
    InterfaceCountMismatch,
}

/// <summary>Words for a <see cref="UsbDescriptorStatus"/>, for the boot log and lsusb.</summary>
public static class UsbDescriptorStatusText
{
    /// <summary>A short lower-case phrase for the status ("ok", "bLength past the end", ...).</summary>
    public static string Describe(UsbDescriptorStatus status)
    {
        switch (status)
        {
            case UsbDescriptorStatus.Ok: return "ok";
            case UsbDescriptorStatus.TooShort: return "descriptor too short";
            case UsbDescriptorStatus.WrongType: return "wrong descriptor type";
            case UsbDescriptorStatus.BadLength: return "bLength too small";
            case UsbDescriptorStatus.PastEnd: return "bLength past the end";
            case UsbDescriptorStatus.BadTotalLength: return "wTotalLength below 9";
            case UsbDescriptorStatus.Truncated: return "wTotalLength beyond the bytes read";
            case UsbDescriptorStatus.OrphanDescriptor: return "descriptor before any interface";
            case UsbDescriptorStatus.TooManyInterfaces: return "too many interfaces";
            case UsbDescriptorStatus.TooManyEndpoints: return "too many endpoints";
            case UsbDescriptorStatus.EndpointCountMismatch: return "endpoint count differs from bNumEndpoints";
            case UsbDescriptorStatus.InterfaceCountMismatch: return "interface count differs from bNumInterfaces";
            default: return "unknown status";
        }
    }

    /// <summary>
    /// Whether nothing was parsed: the configuration descriptor itself is missing or bad. Any other status still
    /// leaves the interfaces found before (or around) the problem, which a driver may use.
    /// </summary>
    public static bool IsFatal(UsbDescriptorStatus status) =>
        status == UsbDescriptorStatus.TooShort || status == UsbDescriptorStatus.WrongType
        || status == UsbDescriptorStatus.BadTotalLength;
}
