// Tests for PsfFont: real Terminus fonts, synthetic PSF1/PSF2 images and every rejection path.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.Console;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Console;

public class PsfFontTests
{
    // Code page 437 positions, which the Uni2/Lat15 Terminus fonts follow for their first 256 glyphs.
    private const int Cp437EAcute = 0x82;
    private const int Cp437FullBlock = 0xDB;

    [Fact]
    public void ParsesRealPsf1FontWithUnicodeTable()
    {
        byte[] file = PsfTestData.LoadFontFile(PsfTestData.Terminus16);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(file, out PsfFont font));

        Assert.Equal(1, font.Version);
        Assert.Equal(8, font.Width);
        Assert.Equal(16, font.Height);
        Assert.Equal(512, font.GlyphCount);
        Assert.Equal(1, font.BytesPerRow);
        Assert.Equal(16, font.BytesPerGlyph);
        Assert.True(font.HasUnicodeTable);
        Assert.Equal(791, font.UnicodeMapCount);
        Assert.Equal('?', font.ReplacementGlyph);
        Assert.Equal('A', font.GlyphIndexFor('A'));
        Assert.Equal(Cp437EAcute, font.GlyphIndexFor('\u00E9'));
        Assert.Equal(Cp437FullBlock, font.GlyphIndexFor('\u2588'));
        Assert.Equal(font.ReplacementGlyph, font.GlyphIndexFor(0x1F600));

