// Property tests of AnsiInputDecoder with CsCheck: streams built from what terminals send for keys decode to
// those keys; arbitrary bytes never throw and never leave the decoder stuck; and whatever line noise came first,
// an Enter, a cursor-key sequence, or (after a silence) a printable byte is never lost. A failure shrinks to a
// minimal byte stream, printed in the test output.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Input;
using Xunit;

namespace Kernel.HostTests.Input;

public class AnsiInputDecoderPropertyTests
{
    private const int Iterations = 2000;
    private const byte Esc = 0x1B;
    private const byte CarriageReturn = 0x0D;
    private const byte LineFeed = 0x0A;

    /// <summary>What a terminal sends for one key: the bytes, the key they mean (null for a key the decoder
    /// drops whole), and whether a silence follows (needed after a lone ESC).</summary>
    public sealed record Token(byte[] Bytes, InputKey? Key, bool Silence, string Name)
    {
        public override string ToString() => Name + (Silence ? " (silence)" : "");
    }

    private static readonly Gen<Token> Printable =
        Gen.Byte[0x20, 0x7E].Select(b => new Token(new[] { b }, InputKey.Typed((char)b), false, "'" + (char)b + "'"));

    private static readonly Gen<Token> CtrlLetters =
        Gen.Byte[1, 26].Where(b => b != 0x08 && b != 0x09 && b != LineFeed && b != CarriageReturn)
            .Select(b => new Token(new[] { b }, InputKey.Ctrl((char)('A' + b - 1)), false, "Ctrl-" + (char)('A' + b - 1)));

    private static readonly Gen<Token> Named = Gen.OneOf(
        T("\r", InputKeyKind.Enter, "CR"),
        T("\r\n", InputKeyKind.Enter, "CR LF"),
        T("\n", InputKeyKind.Enter, "LF"),
        T("\u007F", InputKeyKind.Backspace, "DEL"),
        T("\b", InputKeyKind.Backspace, "BS"),
        T("\t", InputKeyKind.Tab, "HT"),
        T("\u001b[A", InputKeyKind.Up, "CSI A"),
        T("\u001b[B", InputKeyKind.Down, "CSI B"),
        T("\u001b[C", InputKeyKind.Right, "CSI C"),
        T("\u001b[D", InputKeyKind.Left, "CSI D"),
        T("\u001b[H", InputKeyKind.Home, "CSI H"),
        T("\u001b[F", InputKeyKind.End, "CSI F"),
        T("\u001bOA", InputKeyKind.Up, "SS3 A"),
        T("\u001bOD", InputKeyKind.Left, "SS3 D"),
        T("\u001bOH", InputKeyKind.Home, "SS3 H"),
        T("\u001b[1~", InputKeyKind.Home, "CSI 1~"),
        T("\u001b[7~", InputKeyKind.Home, "CSI 7~"),
        T("\u001b[4~", InputKeyKind.End, "CSI 4~"),
        T("\u001b[8~", InputKeyKind.End, "CSI 8~"),
        T("\u001b[3~", InputKeyKind.Delete, "CSI 3~"),
        new Token(new[] { Esc }, InputKey.Of(InputKeyKind.Escape), true, "ESC"),
        new Token(Bytes("\u001b[15~"), null, false, "F5"),
        new Token(Bytes("\u001b[1;5C"), null, false, "Ctrl-Right"),
        new Token(Bytes("\u001bOP"), null, false, "F1"),
        new Token(Bytes("\u001b[?1u"), null, false, "CSI ?1u"));

    private static readonly Gen<Token[]> Keystrokes =
        Gen.Frequency((6, Printable), (1, CtrlLetters), (3, Named)).Array[0, 40];

