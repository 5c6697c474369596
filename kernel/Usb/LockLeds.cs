// The keyboard's lock LEDs: the boot keyboard's 1-byte output report (HID 1.11 Appendix B.1; LED usages of the
// LED page 0x08, HID Usage Tables §11: bit 0 Num Lock, bit 1 Caps Lock, bit 2 Scroll Lock). A USB keyboard does
// not light its own LEDs; the host tracks the locks and sends SET_REPORT(output).
using System;

namespace Kernel.Usb;

/// <summary>
/// Lock state from key presses, and the LED report for it. Fed the same presses as the shell's decoder sees
/// (fresh presses only, never typematic repeats), so both agree on the locks.
/// </summary>
public sealed class LockLeds
{
    /// <summary>LED report bit: Num Lock.</summary>
    public const byte NumLockLed = 1 << 0;

    /// <summary>LED report bit: Caps Lock.</summary>
    public const byte CapsLockLed = 1 << 1;

    /// <summary>LED report bit: Scroll Lock.</summary>
    public const byte ScrollLockLed = 1 << 2;

    /// <summary>Bytes of the LED output report.</summary>
    public const int ReportLength = 1;

    private byte _sent;
    private bool _everSent;

    /// <summary>Creates the tracker with every lock off.</summary>
    public LockLeds()
    {
    }

    /// <summary>Creates the tracker with initial LED bits (to match locks the shell already has on).</summary>
    public LockLeds(byte initialReport)
    {
        Report = (byte)(initialReport & (NumLockLed | CapsLockLed | ScrollLockLed));
    }

    /// <summary>The LED output report for the current locks.</summary>
    public byte Report { get; private set; }

    /// <summary>Whether the report differs from the last one taken with <see cref="TakeChange"/> (or none was taken yet).</summary>
    public bool HasChange => !_everSent || Report != _sent;

    /// <summary>A key went down: Caps, Num and Scroll Lock toggle their bit. Returns whether the report changed.</summary>
    public bool OnKeyDown(byte usage)
    {
        byte bit = LedFor(usage);
        if (bit == 0)
            return false;
        Report ^= bit;
        return true;
    }

    /// <summary>
    /// When the report differs from the one last sent, gives it and counts it as sent: the driver then issues
    /// SET_REPORT. False when nothing needs sending.
    /// </summary>
    public bool TakeChange(out byte report)
    {
        report = Report;
        if (!HasChange)
            return false;
        _sent = Report;
        _everSent = true;
        return true;
    }

    private static byte LedFor(byte usage)
    {
        switch (usage)
        {
            case HidKeyboardUsages.NumLock: return NumLockLed;
            case HidKeyboardUsages.CapsLock: return CapsLockLed;
            case HidKeyboardUsages.ScrollLock: return ScrollLockLed;
            default: return 0;
        }
    }
}
