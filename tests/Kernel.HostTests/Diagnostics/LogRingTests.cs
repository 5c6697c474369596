// Tests for the kernel log's ring: a model (the list of every line added) says which lines the ring must still
// hold and what they read; CsCheck generates the line sequences and shrinks a failure to the shortest one.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.Diagnostics;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Diagnostics;

public class LogRingTests
{
    private static readonly Gen<string> s_line = Gen.Char['a', 'z'].Array[0, 40].Select(c => new string(c));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void KeepsTheNewestLinesThatFitAndReadsThemBackExactly()
    {
        Gen<(int Characters, int Lines, string[] Added)> cases =
            Gen.Select(Gen.Int[16, 200], Gen.Int[1, 20], s_line.Array[0, 60]);
        cases.ForAll(c =>
        {
            var ring = new LogRing(c.Characters, c.Lines);
            for (int i = 0; i < c.Added.Length; i++)
                ring.Add((ulong)i * 10, c.Added[i]);

            // The model: lines are cut to MaxLineLength; the ring holds a suffix of them, within both capacities,
            // and loses a line only when keeping it would break a capacity.
            string[] cut = c.Added.Select(l => l.Length > ring.MaxLineLength ? l.Substring(0, ring.MaxLineLength) : l).ToArray();
            Assert.Equal(cut.Length, ring.NextLine);
            Assert.True(ring.Count <= c.Lines);
            int held = 0;
            int characters = 0;
            for (long line = ring.NextLine - 1; line >= ring.FirstLine; line--)
            {
                Assert.Equal(cut[line], Read(ring, line));
                Assert.Equal((ulong)line * 10, ring.TimestampOf(line));
                characters += cut[line].Length;
                held++;
            }
            Assert.True(characters <= ring.CharacterCapacity);
            if (ring.FirstLine > 0)
            {
                long previous = ring.FirstLine - 1;
                Assert.True(held == c.Lines || characters + cut[previous].Length > ring.CharacterCapacity,
                    "line " + previous + " was forgotten although it still fitted");
            }
            Assert.Equal(c.Added.Count(l => l.Length > ring.MaxLineLength), ring.CutLines);
        }, iterations: 1000, print: c => $"{c.Characters} chars, {c.Lines} lines, [{string.Join(", ", c.Added.Select(l => "\"" + l + "\""))}]");
    }

    [Fact]
    public void ANewlineStartsANewLineAndATrailingOneAddsNothing()
    {
        var ring = new LogRing(256, 8);

        ring.Add(7, "first\nsecond\n");
        ring.Add(8, "third");

        Assert.Equal(3, ring.Count);
        Assert.Equal("first", Read(ring, 0));
        Assert.Equal("second", Read(ring, 1));
        Assert.Equal(7UL, ring.TimestampOf(1));
        Assert.Equal("third", Read(ring, 2));
    }

    [Fact]
    public void LinesNoLongerHeldReadAsNothing()
    {
        var ring = new LogRing(64, 2);
        ring.Add(1, "one");
        ring.Add(2, "two");
        ring.Add(3, "three");

        Assert.False(ring.Holds(0));
        Assert.Equal(0, ring.CopyText(0, new char[8]));
        Assert.Equal(0UL, ring.TimestampOf(0));
        Assert.False(ring.Holds(3));
        Assert.Equal(1, ring.ForgottenLines);
    }

    [Fact]
    public void CopyTextStopsAtTheDestinationsEnd()
    {
        var ring = new LogRing(64, 2);
        ring.Add(1, "abcdef");
        char[] destination = new char[4];

        Assert.Equal(4, ring.CopyText(0, destination));
        Assert.Equal("abcd", new string(destination));
    }

    [Theory]
    [InlineData(0UL, 1_000_000UL, "    0.000000")]
    [InlineData(1_500_000UL, 1_000_000UL, "    1.500000")]
    [InlineData(3_000_000_123UL, 3_000_000_000UL, "    1.000000")]
    [InlineData(3_000_003_000UL, 3_000_000_000UL, "    1.000001")]
    [InlineData(123_456_000_000UL, 1_000_000UL, "123456.000000")]
    [InlineData(42UL, 0UL, "cycles 42")]
    public void TimestampsAreSecondsWithMicroseconds(ulong cycles, ulong hz, string expected) =>
        Assert.Equal(expected, LogRing.FormatTimestamp(cycles, hz));

    private static string Read(LogRing ring, long line)
    {
        char[] text = new char[ring.LengthOf(line)];
        Assert.Equal(text.Length, ring.CopyText(line, text));
        return new string(text);
    }
}
