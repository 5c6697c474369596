// One USB boot keyboard's input side, put together: reports decoded to set 1 bytes (BootKeyboardDecoder), the
// host-side typematic repeat (KeyRepeat) and the lock LEDs (LockLeds). What the xHCI driver holds per keyboard.
using System;

namespace Kernel.Usb;

/// <summary>A boot keyboard's report decoding, key repeat and LED state. Pure; no allocation per report.</summary>
public sealed class BootKeyboard
{
    /// <summary>Creates the state with the default repeat delay and rate and every lock off.</summary>
    public BootKeyboard()
        : this(new KeyRepeat(), new LockLeds())
    {
    }

    /// <summary>Creates the state with a given repeater and LED tracker.</summary>
    public BootKeyboard(KeyRepeat repeat, LockLeds leds)
    {
        Decoder = new BootKeyboardDecoder();
        Repeat = repeat;
        Leds = leds;
    }

    /// <summary>The report decoder (counters, held keys).</summary>
    public BootKeyboardDecoder Decoder { get; }

    /// <summary>The typematic repeater.</summary>
    public KeyRepeat Repeat { get; }

    /// <summary>The lock LEDs; after a report, <see cref="LockLeds.TakeChange"/> says whether to send SET_REPORT.</summary>
    public LockLeds Leds { get; }

    /// <summary>
    /// Decodes a report received at nowMs into set 1 bytes in output (at least
    /// <see cref="BootKeyboardDecoder.MaxOutputBytes"/> long), updating repeat and locks from its presses and
    /// releases. A report that is not Ok changes nothing, and a key that was repeating goes on repeating.
    /// </summary>
    public BootReportStatus OnReport(ReadOnlySpan<byte> report, ulong nowMs, Span<byte> output, out int written)
    {
        BootReportStatus status = Decoder.Decode(report, output, out written);
        if (status != BootReportStatus.Ok)
            return status;
        ReadOnlySpan<byte> released = Decoder.Released;
        for (int i = 0; i < released.Length; i++)
            Repeat.OnKeyUp(released[i]);
        ReadOnlySpan<byte> pressed = Decoder.Pressed;
        for (int i = 0; i < pressed.Length; i++)
        {
            Repeat.OnKeyDown(pressed[i], nowMs);
            Leds.OnKeyDown(pressed[i]);
        }

        return status;
    }

    /// <summary>The typematic bytes due at nowMs (see <see cref="KeyRepeat.Poll"/>).</summary>
    public int Poll(ulong nowMs, Span<byte> output) => Repeat.Poll(nowMs, output);

    /// <summary>The keyboard went away: forget held keys and stop repeating (no releases are sent).</summary>
    public void Disconnect()
    {
        Decoder.Reset();
        Repeat.Stop();
    }
}
