// Tests for AnsiInputDecoder: what a serial terminal sends for typing, Enter in its three spellings, Backspace,
// Ctrl keys, the cursor-key escape sequences in normal and application mode, and line noise.
using System;
using System.Collections.Generic;
using System.Text;
using Kernel.Input;
using Kernel.Shell;
using Kernel.Tasks;
using Xunit;

namespace Kernel.HostTests.Input;

public class AnsiInputDecoderTests
{
    private const string Esc = "\u001B";

    [Fact]
    public void PrintableAsciiTypesItself()
    {
        StringBuilder all = new StringBuilder();
        for (char c = ' '; c <= '~'; c++)
        {
            all.Append(c);
        }

        List<InputKey> keys = Decode(all.ToString());

        Assert.Equal(95, keys.Count);
        Assert.All(keys, key => Assert.Equal(InputKeyKind.Character, key.Kind));
        Assert.Equal(all.ToString(), Typed(keys));
    }

    [Theory]
    [InlineData("a\rb", "a|Enter|b")]
    [InlineData("a\nb", "a|Enter|b")]
    [InlineData("a\r\nb", "a|Enter|b")]
    [InlineData("\r\r", "Enter|Enter")]
    [InlineData("\n\n", "Enter|Enter")]
    [InlineData("\n\r", "Enter|Enter")]
    [InlineData("\r\n\r\n", "Enter|Enter")]
    [InlineData("\rx\n", "Enter|x|Enter")]
    public void CarriageReturnAndLineFeedEachMakeOneEnterAndCrLfMakesOne(string input, string expected)
    {
        Assert.Equal(expected, Describe(Decode(input)));
    }

    [Fact]
    public void DelAndBsAreBackspaceAndHtIsTab()
    {
        Assert.Equal("Backspace|Backspace|Tab", Describe(Decode("\u007F\b\t")));
    }

    [Fact]
    public void CtrlLettersReportTheUpperCaseLetter()
    {
        // 0x01..0x1A is Ctrl+A..Ctrl+Z, except the four that have keys of their own.
        for (byte b = 0x01; b <= 0x1A; b++)
        {
            List<InputKey> keys = Decode(new[] { b });
            Assert.Single(keys);
            InputKey key = keys[0];
            switch (b)
            {
                case 0x08: Assert.Equal(InputKeyKind.Backspace, key.Kind); break;
                case 0x09: Assert.Equal(InputKeyKind.Tab, key.Kind); break;
                case 0x0A:
                case 0x0D: Assert.Equal(InputKeyKind.Enter, key.Kind); break;
                default:
                    Assert.Equal(InputKeyKind.Control, key.Kind);
                    Assert.Equal((char)('A' + b - 1), key.Character);
                    break;
            }
        }

        Assert.True(Decode("\u0003")[0].IsCtrl('C'));
    }

    [Theory]
    [InlineData("[A", "Up")]
    [InlineData("[B", "Down")]
    [InlineData("[C", "Right")]
    [InlineData("[D", "Left")]
    [InlineData("[H", "Home")]
    [InlineData("[F", "End")]
    [InlineData("[1~", "Home")]
    [InlineData("[7~", "Home")]
    [InlineData("[4~", "End")]
    [InlineData("[8~", "End")]
    [InlineData("[3~", "Delete")]
    [InlineData("[03~", "Delete")]
    [InlineData("OA", "Up")]
    [InlineData("OB", "Down")]
    [InlineData("OC", "Right")]
    [InlineData("OD", "Left")]
    [InlineData("OH", "Home")]
    [InlineData("OF", "End")]
    public void CursorKeySequencesDecode(string afterEscape, string expected)
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();

