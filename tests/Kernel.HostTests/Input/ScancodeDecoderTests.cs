// Tests for ScancodeDecoder as a typist sees it: characters, Shift, Ctrl, Alt, Caps Lock and Num Lock, typematic
// repeats, and the keypad with Num Lock on and off.
using System.Collections.Generic;
using System.Linq;
using Kernel.Input;
using Xunit;
using static Kernel.HostTests.Input.ScancodeStream;

namespace Kernel.HostTests.Input;

public class ScancodeDecoderTests
{
    [Fact]
    public void TypesHelloWorldWithShifts()
    {
        byte[] bytes = Concat(
            Shifted(0x23), Tap(0x12), Tap(0x26), Tap(0x26), Tap(0x18), Tap(0x33), Tap(0x39), // H e l l o , space
            new byte[] { RightShift, 0x11, 0x91, 0xB6 },                                    // W with right shift
            Tap(0x18), Tap(0x13), Tap(0x26), Tap(0x20), Shifted(0x02), Tap(0x1C));          // o r l d ! Enter

        ScancodeDecoder decoder = new ScancodeDecoder();
        List<KeyEvent> events = Feed(decoder, bytes);

        Assert.Equal("Hello, World!\n", Typed(events));
        Assert.Equal(0, decoder.UnknownCount);
        Assert.Equal(KeyModifiers.None, decoder.Modifiers);
    }

    [Fact]
    public void BreakCodesProduceNoCharacters()
    {
        List<KeyEvent> events = Feed(new ScancodeDecoder(), Tap(0x1E));

        Assert.Equal(2, events.Count);
        Assert.True(events[0].IsPressed);
        Assert.Equal('a', events[0].Character);
        Assert.False(events[1].IsPressed);
        Assert.Equal(Key.A, events[1].Key);
        Assert.Equal('\0', events[1].Character);
        Assert.False(events[1].HasCharacter);
    }

    [Theory]
    [InlineData("1234567890-=[];'`,./\\", "!@#$%^&*()_+{}:\"~<>?|")]
    public void DigitsAndSymbolsFollowShift(string plain, string shifted)
    {
        byte[] codes = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B, 0x27, 0x28, 0x29, 0x33, 0x34, 0x35, 0x2B };