        // Glyph 'A' of Terminus 16: blank top rows, a bar at row 7.
        Assert.Equal(new byte[] { 0x00, 0x00, 0x3C, 0x42, 0x42, 0x42, 0x42, 0x7E, 0x42, 0x42, 0x42, 0x42, 0x00, 0x00, 0x00, 0x00 },
            font.GetGlyph('A').ToArray());
        for (int g = 0; g < font.GlyphCount; g++)
        {
            Assert.True(font.GetGlyph(g).SequenceEqual(new ReadOnlySpan<byte>(file, 4 + g * 16, 16)), "glyph " + g);
        }
    }

    [Theory]
    [InlineData(PsfTestData.Terminus32x16, 16, 32, 2, 512)]
    [InlineData(PsfTestData.Terminus20x10, 10, 20, 2, 256)]
    public void ParsesRealPsf2Fonts(string name, int width, int height, int bytesPerRow, int glyphCount)
    {
        byte[] file = PsfTestData.LoadFontFile(name);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(file, out PsfFont font));

        Assert.Equal(2, font.Version);
        Assert.Equal(width, font.Width);
        Assert.Equal(height, font.Height);
        Assert.Equal(bytesPerRow, font.BytesPerRow);
        Assert.Equal(height * bytesPerRow, font.BytesPerGlyph);
        Assert.Equal(glyphCount, font.GlyphCount);
        Assert.True(font.HasUnicodeTable);
        Assert.Equal('A', font.GlyphIndexFor('A'));
        Assert.Equal('?', font.GlyphIndexFor(0x10FFFF));
        Assert.Equal(Cp437EAcute, font.GlyphIndexFor('\u00E9'));
        Assert.Equal(Cp437FullBlock, font.GlyphIndexFor('\u2588'));

        int headerSize = BitConverter.ToInt32(file, 8);
        for (int g = 0; g < font.GlyphCount; g++)
        {
            Assert.True(font.GetGlyph(g).SequenceEqual(new ReadOnlySpan<byte>(file, headerSize + g * font.BytesPerGlyph, font.BytesPerGlyph)), "glyph " + g);
        }

        // The full block sets exactly the pixels inside the width; row padding bits stay clear.
        ReadOnlySpan<byte> block = font.GetGlyph(Cp437FullBlock);
        for (int row = 0; row < height; row++)
        {
            for (int x = 0; x < bytesPerRow * 8; x++)
            {
                bool set = ((block[row * bytesPerRow + x / 8] >> (7 - x % 8)) & 1) != 0;
                Assert.Equal(x < width, set);
            }
        }
    }

    [Fact]
    public void EveryTruncationOfRealPsf1FontIsRejectedWithMatchingStatus()
    {
        byte[] file = PsfTestData.LoadFontFile(PsfTestData.Terminus16);
        int glyphEnd = 4 + 512 * 16;
        for (int length = 0; length < file.Length; length++)
        {
            PsfParseStatus status = PsfFont.TryParse(new ReadOnlySpan<byte>(file, 0, length), out PsfFont font);
            PsfParseStatus expected = length < 4 ? PsfParseStatus.TruncatedHeader
                : length < glyphEnd ? PsfParseStatus.TruncatedGlyphs
                : PsfParseStatus.MalformedUnicodeTable;
            Assert.True(expected == status, "length " + length + ": " + status);
            Assert.Null(font);
        }
    }

    [Fact]
    public void EveryTruncationOfRealPsf2FontIsRejectedWithMatchingStatus()
    {
        byte[] file = PsfTestData.LoadFontFile(PsfTestData.Terminus20x10);
        int glyphEnd = 32 + 256 * 40;
        for (int length = 0; length < file.Length; length++)
        {
            PsfParseStatus status = PsfFont.TryParse(new ReadOnlySpan<byte>(file, 0, length), out PsfFont font);
            PsfParseStatus expected = length < 32 ? PsfParseStatus.TruncatedHeader
                : length < glyphEnd ? PsfParseStatus.TruncatedGlyphs
                : PsfParseStatus.MalformedUnicodeTable;
            Assert.True(expected == status, "length " + length + ": " + status);
            Assert.Null(font);
        }
    }

    [Fact]
    public void Psf1WithoutTableMapsCodePointsToSameGlyphIndex()
    {
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x00, 8), out PsfFont font));

        Assert.False(font.HasUnicodeTable);
        Assert.Equal(256, font.GlyphCount);
        Assert.Equal(8, font.Height);
        Assert.Equal(0, font.GlyphIndexFor(0));
        Assert.Equal(200, font.GlyphIndexFor(200));
        Assert.Equal(255, font.GlyphIndexFor(255));
        Assert.Equal('?', font.GlyphIndexFor(256));
        Assert.Equal('?', font.GlyphIndexFor(-5));
        Assert.Equal(PsfTestData.GlyphByte(200, 3), font.GetGlyph(200)[3]);
    }

    [Fact]
    public void Psf1ModeBitSelects512Glyphs()
    {
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x01, 14), out PsfFont font));
        Assert.Equal(512, font.GlyphCount);
        Assert.Equal(511, font.GlyphIndexFor(511));
        Assert.Equal(PsfTestData.GlyphByte(511, 13), font.GetGlyph(511)[13]);
    }

    [Fact]
    public void Psf1TableSkipsSequencesAndKeepsSingleCodePoints()
    {
        byte[] table = PsfTestData.Psf1Table(256,
            new ushort[] { 0x263A },
            new ushort[] { 0x0041, 0xFFFE, 0x0042, 0x0301, 0xFFFE, 0x0043 },
            new ushort[] { 0x0044, 0x0391 });
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x06, 16, table), out PsfFont font));

        Assert.True(font.HasUnicodeTable);
        Assert.Equal(4, font.UnicodeMapCount);
        Assert.Equal(0, font.GlyphIndexFor(0x263A));
        Assert.Equal(1, font.GlyphIndexFor('A'));
        Assert.Equal(2, font.GlyphIndexFor('D'));
        Assert.Equal(2, font.GlyphIndexFor(0x0391));
        // 'B', 'C' only appear inside sequences; no '?' in the table, so glyph 0 replaces.
        Assert.Equal(0, font.ReplacementGlyph);
        Assert.Equal(0, font.GlyphIndexFor('B'));
        Assert.Equal(0, font.GlyphIndexFor('C'));
        Assert.Equal(0, font.GlyphIndexFor(5));
    }

    [Fact]
    public void Psf1SequenceFlagAloneImpliesTable()
    {
        byte[] table = PsfTestData.Psf1Table(256, new ushort[] { 0x0020 }, new ushort[] { 0x003F });
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x04, 16, table), out PsfFont font));
        Assert.True(font.HasUnicodeTable);
        Assert.Equal(1, font.ReplacementGlyph);
        Assert.Equal(1, font.GlyphIndexFor('Z'));
    }

    [Fact]
    public void Psf2Utf8TableMapsMultiByteCodePoints()
    {
        byte[] table = PsfTestData.Psf2Table(8,
            "\u00E9",
            "\u20AC",
            "\U0001F600",
            "xy",
            "?",
            "e\uFFFEe\u0301",
            "\uFFFE\u00E9");
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(12, 24, 8, table), out PsfFont font));

        Assert.Equal(12, font.Width);
        Assert.Equal(2, font.BytesPerRow);
        Assert.Equal(48, font.BytesPerGlyph);
        Assert.Equal(0, font.GlyphIndexFor(0xE9));
        Assert.Equal(1, font.GlyphIndexFor(0x20AC));
        Assert.Equal(2, font.GlyphIndexFor(0x1F600));
        Assert.Equal(3, font.GlyphIndexFor('x'));
        Assert.Equal(3, font.GlyphIndexFor('y'));
        Assert.Equal(4, font.ReplacementGlyph);
        Assert.Equal(5, font.GlyphIndexFor('e'));
        Assert.Equal(4, font.GlyphIndexFor(0x301));
        Assert.Equal(4, font.GlyphIndexFor('z'));
        Assert.Equal(7, font.UnicodeMapCount);
    }

    [Fact]
    public void DuplicateCodePointMapsToLowestGlyph()
    {
        byte[] table = PsfTestData.Psf2Table(4, "a", "b", "ab", "b");
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(8, 8, 4, table), out PsfFont font));
        Assert.Equal(0, font.GlyphIndexFor('a'));
        Assert.Equal(1, font.GlyphIndexFor('b'));
        Assert.Equal(2, font.UnicodeMapCount);
    }

    [Fact]
    public void LargeShuffledTableIsSortedForLookup()
    {
        const int glyphCount = 3000;
        string[] perGlyph = new string[glyphCount];
        Dictionary<int, int> expected = new Dictionary<int, int>();
        for (int g = 0; g < glyphCount; g++)
        {
            // A permutation of code points spread over several UTF-8 lengths, descending with g in places.
            int codePoint = 0x100 + (g * 7919) % 60000;
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF)
            {
                codePoint += 0x10000;
            }

            perGlyph[g] = char.ConvertFromUtf32(codePoint);
            expected[codePoint] = g;
        }

        byte[] table = PsfTestData.Psf2Table(glyphCount, perGlyph);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(8, 4, glyphCount, table), out PsfFont font));
        Assert.Equal(glyphCount, font.UnicodeMapCount);
        foreach (KeyValuePair<int, int> pair in expected)
        {
            Assert.Equal(pair.Value, font.GlyphIndexFor(pair.Key));
        }

        Assert.Equal(0, font.GlyphIndexFor(0x41));
    }

    [Fact]
    public void HonoursLargerPsf2HeaderSize()
    {
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(8, 8, 3, null, headerSize: 48), out PsfFont font));
        Assert.Equal(PsfTestData.GlyphByte(0, 0), font.GetGlyph(0)[0]);
        Assert.Equal(PsfTestData.GlyphByte(2, 7), font.GetGlyph(2)[7]);
    }

    [Fact]
    public void IgnoresBytesAfterUnicodeTable()
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2(8, 8, 2, PsfTestData.Psf2Table(2, "a", "b")), new byte[] { 0x80, 0xC0, 0x00 });
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(data, out PsfFont font));
        Assert.Equal(1, font.GlyphIndexFor('b'));
    }

    [Fact]
    public void FontOwnsACopyOfTheGlyphData()
    {
        byte[] data = PsfTestData.Psf1(0x00, 8);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(data, out PsfFont font));
        byte before = font.GetGlyph(0)[0];
        Array.Clear(data);
        Assert.Equal(before, font.GetGlyph(0)[0]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    [InlineData(int.MaxValue)]
    public void GetGlyphOutOfRangeIsEmpty(int index)
    {
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x00, 8), out PsfFont font));
        Assert.True(font.GetGlyph(index).IsEmpty);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x36 })]
    [InlineData(new byte[] { 0x36, 0x04, 0x00 })]
    [InlineData(new byte[] { 0x72 })]
    [InlineData(new byte[] { 0x72, 0xB5, 0x4A })]
    [InlineData(new byte[] { 0x72, 0xB5, 0x4A, 0x86, 0x00, 0x00 })]
    public void RejectsTruncatedHeader(byte[] data)
    {
        Assert.Equal(PsfParseStatus.TruncatedHeader, PsfFont.TryParse(data, out PsfFont font));
        Assert.Null(font);
    }

    [Fact]
    public void RejectsEveryTruncationOfPsf2Header()
    {
        byte[] data = PsfTestData.Psf2(8, 16, 1);
        for (int length = 0; length < 32; length++)
        {
            Assert.Equal(PsfParseStatus.TruncatedHeader, PsfFont.TryParse(new ReadOnlySpan<byte>(data, 0, length), out _));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x37, 0x04, 0x00, 0x08 })]
    [InlineData(new byte[] { 0x36, 0x05, 0x00, 0x08 })]
    [InlineData(new byte[] { 0x72, 0xB5, 0x4A, 0x87, 0, 0, 0, 0, 32, 0, 0, 0 })]
    [InlineData(new byte[] { 0x04, 0x36 })]
    [InlineData(new byte[] { 0x1F })]
    public void RejectsBadMagic(byte[] data)
    {
        Assert.Equal(PsfParseStatus.BadMagic, PsfFont.TryParse(data, out PsfFont font));
        Assert.Null(font);
    }

    [Fact]
    public void RejectsUnknownPsf1ModeBits()
    {
        Assert.Equal(PsfParseStatus.UnsupportedVersion, PsfFont.TryParse(PsfTestData.Psf1(0x08, 8), out _));
    }

    [Fact]
    public void RejectsPsf2VersionAboveZero()
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(1, 32, 0, 1, 8, 8, 8), new byte[8]);
        Assert.Equal(PsfParseStatus.UnsupportedVersion, PsfFont.TryParse(data, out _));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(31u)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void RejectsBadPsf2HeaderSize(uint headerSize)
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, headerSize, 0, 1, 8, 8, 8), new byte[64]);
        Assert.Equal(PsfParseStatus.BadHeaderSize, PsfFont.TryParse(data, out _));
    }

    [Fact]
    public void RejectsPsf2HeaderSizePastEndOfData()
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 200, 0, 1, 8, 8, 8), new byte[64]);
        Assert.Equal(PsfParseStatus.TruncatedHeader, PsfFont.TryParse(data, out _));
    }

    [Theory]
    [InlineData(0u, 8u, 8u)]
    [InlineData(8u, 0u, 8u)]
    [InlineData(8u, 8u, 0u)]
    public void RejectsZeroSizedPsf2Glyph(uint width, uint height, uint charSize)
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 32, 0, 1, charSize, height, width), new byte[64]);
        Assert.Equal(PsfParseStatus.ZeroSizedGlyph, PsfFont.TryParse(data, out _));
    }

    [Fact]
    public void RejectsZeroSizedPsf1Glyph()
    {
        Assert.Equal(PsfParseStatus.ZeroSizedGlyph, PsfFont.TryParse(new byte[] { 0x36, 0x04, 0x00, 0x00 }, out _));
    }

    [Theory]
    [InlineData(8u, 16u, 15u)]
    [InlineData(9u, 16u, 16u)]
    [InlineData(16u, 16u, 16u)]
    public void RejectsCharSizeThatDoesNotMatchGeometry(uint width, uint height, uint charSize)
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 32, 0, 1, charSize, height, width), new byte[64]);
        Assert.Equal(PsfParseStatus.GlyphSizeMismatch, PsfFont.TryParse(data, out _));
    }

    [Fact]
    public void RejectsHugeGlyphDimensions()
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 32, 0, 1, 2 * 2048, 2048, 16), new byte[5000]);
        Assert.Equal(PsfParseStatus.GlyphTooLarge, PsfFont.TryParse(data, out _));
    }

    [Theory]
    [InlineData(65537u, PsfParseStatus.TooManyGlyphs)]
    [InlineData(0xFFFFFFFFu, PsfParseStatus.TooManyGlyphs)]
    [InlineData(0u, PsfParseStatus.NoGlyphs)]
    public void RejectsBadPsf2GlyphCount(uint length, PsfParseStatus expected)
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 32, 0, length, 8, 8, 8), new byte[64]);
        Assert.Equal(expected, PsfFont.TryParse(data, out _));
    }

    [Fact]
    public void RejectsGlyphDataOneByteShort()
    {
        byte[] data = PsfTestData.Psf2(8, 8, 4);
        Assert.Equal(PsfParseStatus.TruncatedGlyphs, PsfFont.TryParse(new ReadOnlySpan<byte>(data, 0, data.Length - 1), out _));
        byte[] psf1 = PsfTestData.Psf1(0x00, 8);
        Assert.Equal(PsfParseStatus.TruncatedGlyphs, PsfFont.TryParse(new ReadOnlySpan<byte>(psf1, 0, psf1.Length - 1), out _));
    }

    [Fact]
    public void RejectsGlyphCountTimesSizeLargerThanData()
    {
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2Header(0, 32, 0, 65536, 1024 * 128, 1024, 1024), new byte[64]);
        Assert.Equal(PsfParseStatus.TruncatedGlyphs, PsfFont.TryParse(data, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xC1, 0xBF, 0xFF })]
    [InlineData(new byte[] { 0xE0, 0x80, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xF0, 0x80, 0x80, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xF5, 0x80, 0x80, 0x80, 0xFF })]
    [InlineData(new byte[] { 0xC3, 0xFF })]
    [InlineData(new byte[] { 0xE2, 0x82, 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 })]
    [InlineData(new byte[] { 0x41 })]
    [InlineData(new byte[] { 0xFE, 0x41, 0x80, 0xFF })]
    [InlineData(new byte[] { })]
    public void RejectsMalformedUtf8UnicodeTable(byte[] firstGlyphEntry)
    {
        // Glyph 1's entry is well formed, so the table would parse if the bad glyph 0 entry were accepted.
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2(8, 8, 2, new byte[0]), firstGlyphEntry, new byte[] { 0x42, 0xFF });
        Assert.Equal(PsfParseStatus.MalformedUnicodeTable, PsfFont.TryParse(data, out PsfFont font));
        Assert.Null(font);
    }

    [Fact]
    public void WellFormedVariantOfMalformedTableCaseParses()
    {
        // Control for RejectsMalformedUtf8UnicodeTable: same layout with a valid glyph 0 entry.
        byte[] data = PsfTestData.Concat(PsfTestData.Psf2(8, 8, 2, new byte[0]), new byte[] { 0xC3, 0xA9, 0xFF }, new byte[] { 0x42, 0xFF });
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(data, out PsfFont font));
        Assert.Equal(0, font.GlyphIndexFor(0xE9));
        Assert.Equal(1, font.GlyphIndexFor('B'));
    }

    [Fact]
    public void AcceptsBoundaryUtf8Encodings()
    {
        byte[] table = PsfTestData.Concat(
            new byte[] { 0x7F, 0xFF },
            new byte[] { 0xC2, 0x80, 0xFF },
            new byte[] { 0xEF, 0xBF, 0xBF, 0xFF },
            new byte[] { 0xF4, 0x8F, 0xBF, 0xBF, 0xFF },
            new byte[] { 0xEE, 0x80, 0x80, 0xFF });
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(8, 8, 5, table), out PsfFont font));
        Assert.Equal(0, font.GlyphIndexFor(0x7F));
        Assert.Equal(1, font.GlyphIndexFor(0x80));
        Assert.Equal(2, font.GlyphIndexFor(0xFFFF));
        Assert.Equal(3, font.GlyphIndexFor(0x10FFFF));
        Assert.Equal(4, font.GlyphIndexFor(0xE000));
    }

    [Fact]
    public void RejectsPsf1TableWithOddTrailingByteOrMissingTerminator()
    {
        byte[] table = PsfTestData.Psf1Table(256);
        byte[] missingLast = new byte[table.Length - 2];
        Array.Copy(table, missingLast, missingLast.Length);
        Assert.Equal(PsfParseStatus.MalformedUnicodeTable, PsfFont.TryParse(PsfTestData.Psf1(0x02, 8, missingLast), out _));

        byte[] odd = PsfTestData.Concat(missingLast, new byte[] { 0xFF });
        Assert.Equal(PsfParseStatus.MalformedUnicodeTable, PsfFont.TryParse(PsfTestData.Psf1(0x02, 8, odd), out _));
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf1(0x02, 8, table), out _));
    }

    [Fact]
    public void RejectsUnicodeTableWithTooManyEntries()
    {
        string[] perGlyph = new string[2];
        perGlyph[0] = new string('a', PsfFont.MaxUnicodeMapEntries);
        perGlyph[1] = "b";
        byte[] tooMany = PsfTestData.Psf2Table(2, perGlyph);
        Assert.Equal(PsfParseStatus.UnicodeTableTooLarge, PsfFont.TryParse(PsfTestData.Psf2(8, 8, 2, tooMany), out _));

        perGlyph[1] = "";
        byte[] atLimit = PsfTestData.Psf2Table(2, perGlyph);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(PsfTestData.Psf2(8, 8, 2, atLimit), out PsfFont font));
        Assert.Equal(1, font.UnicodeMapCount);
    }

    [Fact]
    public void DescribeGivesDistinctMessageForEveryStatus()
    {
        HashSet<string> messages = new HashSet<string>();
        foreach (PsfParseStatus status in Enum.GetValues<PsfParseStatus>())
        {
            string message = PsfFont.Describe(status);
            Assert.False(string.IsNullOrEmpty(message));
            Assert.True(messages.Add(message), "duplicate message for " + status);
        }

        Assert.Equal("unknown font parse status", PsfFont.Describe((PsfParseStatus)999));
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    /// <summary>The real fonts the tests use (console-setup-linux): PSF1 with a UCS-2 table, PSF2 with a UTF-8 table.</summary>
    private static readonly string[] RealFonts = { PsfTestData.Terminus16, PsfTestData.Terminus32x16, PsfTestData.Terminus20x10 };

    private static readonly Lazy<byte[][]> s_realFonts = new(() => RealFonts.Select(PsfTestData.LoadFontFile).ToArray());

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedRealFontsNeverThrowAndAParsedFontIsConsistent()
    {
        Gen.Int[0, RealFonts.Length - 1]
            .SelectMany(font => Gen.Select(ByteMutation.Of(s_realFonts.Value[font].Length), Gen.Int[0, 0x10FFFF].Array[8])
                .Select((mutation, codePoints) => (font, mutation, codePoints)))
            .ForAll((font, mutation, codePoints) =>
            {
                byte[] data = mutation.Apply(s_realFonts.Value[font]);

                PsfParseStatus status = PsfFont.TryParse(data, out PsfFont parsed);

                Assert.True(Enum.IsDefined(status), $"status {status}");
                Assert.NotNull(PsfFont.Describe(status));
                if (status != PsfParseStatus.Ok)
                    return;
                Assert.True(parsed.Width > 0 && parsed.Height > 0 && parsed.GlyphCount > 0);
                Assert.True((long)parsed.BytesPerGlyph * parsed.GlyphCount <= data.Length);
                Assert.Equal(parsed.BytesPerGlyph, parsed.GetGlyph(parsed.GlyphCount - 1).Length);
                foreach (int codePoint in codePoints)
                {
                    int glyph = parsed.GlyphIndexFor(codePoint);
                    Assert.True(glyph >= 0 && glyph < parsed.GlyphCount, $"U+{codePoint:X} maps to glyph {glyph} of {parsed.GlyphCount}");
                }
            }, iterations: 150, print: t => $"{RealFonts[t.Item1]}: {t.Item2}; code points {string.Join(", ", t.Item3)}");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void GeneratedPsf2FontsParseBackAsWritten()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 64], Gen.Int[1, 600]).ForAll((width, height, glyphCount) =>
        {
            PsfParseStatus status = PsfFont.TryParse(PsfTestData.Psf2(width, height, glyphCount), out PsfFont font);

            Assert.Equal(PsfParseStatus.Ok, status);
            Assert.Equal((2, width, height, glyphCount), (font.Version, font.Width, font.Height, font.GlyphCount));
            Assert.Equal((width + 7) / 8, font.BytesPerRow);
            Assert.Equal(font.BytesPerRow * height, font.BytesPerGlyph);
            int last = glyphCount - 1;
            ReadOnlySpan<byte> glyph = font.GetGlyph(last);
            for (int i = 0; i < glyph.Length; i++)
                Assert.Equal(PsfTestData.GlyphByte(last, i), glyph[i]);
        }, iterations: 100);
    }
}