        Assert.Equal("x|" + expected + "|y", Describe(Decode(decoder, "x" + Esc + afterEscape + "y")));
        Assert.Equal(0, decoder.DroppedSequences);
        Assert.False(decoder.IsInsideSequence);
    }

    [Theory]
    [InlineData("[5~")]      // Page Up
    [InlineData("[2~")]      // Insert
    [InlineData("[15~")]     // F5
    [InlineData("[1;5C")]    // Ctrl+Right
    [InlineData("[?1h")]     // a mode change, not a key
    [InlineData("[2A")]      // cursor up by two: a parameter no key has
    [InlineData("[ A")]      // an intermediate byte
    [InlineData("[~")]       // tilde without a number
    [InlineData("[Z")]       // Shift+Tab
    [InlineData("OP")]       // F1 in application mode
    [InlineData("[99999999999999999999~")] // a parameter that would overflow
    public void UnknownSequencesAreDroppedWholeAndCounted(string afterEscape)
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();

        List<InputKey> keys = Decode(decoder, "a" + Esc + afterEscape + "b");

        Assert.Equal("a|b", Describe(keys));
        Assert.Equal(1, decoder.DroppedSequences);
    }

    [Theory]
    [InlineData(Esc + "[1\r", "Enter")]
    [InlineData(Esc + "[\u007F", "Backspace")]
    [InlineData(Esc + "O\t", "Tab")]
    [InlineData(Esc + "[" + Esc + "[A", "Up")]
    [InlineData(Esc + "O" + Esc + "OB", "Down")]
    [InlineData(Esc + "[3" + Esc + "[3~", "Delete")]
    public void ABrokenSequenceIsDroppedAndTheByteThatBrokeItStillCounts(string input, string expected)
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();

        Assert.Equal(expected, Describe(Decode(decoder, input)));
        Assert.Equal(1, decoder.DroppedSequences);
    }

    [Theory]
    [InlineData("x", "x")]
    [InlineData("\r", "Enter")]
    [InlineData("\u007F", "Backspace")]
    [InlineData("\u0003", "Ctrl+C")]
    public void LoneEscapeFollowedByAnotherByteStillDeliversThatByte(string after, string expected)
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();

        Assert.Equal(expected, Describe(Decode(decoder, Esc + after)));
        Assert.Equal(0, decoder.DroppedSequences);
        Assert.False(decoder.IsInsideSequence);
    }

    [Fact]
    public void EscapeFollowedByEscapeIsTheEscapeKeyAndTheSecondMayStartASequence()
    {
        Assert.Equal("Escape|Up", Describe(Decode(Esc + Esc + "[A")));
        Assert.Equal("Escape|Escape|a", Describe(Decode(Esc + Esc + Esc + "a")));
    }

    [Fact]
    public void FlushTurnsAPendingEscapeIntoTheEscapeKey()
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();
        Assert.Empty(Decode(decoder, Esc));
        Assert.True(decoder.IsInsideSequence);

        Assert.True(decoder.Flush(out InputKey key));

        Assert.Equal(InputKeyKind.Escape, key.Kind);
        Assert.False(decoder.IsInsideSequence);
        Assert.Equal("[", Typed(Decode(decoder, "[")));
    }

    [Fact]
    public void FlushDropsAnUnfinishedSequenceAndIsANoOpWhenIdle()
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();
        Assert.False(decoder.Flush(out _));
        Assert.Equal(0, decoder.DroppedSequences);

        Decode(decoder, Esc + "[1");
        Assert.False(decoder.Flush(out _));
        Assert.Equal(1, decoder.DroppedSequences);

        // The parameter's digit must not leak in afterwards.
        Assert.Equal("~", Typed(Decode(decoder, "~")));
    }

    [Fact]
    public void NulUnmappedControlsAndNonAsciiBytesAreIgnoredAndCounted()
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();

        List<InputKey> keys = Decode(decoder, new byte[] { 0x00, (byte)'a', 0x1C, 0x1D, 0x1E, 0x1F, 0x80, 0xC3, 0xA9, 0xFF });

        Assert.Equal("a", Describe(keys));
        Assert.Equal(9, decoder.IgnoredBytes);
        Assert.Equal(0, decoder.DroppedSequences);
    }

    [Fact]
    public void InputKeyCtrlStoresUpperCase()
    {
        Assert.Equal('X', InputKey.Ctrl('x').Character);
        Assert.Equal('X', InputKey.Ctrl('X').Character);
        Assert.True(InputKey.Ctrl('x').IsCtrl('X'));
        Assert.False(InputKey.Typed('X').IsCtrl('X'));
        Assert.Equal('\0', InputKey.Of(InputKeyKind.Up).Character);
    }

    private static List<InputKey> Decode(string text) => Decode(new AnsiInputDecoder(), text);

    private static List<InputKey> Decode(byte[] bytes) => Decode(new AnsiInputDecoder(), bytes);

    private static List<InputKey> Decode(AnsiInputDecoder decoder, string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = checked((byte)text[i]);
        }

        return Decode(decoder, bytes);
    }

    private static List<InputKey> Decode(AnsiInputDecoder decoder, byte[] bytes)
    {
        List<InputKey> keys = new List<InputKey>();
        foreach (byte b in bytes)
        {
            if (decoder.Feed(b, out InputKey key))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static string Typed(List<InputKey> keys)
    {
        StringBuilder text = new StringBuilder();
        foreach (InputKey key in keys)
        {
            Assert.Equal(InputKeyKind.Character, key.Kind);
            text.Append(key.Character);
        }

        return text.ToString();
    }

    // "a|Enter|Ctrl+C": characters as themselves, Ctrl keys as Ctrl+letter, other keys by kind.
    private static string Describe(List<InputKey> keys)
    {
        List<string> parts = new List<string>();
        foreach (InputKey key in keys)
        {
            parts.Add(key.Kind switch
            {
                InputKeyKind.Character => key.Character.ToString(),
                InputKeyKind.Control => "Ctrl+" + key.Character,
                _ => key.Kind.ToString(),
            });
        }

        return string.Join("|", parts);
    }
}