        Assert.Equal(plain, Typed(Feed(new ScancodeDecoder(), codes.SelectMany(Tap).ToArray())));
        Assert.Equal(shifted, Typed(Feed(new ScancodeDecoder(), codes.SelectMany(Shifted).ToArray())));
    }

    [Fact]
    public void WhitespaceAndControlKeysTypeTheirCharacters()
    {
        // Space, Enter, Tab, Backspace, Escape.
        string typed = Typed(Feed(new ScancodeDecoder(), Concat(Tap(0x39), Tap(0x1C), Tap(0x0F), Tap(0x0E), Tap(0x01))));

        Assert.Equal(" \n\t\b\u001B", typed);
    }

    [Fact]
    public void CapsLockAffectsLettersOnlyAndShiftInvertsIt()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();
        List<KeyEvent> events = Feed(decoder, Concat(Tap(CapsLock), Tap(0x1E), Tap(0x02), Shifted(0x1E), Shifted(0x02)));

        Assert.Equal("A1a!", Typed(events));
        Assert.Equal(KeyModifiers.CapsLock, decoder.Modifiers);
        Assert.Equal(Key.CapsLock, events[0].Key);
        Assert.Equal(KeyModifiers.CapsLock, events[0].Modifiers & KeyModifiers.CapsLock);

        Feed(decoder, Tap(CapsLock));
        Assert.Equal("a", Typed(Feed(decoder, Tap(0x1E))));
    }

    [Fact]
    public void HeldLockKeyTogglesOnceDespiteTypematicRepeats()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        List<KeyEvent> events = Feed(decoder, CapsLock, CapsLock, CapsLock, CapsLock, CapsLock | 0x80);

        Assert.Equal(KeyModifiers.CapsLock, decoder.Modifiers);
        Assert.All(events, e => Assert.Equal(KeyModifiers.CapsLock, e.Modifiers));
        Assert.Equal(new[] { false, true, true, true, false }, events.Select(e => e.IsRepeat));
        Assert.Equal(4, decoder.LedBits); // the Set LEDs command's Caps Lock bit
    }

    [Fact]
    public void RepeatedMakesOfAnOrdinaryKeyRepeatItsCharacter()
    {
        List<KeyEvent> events = Feed(new ScancodeDecoder(), 0x1E, 0x1E, 0x1E, 0x9E);

        Assert.Equal("aaa", Typed(events));
        Assert.Equal(new[] { false, true, true, false }, events.Select(e => e.IsRepeat));
    }

    [Fact]
    public void ShiftStaysDownWhileEitherShiftKeyIsHeld()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();
        Feed(decoder, LeftShift, RightShift, LeftShift | 0x80);

        Assert.Equal(KeyModifiers.RightShift, decoder.Modifiers);
        Assert.Equal("A", Typed(Feed(decoder, Tap(0x1E))));
    }

    [Fact]
    public void ExtendedArrowIsNotTheKeypadKey()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        KeyEvent arrow = Feed(decoder, Extended, Keypad8).Single();
        KeyEvent keypadNumLockOff = Feed(decoder, Keypad8).Single();

        Assert.Equal(Key.Up, arrow.Key);
        Assert.False(arrow.IsKeypad);
        Assert.Equal('\0', arrow.Character);
        Assert.Equal(Key.Up, keypadNumLockOff.Key);
        Assert.True(keypadNumLockOff.IsKeypad);
        Assert.Equal('\0', keypadNumLockOff.Character);
    }

    [Fact]
    public void KeypadDigitsTypeDigitsWithNumLockOn()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();
        Feed(decoder, Tap(NumLock));

        List<KeyEvent> events = Feed(decoder, Concat(Tap(Keypad8), Tap(0x52), Tap(0x53), Tap(0x37), Tap(0x4A), Tap(0x4E), new byte[] { Extended, 0x35, Extended, 0xB5 }, new byte[] { Extended, 0x1C, Extended, 0x9C }));

        Assert.Equal(Key.Keypad8, events[0].Key);
        Assert.Equal("80.*-+/\n", Typed(events));
        Assert.All(events, e => Assert.True(e.IsKeypad));
        Assert.Equal(KeyModifiers.NumLock, decoder.Modifiers);
        Assert.Equal(2, decoder.LedBits);
        Assert.Equal(Key.Up, Feed(decoder, Extended, Keypad8).Single().Key); // the arrow key is unaffected
    }

    [Theory]
    [InlineData(0x47, Key.Home)]
    [InlineData(0x49, Key.PageUp)]
    [InlineData(0x4B, Key.Left)]
    [InlineData(0x4C, Key.Keypad5)]
    [InlineData(0x4D, Key.Right)]
    [InlineData(0x4F, Key.End)]
    [InlineData(0x50, Key.Down)]
    [InlineData(0x51, Key.PageDown)]
    [InlineData(0x52, Key.Insert)]
    [InlineData(0x53, Key.Delete)]
    public void KeypadKeysNavigateWithNumLockOff(byte make, Key expected)
    {
        KeyEvent e = Feed(new ScancodeDecoder(), make).Single();

        Assert.Equal(expected, e.Key);
        Assert.True(e.IsKeypad);
        Assert.False(e.HasCharacter);
    }

    [Fact]
    public void CtrlLetterGivesTheControlCharacter()
    {
        ScancodeDecoder decoder = new ScancodeDecoder();

        List<KeyEvent> events = Feed(decoder, LeftCtrl, 0x2E, 0xAE, LeftCtrl | 0x80, 0x2E);

        Assert.Equal("\u0003c", Typed(events));
        Assert.Equal(KeyModifiers.LeftControl, events[1].Modifiers);
    }

    [Fact]
    public void AltLeavesTheCharacterAndReportsTheModifier()
    {
        KeyEvent e = Feed(new ScancodeDecoder(), LeftAlt, 0x2D)[1];

        Assert.Equal('x', e.Character);
        Assert.Equal(KeyModifiers.LeftAlt, e.Modifiers);
    }

    [Fact]
    public void InitialLocksAreKeptButHeldModifiersAreNot()
    {
        ScancodeDecoder decoder = new ScancodeDecoder(KeyModifiers.NumLock | KeyModifiers.LeftShift);

        Assert.Equal(KeyModifiers.NumLock, decoder.Modifiers);
        Assert.Equal('8', Feed(decoder, Keypad8).Single().Character);
    }

    [Fact]
    public void EveryLetterMapsToItsUsPosition()
    {
        byte[] rows = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32 };

        string typed = Typed(Feed(new ScancodeDecoder(), rows));

        Assert.Equal("qwertyuiopasdfghjklzxcvbnm", typed);
    }
}
