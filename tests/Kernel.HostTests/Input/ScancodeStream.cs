// Feeding scan code set 1 byte sequences to a ScancodeDecoder in tests, and the make codes they use.
using System.Collections.Generic;
using System.Linq;
using Kernel.Input;

namespace Kernel.HostTests.Input;

internal static class ScancodeStream
{
    // Make codes (break = make | 0x80).
    public const byte LeftShift = 0x2A;
    public const byte RightShift = 0x36;
    public const byte LeftCtrl = 0x1D;
    public const byte LeftAlt = 0x38;
    public const byte CapsLock = 0x3A;
    public const byte NumLock = 0x45;
    public const byte Keypad8 = 0x48;
    public const byte Extended = 0xE0;

    public static readonly byte[] PauseSequence = { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5 };

    /// <summary>Feeds every byte and returns the events produced.</summary>
    public static List<KeyEvent> Feed(ScancodeDecoder decoder, params byte[] bytes)
    {
        List<KeyEvent> events = new();
        foreach (byte b in bytes)
        {
            if (decoder.Feed(b, out KeyEvent e))
                events.Add(e);
        }

        return events;
    }

    /// <summary>The characters the events typed.</summary>
    public static string Typed(IEnumerable<KeyEvent> events) =>
        new string(events.Where(e => e.HasCharacter).Select(e => e.Character).ToArray());

    /// <summary>Press and release.</summary>
    public static byte[] Tap(byte make) => new[] { make, (byte)(make | 0x80) };

    /// <summary>Press and release with the left Shift held.</summary>
    public static byte[] Shifted(byte make) => new[] { LeftShift, make, (byte)(make | 0x80), (byte)(LeftShift | 0x80) };

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
