// Typematic repeat for USB keyboards, which (unlike PS/2 ones) never repeat by themselves: HID 1.11 §7.2.4 leaves
// it to the host once SET_IDLE(0) stops the device resending reports. Modeled on the PS/2 keyboard's own
// typematic behaviour (IBM PS/2 Technical Reference, "Typematic Rate/Delay"): the last key pressed repeats its make
// code after a delay, at a rate, until it is released or another key is pressed.
using System;

namespace Kernel.Usb;

/// <summary>
/// A typematic state machine driven by a millisecond clock the caller passes in. Pure: the driver calls
/// <see cref="OnKeyDown"/> and <see cref="OnKeyUp"/> with the usages a report pressed and released, and
/// <see cref="Poll"/> from a timer.
/// </summary>
/// <remarks>
/// Modifiers never repeat, and pressing one does not stop the repeating key (holding 'a' and then pressing
/// Shift goes on repeating, now as 'A', as PC operating systems do). A late poll emits one repeat and
/// schedules the next a period after it, instead of a burst of the repeats it missed.
/// </remarks>
public sealed class KeyRepeat
{
    /// <summary>The delay before the first repeat: 500 ms, the PS/2 power-on default.</summary>
    public const int DefaultDelayMs = 500;

    /// <summary>The period between repeats: 33 ms, about 30 per second (the PS/2 default is 10.9/s; PCs set 30).</summary>
    public const int DefaultPeriodMs = 33;

    /// <summary>Bytes one repeat can produce (an E0-prefixed make code).</summary>
    public const int MaxBytesPerRepeat = 2;

    private readonly ulong _delayMs;
    private readonly ulong _periodMs;
    private byte _usage;
    private bool _active;
    private ulong _dueMs;

    /// <summary>Creates a repeater with the default delay and rate.</summary>
    public KeyRepeat()
        : this(DefaultDelayMs, DefaultPeriodMs)
    {
    }

    /// <summary>Creates a repeater; a period below 1 ms counts as 1.</summary>
    public KeyRepeat(int delayMs, int periodMs)
    {
        _delayMs = delayMs < 0 ? 0UL : (ulong)delayMs;
        _periodMs = periodMs < 1 ? 1UL : (ulong)periodMs;
    }

    /// <summary>Whether a key is held and will repeat.</summary>
    public bool IsActive => _active;

    /// <summary>The usage that repeats (meaningful while <see cref="IsActive"/>).</summary>
    public byte Usage => _usage;

    /// <summary>When the next repeat is due (meaningful while <see cref="IsActive"/>): the time for the caller's timer.</summary>
    public ulong DueMs => _dueMs;

    /// <summary>A key went down at nowMs: it becomes the repeating key unless it is a modifier or cannot repeat.</summary>
    public void OnKeyDown(byte usage, ulong nowMs)
    {
        if (HidKeyboardUsages.IsModifier(usage))
            return;
        if (!HidKeyboardUsages.Repeats(usage))
        {
            // Another key was pressed: the old one stops, as on PS/2, even though this one does not repeat.
            _active = false;
            return;
        }

        _usage = usage;
        _active = true;
        _dueMs = nowMs + _delayMs;
    }

    /// <summary>A key went up: if it is the repeating key, repeating stops.</summary>
    public void OnKeyUp(byte usage)
    {
        if (_active && usage == _usage)
            _active = false;
    }

    /// <summary>Stops repeating (the keyboard went away, or a report was lost).</summary>
    public void Stop() => _active = false;

    /// <summary>
    /// Writes the repeating key's make code into output when a repeat is due at nowMs, and returns the byte count
    /// (0 when none is due, or when output is shorter than <see cref="MaxBytesPerRepeat"/>).
    /// </summary>
    public int Poll(ulong nowMs, Span<byte> output)
    {
        if (!_active || nowMs < _dueMs || output.Length < MaxBytesPerRepeat)
            return 0;
        int count = HidKeyboardUsages.WriteSet1(_usage, true, output);
        _dueMs += _periodMs;
        if (_dueMs <= nowMs)
            _dueMs = nowMs + _periodMs;
        return count;
    }
}
