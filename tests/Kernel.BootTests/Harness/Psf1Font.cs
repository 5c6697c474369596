// A PSF1 font reader of our own, to check the kernel's drawn pixels against its font.
using System;
using System.IO;

namespace Kernel.BootTests.Harness;

/// <summary>
/// A PSF1 console font, read independently of the kernel's parser: 4-byte header (0x36 0x04, mode, charsize),
/// 256 or 512 glyphs of charsize bytes (one byte per row, most significant bit leftmost), then, when mode bit 1
/// is set, a unicode table of little-endian ushorts per glyph where 0xFFFE starts sequences and 0xFFFF ends the glyph.
/// </summary>
internal sealed class Psf1Font
{
    private const byte Magic0 = 0x36;
    private const byte Magic1 = 0x04;
    private const int HeaderSize = 4;
    private const byte Mode512 = 0x01;
    private const byte ModeHasTable = 0x02;
    private const ushort SequenceStart = 0xFFFE;
    private const ushort GlyphEnd = 0xFFFF;

    private readonly byte[] _data;
    private readonly int[] _glyphForCodePoint = new int[0x10000];

    private Psf1Font(byte[] data)
    {
        _data = data;
        if (data.Length < HeaderSize || data[0] != Magic0 || data[1] != Magic1)
            throw new InvalidDataException("Not a PSF1 font.");
        byte mode = data[2];
        Height = data[3];
        GlyphCount = (mode & Mode512) != 0 ? 512 : 256;
        int tableStart = HeaderSize + GlyphCount * Height;
        if (Height == 0 || data.Length < tableStart)
            throw new InvalidDataException("PSF1 font truncated: " + data.Length + " bytes for " + GlyphCount + " glyphs of " + Height + ".");

        Array.Fill(_glyphForCodePoint, -1);
        if ((mode & ModeHasTable) == 0)
        {
            for (int i = 0; i < GlyphCount; i++)
                _glyphForCodePoint[i] = i;
            return;
        }

        int position = tableStart;
        for (int glyph = 0; glyph < GlyphCount; glyph++)
        {
            bool inSequence = false;
            while (true)
            {
                if (position + 2 > data.Length)
                    throw new InvalidDataException("PSF1 unicode table truncated at glyph " + glyph + ".");
                ushort entry = (ushort)(data[position] | (data[position + 1] << 8));
                position += 2;
                if (entry == GlyphEnd)
                    break;
                if (entry == SequenceStart)
                    inSequence = true;
                else if (!inSequence && _glyphForCodePoint[entry] < 0)
                    _glyphForCodePoint[entry] = glyph;
            }
        }
    }

    /// <summary>Glyph width in pixels (always 8 for PSF1).</summary>
    public int Width => 8;

    /// <summary>Glyph height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of glyphs (256 or 512).</summary>
    public int GlyphCount { get; }

    /// <summary>Reads a font file.</summary>
    public static Psf1Font Load(string path) => new Psf1Font(File.ReadAllBytes(path));

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) of the glyph for <paramref name="c"/> is set.</summary>
    public bool IsSet(char c, int x, int y)
    {
        int glyph = _glyphForCodePoint[c];
        if (glyph < 0)
            throw new ArgumentException("The font has no glyph for '" + c + "' (U+" + ((int)c).ToString("X4") + ").", nameof(c));
        byte row = _data[HeaderSize + glyph * Height + y];
        return (row & (0x80 >> x)) != 0;
    }
}