    private static readonly Gen<byte[]> Noise = Gen.Frequency(
        (1, Gen.Byte),
        (2, Gen.OneOf(Gen.Const(Esc), Gen.Const((byte)'['), Gen.Const((byte)'O'), Gen.Const((byte)';'), Gen.Const((byte)'1'), Gen.Const((byte)'~'), Gen.Const(CarriageReturn))))
        .Array[0, 30];

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void KeystrokesDecodeToTheirKeys()
    {
        Keystrokes.ForAll(tokens =>
        {
            AnsiInputDecoder decoder = new AnsiInputDecoder();
            List<string> decoded = new List<string>();
            List<string> expected = new List<string>();
            byte previous = 0;
            foreach (Token token in tokens)
            {
                // A lone LF right after a CR belongs to the CR's Enter; terminals never send that for two keys.
                byte[] bytes = token.Name == "LF" && previous == CarriageReturn ? new[] { CarriageReturn } : token.Bytes;
                foreach (byte b in bytes)
                {
                    if (decoder.Feed(b, out InputKey key))
                    {
                        decoded.Add(Describe(key));
                    }
                }

                if (token.Silence && decoder.Flush(out InputKey flushed))
                {
                    decoded.Add(Describe(flushed));
                }

                if (token.Key.HasValue)
                {
                    expected.Add(Describe(token.Key.Value));
                }

                previous = bytes[^1];
            }

            Assert.Equal(expected, decoded);
            Assert.Equal(tokens.Count(t => !t.Key.HasValue), decoder.DroppedSequences);
            Assert.Equal(0, decoder.IgnoredBytes);
            Assert.False(decoder.IsInsideSequence);
        }, Iterations, tokens => string.Join(", ", tokens.Select(t => t.ToString())));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ArbitraryBytesNeverThrowAndASilenceAlwaysEndsASequence()
    {
        Gen<(byte[], bool[])> streams = Gen.Select(Gen.Byte.Array[0, 64], Gen.Bool.Array[64]);
        streams.ForAll(stream =>
        {
            (byte[] bytes, bool[] silences) = stream;
            AnsiInputDecoder decoder = new AnsiInputDecoder();
            for (int i = 0; i < bytes.Length; i++)
            {
                if (decoder.Feed(bytes[i], out InputKey key) && key.Kind == InputKeyKind.Character)
                {
                    Assert.True(key.Character >= ' ' && key.Character <= '~', "a typed character that is not printable ASCII");
                }

                if (silences[i])
                {
                    decoder.Flush(out _);
                    Assert.False(decoder.IsInsideSequence);
                }
            }

            decoder.Flush(out _);
            Assert.False(decoder.IsInsideSequence);
            Assert.False(decoder.Flush(out _), "a second silence found something pending");
        }, Iterations, stream => Hex(stream.Item1));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EnterIsNeverLostToLineNoise()
    {
        Noise.ForAll(noise =>
        {
            AnsiInputDecoder decoder = Fed(noise);
            Assert.True(decoder.Feed(CarriageReturn, out InputKey key), "CR gave no key");
            Assert.Equal(InputKeyKind.Enter, key.Kind);
        }, Iterations, Hex);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ACursorKeySequenceIsNeverLostToLineNoise()
    {
        Noise.ForAll(noise =>
        {
            AnsiInputDecoder decoder = Fed(noise);
            decoder.Feed(Esc, out _);
            decoder.Feed((byte)'[', out _);
            Assert.True(decoder.Feed((byte)'A', out InputKey key), "ESC [ A gave no key");
            Assert.Equal(InputKeyKind.Up, key.Kind);
        }, Iterations, Hex);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void APrintableByteAfterASilenceIsNeverLost()
    {
        Gen.Select(Noise, Gen.Byte[0x20, 0x7E]).ForAll(test =>
        {
            (byte[] noise, byte printable) = test;
            AnsiInputDecoder decoder = Fed(noise);
            decoder.Flush(out _);
            Assert.True(decoder.Feed(printable, out InputKey key), "the printable byte gave no key");
            Assert.Equal(InputKey.Typed((char)printable).Character, key.Character);
            Assert.Equal(InputKeyKind.Character, key.Kind);
        }, Iterations, t => Hex(t.Item1) + " then '" + (char)t.Item2 + "'");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ALoneEscapeIsTheEscapeKeyOnlyAfterASilence()
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();
        Assert.False(decoder.Feed(Esc, out _));
        Assert.True(decoder.IsInsideSequence);
        Assert.True(decoder.Flush(out InputKey key));
        Assert.Equal(InputKeyKind.Escape, key.Kind);
        Assert.True(decoder.Feed((byte)'x', out key));
        Assert.Equal('x', key.Character);
    }

    private static AnsiInputDecoder Fed(byte[] bytes)
    {
        AnsiInputDecoder decoder = new AnsiInputDecoder();
        foreach (byte b in bytes)
        {
            decoder.Feed(b, out _);
        }

        return decoder;
    }

    private static Token T(string bytes, InputKeyKind kind, string name) => new Token(Bytes(bytes), InputKey.Of(kind), false, name);

    private static byte[] Bytes(string text) => text.Select(c => (byte)c).ToArray();

    private static string Describe(InputKey key) => key.Kind switch
    {
        InputKeyKind.Character => "'" + key.Character + "'",
        InputKeyKind.Control => "Ctrl-" + key.Character,
        _ => key.Kind.ToString(),
    };

    private static string Hex(byte[] bytes) => bytes.Length == 0 ? "(no bytes)" : BitConverter.ToString(bytes);
}
