// USB bus speeds as the xHCI Port Speed ID values of PORTSC and the slot context (xHCI 1.2 §7.2.2.1.1, Table 7-13:
// the default Protocol Speed ID mapping), and the default control endpoint size each speed starts with
// (USB 2.0 §5.5.3, USB 3.2 §9.6.1).
namespace Kernel.Usb;

/// <summary>A device's bus speed, numbered as xHCI's default Protocol Speed IDs.</summary>
public enum UsbSpeed : byte
{
    /// <summary>No device, or a speed ID the controller defines for itself.</summary>
    Unknown = 0,

    /// <summary>Full speed, 12 Mb/s (USB 1.1).</summary>
    Full = 1,

    /// <summary>Low speed, 1.5 Mb/s (USB 1.1 keyboards and mice).</summary>
    Low = 2,

    /// <summary>High speed, 480 Mb/s (USB 2.0).</summary>
    High = 3,

    /// <summary>SuperSpeed, 5 Gb/s (USB 3.x Gen 1).</summary>
    Super = 4,

    /// <summary>SuperSpeedPlus, 10 Gb/s (USB 3.x Gen 2).</summary>
    SuperPlus = 5,
}

/// <summary>Facts that follow from a <see cref="UsbSpeed"/>.</summary>
public static class UsbSpeeds
{
    /// <summary>
    /// The control endpoint's max packet size to use before the device descriptor is read: 8 for low speed (the
    /// only size allowed), 8 for full speed (the smallest allowed; the real one, 8 to 64, comes from
    /// bMaxPacketSize0 of the first 8 bytes of the device descriptor), 64 for high speed and 512 for SuperSpeed
    /// (both fixed by the spec). 0 for <see cref="UsbSpeed.Unknown"/>.
    /// </summary>
    public static int DefaultMaxPacketSize0(UsbSpeed speed)
    {
        switch (speed)
        {
            case UsbSpeed.Low: return 8;
            case UsbSpeed.Full: return 8;
            case UsbSpeed.High: return 64;
            case UsbSpeed.Super: return 512;
            case UsbSpeed.SuperPlus: return 512;
            default: return 0;
        }
    }

    /// <summary>Whether the speed is one of USB 1.1's (split transactions through a hub's transaction translator).</summary>
    public static bool IsLowOrFull(UsbSpeed speed) => speed == UsbSpeed.Low || speed == UsbSpeed.Full;

    /// <summary>Whether the speed is a USB 3 one (SuperSpeed or SuperSpeedPlus).</summary>
    public static bool IsSuperSpeed(UsbSpeed speed) => speed == UsbSpeed.Super || speed == UsbSpeed.SuperPlus;

    /// <summary>A short name for logs and lsusb: "low", "full", "high", "super", "super+", "unknown".</summary>
    public static string Name(UsbSpeed speed)
    {
        switch (speed)
        {
            case UsbSpeed.Low: return "low";
            case UsbSpeed.Full: return "full";
            case UsbSpeed.High: return "high";
            case UsbSpeed.Super: return "super";
            case UsbSpeed.SuperPlus: return "super+";
            default: return "unknown";
        }
    }
}
