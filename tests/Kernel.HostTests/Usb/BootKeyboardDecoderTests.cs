// Boot reports (HID 1.11 Appendix B.1) decoded to set 1 bytes and checked through the shell's own ScancodeDecoder,
// so what is asserted is what the shell would see.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Input;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class BootKeyboardDecoderTests
{
    private const byte A = 0x04, B = 0x05, C = 0x06, D = 0x07, E = 0x08, F = 0x09, G = 0x0A;
    private const byte LeftShiftBit = 0x02, RightAltBit = 0x40;

    private static byte[] Report(byte modifiers, params byte[] keys)
    {
        byte[] report = new byte[8];
        report[0] = modifiers;
        keys.CopyTo(report, 2);
        return report;
    }

    private static byte[] Decode(BootKeyboardDecoder decoder, byte[] report)
    {
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];
        Assert.Equal(BootReportStatus.Ok, decoder.Decode(report, output, out int written));
        return output[..written];
    }

    private static List<KeyEvent> Events(ScancodeDecoder shell, byte[] bytes)
    {
        List<KeyEvent> events = new();
        foreach (byte b in bytes)
        {
            if (shell.Feed(b, out KeyEvent e))
                events.Add(e);
        }

        return events;
    }

    /// <summary>The key the shell decodes from a usage's make bytes (Key.None for an unmapped usage).</summary>
    private static Key KeyOf(byte usage)
    {
        byte[] bytes = new byte[8];
        int count = HidKeyboardUsages.WriteSet1(usage, true, bytes);
        List<KeyEvent> events = Events(new ScancodeDecoder(KeyModifiers.NumLock), bytes[..count]);
        return events.Count == 0 ? Key.None : events[0].Key;
    }

    [Fact]
    public void TypingHelloGivesTheShellTheSameCharacters()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        ScancodeDecoder shell = new ScancodeDecoder();
        byte[] usages = { 0x0B, 0x08, 0x0F, 0x0F, 0x12 }; // h e l l o
        List<KeyEvent> events = new();
        foreach (byte usage in usages)
        {
            events.AddRange(Events(shell, Decode(decoder, Report(0, usage))));
            events.AddRange(Events(shell, Decode(decoder, Report(0))));
        }

        Assert.Equal("hello", new string(events.Where(e => e.HasCharacter).Select(e => e.Character).ToArray()));
    }

    [Fact]
    public void ShiftedLetterIsUpperCase()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        ScancodeDecoder shell = new ScancodeDecoder();

        byte[] bytes = Decode(decoder, Report(LeftShiftBit, A));

        Assert.Equal(new byte[] { 0x2A, 0x1E }, bytes);
        Assert.Equal('A', Events(shell, bytes).Last().Character);
        Assert.Equal(new byte[] { 0xAA, 0x9E }, Decode(decoder, Report(0)));
    }

    [Fact]
    public void ModifiersThenReleasesThenPresses()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        Decode(decoder, Report(LeftShiftBit, A, B));

        // Shift up, right Alt down, A released, C pressed, B held.
        byte[] bytes = Decode(decoder, Report(RightAltBit, B, C));

        Assert.Equal(new byte[] { 0xAA, 0xE0, 0x38, 0x9E, 0x2E }, bytes);
        Assert.Equal(new byte[] { 0xE6, C }, decoder.Pressed.ToArray());
        Assert.Equal(new byte[] { 0xE1, A }, decoder.Released.ToArray());
    }

    [Fact]
    public void SixKeysAtOnceAllPressAndRelease()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        ScancodeDecoder shell = new ScancodeDecoder();

        List<KeyEvent> down = Events(shell, Decode(decoder, Report(0, A, B, C, D, E, F)));
        List<KeyEvent> up = Events(shell, Decode(decoder, Report(0)));

        Assert.Equal(new[] { Key.A, Key.B, Key.C, Key.D, Key.E, Key.F }, down.Select(e => e.Key));
        Assert.All(down, e => Assert.True(e.IsPressed));
        Assert.Equal(6, up.Count(e => !e.IsPressed));
        Assert.False(shell.IsDown(Key.A));
    }

    [Fact]
    public void RolloverReportIsIgnoredWithoutSpuriousReleases()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        Decode(decoder, Report(LeftShiftBit, A, B, C, D, E, F));
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];

        BootReportStatus status = decoder.Decode(Report(LeftShiftBit, 1, 1, 1, 1, 1, 1), output, out int written);

        Assert.Equal(BootReportStatus.Error, status);
        Assert.Equal(0, written);
        Assert.Equal(1, decoder.ErrorReportCount);
        Assert.True(decoder.IsKeyDown(A));
        // Back from rollover with G instead of F: only F up and G down.
        Assert.Equal(new byte[] { 0xA1, 0x22 }, Decode(decoder, Report(LeftShiftBit, A, B, C, D, E, G)));
    }

    [Theory]
    [InlineData(HidKeyboardUsages.PostFail)]
    [InlineData(HidKeyboardUsages.ErrorUndefined)]
    public void OtherErrorUsagesAreIgnoredToo(byte error)
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        Decode(decoder, Report(0, A));
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];

        Assert.Equal(BootReportStatus.Error, decoder.Decode(Report(0, error, 0, 0, 0, 0, 0), output, out _));
        Assert.True(decoder.IsKeyDown(A));
    }

    [Fact]
    public void ShortReportsAreErrorsAndShortButValidOnesDecode()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];

        Assert.Equal(BootReportStatus.TooShort, decoder.Decode(new byte[] { 0, 0 }, output, out _));
        Assert.Equal(1, decoder.ShortReportCount);
        Assert.Equal(BootReportStatus.Ok, decoder.Decode(new byte[] { 0, 0, A }, output, out int written));
        Assert.Equal(new byte[] { 0x1E }, output[..written]);
        Assert.Equal(BootReportStatus.OutputTooSmall, decoder.Decode(Report(0), new byte[4], out _));
    }

    [Fact]
    public void LongerReportsUseTheFirstEightBytes()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        byte[] report = new byte[16];
        report[2] = A;
        report[9] = B; // beyond the boot report

        Assert.Equal(new byte[] { 0x1E }, Decode(decoder, report));
    }

    [Theory]
    [InlineData(0x4F, 0x4D)] // Right arrow
    [InlineData(0x50, 0x4B)] // Left
    [InlineData(0x51, 0x50)] // Down
    [InlineData(0x52, 0x48)] // Up
    [InlineData(0x49, 0x52)] // Insert
    [InlineData(0x4A, 0x47)] // Home
    [InlineData(0x4B, 0x49)] // Page Up
    [InlineData(0x4C, 0x53)] // Delete
    [InlineData(0x4D, 0x4F)] // End
    [InlineData(0x4E, 0x51)] // Page Down
    [InlineData(0x54, 0x35)] // Keypad /
    [InlineData(0x58, 0x1C)] // Keypad Enter
    [InlineData(0x65, 0x5D)] // Menu
    public void ExtendedKeysGetTheE0Prefix(byte usage, byte make)
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();

        Assert.Equal(new byte[] { 0xE0, make }, Decode(decoder, Report(0, usage)));
        Assert.Equal(new byte[] { 0xE0, (byte)(make | 0x80) }, Decode(decoder, Report(0)));
    }

    [Theory]
    [InlineData(0, new byte[] { 0x1D })]
    [InlineData(1, new byte[] { 0x2A })]
    [InlineData(2, new byte[] { 0x38 })]
    [InlineData(3, new byte[] { 0xE0, 0x5B })]
    [InlineData(4, new byte[] { 0xE0, 0x1D })]
    [InlineData(5, new byte[] { 0x36 })]
    [InlineData(6, new byte[] { 0xE0, 0x38 })]
    [InlineData(7, new byte[] { 0xE0, 0x5C })]
    public void EachModifierBitHasItsSet1Code(int bit, byte[] make)
    {
        Assert.Equal(make, Decode(new BootKeyboardDecoder(), Report((byte)(1 << bit))));
    }

    [Theory]
    [InlineData(0x04, Key.A)]
    [InlineData(0x1D, Key.Z)]
    [InlineData(0x1E, Key.D1)]
    [InlineData(0x27, Key.D0)]
    [InlineData(0x28, Key.Enter)]
    [InlineData(0x29, Key.Escape)]
    [InlineData(0x2A, Key.Backspace)]
    [InlineData(0x2B, Key.Tab)]
    [InlineData(0x2C, Key.Space)]
    [InlineData(0x2D, Key.Minus)]
    [InlineData(0x31, Key.Backslash)]
    [InlineData(0x35, Key.Grave)]
    [InlineData(0x38, Key.Slash)]
    [InlineData(0x39, Key.CapsLock)]
    [InlineData(0x3A, Key.F1)]
    [InlineData(0x44, Key.F11)]
    [InlineData(0x45, Key.F12)]
    [InlineData(0x46, Key.PrintScreen)]
    [InlineData(0x47, Key.ScrollLock)]
    [InlineData(0x48, Key.Pause)]
    [InlineData(0x53, Key.NumLock)]
    [InlineData(0x55, Key.KeypadMultiply)]
    [InlineData(0x59, Key.Keypad1)]
    [InlineData(0x62, Key.Keypad0)]
    [InlineData(0x63, Key.KeypadPeriod)]
    [InlineData(0x64, Key.NonUsBackslash)]
    [InlineData(0xE0, Key.LeftControl)]
    [InlineData(0xE7, Key.RightGui)]
    public void UsagesBecomeTheKeysTheUsageTablesName(byte usage, Key key) => Assert.Equal(key, KeyOf(usage));

    [Fact]
    public void EveryMappedUsageIsADistinctKeyOfTheShell()
    {
        List<Key> keys = new();
        for (int usage = 0; usage < 256; usage++)
        {
            if (!HidKeyboardUsages.IsMapped((byte)usage))
                continue;
            Key key = KeyOf((byte)usage);
            Assert.NotEqual(Key.None, key);
            if (usage != 0x32) // Non-US # shares set 1 code 2B with '\' (it is the same key position)
                keys.Add(key);
        }

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.True(keys.Count > 100);
    }

    [Fact]
    public void UnmappedUsagesAreCountedAndSilent()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();

        Assert.Empty(Decode(decoder, Report(0, 0x68, 0x66))); // F13, Power
        Assert.Equal(2, decoder.UnmappedCount);
        Assert.Empty(Decode(decoder, Report(0)));
    }

    [Fact]
    public void PauseSendsItsWholeSequenceOnPressAndNothingOnRelease()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();

        Assert.Equal(new byte[] { 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5 }, Decode(decoder, Report(0, HidKeyboardUsages.Pause)));
        Assert.Empty(Decode(decoder, Report(0)));
    }

    [Fact]
    public void DuplicateAndModifierUsagesInTheKeySlotsCountOnce()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();

        Assert.Equal(new byte[] { 0x1E }, Decode(decoder, Report(0, A, A, 0xE1)));
        Assert.Equal(new byte[] { 0x9E }, Decode(decoder, Report(0)));
    }

    [Fact]
    public void DecodingAReportDoesNotAllocate()
    {
        BootKeyboardDecoder decoder = new BootKeyboardDecoder();
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];
        byte[] down = Report(0x22, A, B, 0x4F, 0x58, 0x48, 0x46);
        byte[] up = Report(0);
        decoder.Decode(down, output, out _);
        decoder.Decode(up, output, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            decoder.Decode(down, output, out _);
            decoder.Decode(up, output, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ShellsPressedSetFollowsEveryReport()
    {
        // Model check: after any sequence of valid reports (mapped usages, any modifiers, rollover reports mixed
        // in), the shell's decoder holds down exactly the keys of the last accepted report.
        byte[] mapped = Enumerable.Range(4, 0x64).Select(u => (byte)u)
            .Where(u => HidKeyboardUsages.IsMapped(u) && u != HidKeyboardUsages.Pause && u != 0x32).ToArray();
        Gen<byte[]> report = Gen.Frequency(
            (12, Gen.Select(Gen.Byte, Gen.Int[0, mapped.Length - 1].Array[0, 6],
                (modifiers, picks) => Report(modifiers, picks.Select(p => mapped[p]).ToArray()))),
            (1, Gen.Byte.Select(modifiers => Report(modifiers, 1, 1, 1, 1, 1, 1))));
        report.Array[1, 30].ForAll(reports =>
        {
            BootKeyboardDecoder decoder = new BootKeyboardDecoder();
            ScancodeDecoder shell = new ScancodeDecoder();
            byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];
            byte[] accepted = Report(0);
            foreach (byte[] r in reports)
            {
                if (decoder.Decode(r, output, out int written) == BootReportStatus.Ok)
                    accepted = r;
                Events(shell, output[..written]);
                Assert.Equal(0, shell.UnknownCount);
            }

            foreach (byte usage in mapped)
                Assert.Equal(accepted.Skip(2).Contains(usage), shell.IsDown(KeyOf(usage)));
            for (int bit = 0; bit < 8; bit++)
                Assert.Equal((accepted[0] & (1 << bit)) != 0, shell.IsDown(KeyOf((byte)(0xE0 + bit))));
        }, iterations: 300);
    }
}
