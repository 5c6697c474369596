// Tests for ScancodeDecoder on byte sequences: E0 extended keys, fake shifts, the E1 Pause sequence, Ctrl+Pause,
// and garbage (error codes, ACKs, stray prefixes) that is counted and recovered from.
using System.Collections.Generic;
using System.Linq;
using Kernel.Input;
using Xunit;
using static Kernel.HostTests.Input.ScancodeStream;

namespace Kernel.HostTests.Input;

public class ScancodeSequenceTests
{
    [Theory]
    [InlineData(0x47, Key.Home)]
    [InlineData(0x48, Key.Up)]
    [InlineData(0x49, Key.PageUp)]
    [InlineData(0x4B, Key.Left)]
    [InlineData(0x4D, Key.Right)]
    [InlineData(0x4F, Key.End)]
    [InlineData(0x50, Key.Down)]
    [InlineData(0x51, Key.PageDown)]
    [InlineData(0x52, Key.Insert)]
    [InlineData(0x53, Key.Delete)]
    [InlineData(0x1D, Key.RightControl)]
    [InlineData(0x38, Key.RightAlt)]
    [InlineData(0x5B, Key.LeftGui)]
    [InlineData(0x5D, Key.Menu)]
    public void ExtendedKeysDecodeWithTheirBreaks(byte make, Key expected)
    {
        List<KeyEvent> events = Feed(new ScancodeDecoder(), Extended, make, Extended, (byte)(make | 0x80));

        Assert.Equal(new[] { (expected, true), (expected, false) }, events.Select(e => (e.Key, e.IsPressed)));
        Assert.All(events, e => Assert.False(e.IsKeypad));
    }

    [Fact]
    public void RightCtrlAndRightAltAreModifiers()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();
        Feed(decoder, Extended, 0x1D, Extended, 0x38);

        Assert.Equal(KeyModifiers.RightControl | KeyModifiers.RightAlt, decoder.Modifiers);
        Feed(decoder, Extended, 0x9D, Extended, 0xB8);
        Assert.Equal(KeyModifiers.None, decoder.Modifiers);
    }

    [Fact]
    public void FakeShiftsAroundExtendedKeysAreIgnored()
    {
        // Insert with Num Lock on: E0 2A E0 52 ... E0 D2 E0 AA; Print Screen: E0 2A E0 37 ... E0 B7 E0 AA;
        // Home with Shift held: 2A, E0 AA E0 47 ... E0 C7 E0 2A, AA.
        ScancodeDecoder decoder = new ScancodeDecoder(KeyModifiers.NumLock);

        List<KeyEvent> insert = Feed(decoder, 0xE0, 0x2A, 0xE0, 0x52, 0xE0, 0xD2, 0xE0, 0xAA);
        List<KeyEvent> print = Feed(decoder, 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
        Feed(decoder, LeftShift);
        List<KeyEvent> home = Feed(decoder, 0xE0, 0xAA, 0xE0, 0x47, 0xE0, 0xC7, 0xE0, 0x2A);

        Assert.Equal(new[] { Key.Insert, Key.Insert }, insert.Select(e => e.Key));
        Assert.Equal(new[] { Key.PrintScreen, Key.PrintScreen }, print.Select(e => e.Key));
        Assert.Equal(new[] { Key.Home, Key.Home }, home.Select(e => e.Key));
        Assert.Equal(KeyModifiers.LeftShift, home[0].Modifiers & KeyModifiers.Shift);
        Assert.Equal(KeyModifiers.LeftShift | KeyModifiers.NumLock, decoder.Modifiers);
        Assert.Equal(0, decoder.UnknownCount);
    }

    [Fact]
    public void PauseSequenceIsConsumedWithoutTouchingCtrlOrNumLock()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        List<KeyEvent> events = Feed(decoder, PauseSequence);

        Assert.Equal(new[] { (Key.Pause, true), (Key.Pause, false) }, events.Select(e => (e.Key, e.IsPressed)));
        Assert.Equal(KeyModifiers.None, decoder.Modifiers);
        Assert.Equal(0, decoder.UnknownCount);
        Assert.Equal("a", Typed(Feed(decoder, Tap(0x1E))));
    }

    [Fact]
    public void CtrlPauseIsBreak()
    {
        List<KeyEvent> events = Feed(new ScancodeDecoder(), LeftCtrl, Extended, 0x46, Extended, 0xC6, LeftCtrl | 0x80);

        Assert.Equal(new[] { Key.LeftControl, Key.Break, Key.Break, Key.LeftControl }, events.Select(e => e.Key));
    }

    [Fact]
    public void GarbageBytesAreCountedAndDecodingContinues()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        // 0x00 and 0xFF are error codes, 0xFA an ACK, 0x55 and 0x7F unassigned makes.
        List<KeyEvent> events = Feed(decoder, 0x00, 0xFF, 0x1E, 0xFA, 0x55, 0x7F, 0x9E);

        Assert.Equal(5, decoder.UnknownCount);
        Assert.Equal(new[] { (Key.A, true), (Key.A, false) }, events.Select(e => (e.Key, e.IsPressed)));
    }

    [Fact]
    public void StrayExtendedPrefixesResetCleanly()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        // E0 E0 48: the first E0 leads nowhere, the second makes 48 the Up arrow.
        Assert.Equal(Key.Up, Feed(decoder, Extended, Extended, Keypad8).Single().Key);
        Assert.Equal(1, decoder.UnknownCount);

        // E0 followed by an unmapped (multimedia) code: both dropped as one unknown key; the next byte is normal.
        Assert.Empty(Feed(decoder, Extended, 0x22));
        Assert.Equal(2, decoder.UnknownCount);
        Assert.Equal("a", Typed(Feed(decoder, Tap(0x1E))));

        // E0 then E1: the E1 starts a Pause sequence as usual.
        Assert.Equal(Key.Pause, Feed(decoder, Concat(new byte[] { Extended }, PauseSequence))[0].Key);
        Assert.Equal(3, decoder.UnknownCount);
    }

    [Fact]
    public void BrokenPauseSequenceDropsThePrefixAndDecodesTheNextByte()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        List<KeyEvent> afterE1 = Feed(decoder, 0xE1, 0x1E);
        List<KeyEvent> afterE11D = Feed(decoder, 0xE1, 0x1D, 0x30);

        Assert.Equal(Key.A, afterE1.Single().Key);
        Assert.Equal(Key.B, afterE11D.Single().Key);
        Assert.Equal(2, decoder.UnknownCount);
        Assert.Equal(KeyModifiers.None, decoder.Modifiers);
    }

    [Fact]
    public void FunctionKeysAndLocksDecode()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        List<KeyEvent> events = Feed(decoder, 0x3B, 0x44, 0x57, 0x58, 0x46);

        Assert.Equal(new[] { Key.F1, Key.F10, Key.F11, Key.F12, Key.ScrollLock }, events.Select(e => e.Key));
        Assert.Equal(KeyModifiers.ScrollLock, decoder.Modifiers);
        Assert.Equal(1, decoder.LedBits);
    }

    [Fact]
    public void IsDownTracksPhysicalKeys()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();
        Feed(decoder, Keypad8, 0x1E);

        Assert.True(decoder.IsDown(Key.Keypad8));
        Assert.True(decoder.IsDown(Key.A));
        Feed(decoder, 0xC8);
        Assert.False(decoder.IsDown(Key.Keypad8));
    }
}
