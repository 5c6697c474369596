// PC Screen Font (PSF1 and PSF2) loader, following the Linux kbd documentation of the psf format.
using System;

namespace Kernel.Console;

/// <summary>
/// A bitmap console font parsed from PSF1 or PSF2 data. The glyph bitmaps are copied into an array the
/// font owns, so the source buffer may be freed after parsing. Each glyph row is stored MSB-first and
/// padded to whole bytes.
/// </summary>
public sealed class PsfFont
{
    /// <summary>Largest glyph count accepted; PSF2 stores glyph indices that must fit the ushort unicode map.</summary>
    public const int MaxGlyphCount = 65536;

    /// <summary>Largest glyph width or height accepted, far beyond any console font, so sizes stay in int range.</summary>
    public const int MaxGlyphDimension = 1024;

    /// <summary>Cap on single-code-point unicode map entries, keeping the map under 48 KiB of early kernel heap.</summary>
    public const int MaxUnicodeMapEntries = 8192;

    // PSF1 header: magic[2], mode, charsize.
    private const byte Psf1Magic0 = 0x36;
    private const byte Psf1Magic1 = 0x04;
    private const int Psf1HeaderSize = 4;
    private const byte Psf1Mode512 = 0x01;
    private const byte Psf1ModeHasTable = 0x02;
    private const byte Psf1ModeHasSequences = 0x04;
    private const byte Psf1KnownModeBits = Psf1Mode512 | Psf1ModeHasTable | Psf1ModeHasSequences;
    private const int Psf1Width = 8;
    private const int Psf1SmallGlyphCount = 256;
    private const int Psf1LargeGlyphCount = 512;

    // PSF2 header: magic[4], then little-endian uint32 version, headersize, flags, length, charsize, height, width.
    private const byte Psf2Magic0 = 0x72;
    private const byte Psf2Magic1 = 0xB5;
    private const byte Psf2Magic2 = 0x4A;
    private const byte Psf2Magic3 = 0x86;
    private const int Psf2FixedHeaderSize = 32;
    private const int Psf2VersionOffset = 4;
    private const int Psf2HeaderSizeOffset = 8;
    private const int Psf2FlagsOffset = 12;
    private const int Psf2LengthOffset = 16;
    private const int Psf2CharSizeOffset = 20;
    private const int Psf2HeightOffset = 24;
    private const int Psf2WidthOffset = 28;
    private const uint Psf2MaxVersion = 0;
    private const uint Psf2FlagHasUnicodeTable = 0x01;

    private const int ReplacementCodePoint = '?';

    private readonly byte[] _glyphData;
    private readonly PsfUnicodeMap _unicodeMap;
    private readonly int _replacementGlyph;

    private PsfFont(int version, int width, int height, int glyphCount, int bytesPerGlyph, byte[] glyphData, PsfUnicodeMap unicodeMap)
    {
        Version = version;
        Width = width;
        Height = height;
        GlyphCount = glyphCount;
        BytesPerRow = (width + 7) / 8;
        BytesPerGlyph = bytesPerGlyph;
        _glyphData = glyphData;
        _unicodeMap = unicodeMap;
        _replacementGlyph = LookUp(ReplacementCodePoint, 0);
    }

    /// <summary>PSF format version the font was loaded from: 1 or 2.</summary>
    public int Version { get; }

    /// <summary>Glyph width in pixels.</summary>
    public int Width { get; }

    /// <summary>Glyph height in pixels (rows).</summary>
    public int Height { get; }

    /// <summary>Number of glyphs in the font.</summary>
    public int GlyphCount { get; }

    /// <summary>Bytes per glyph row: the width rounded up to whole bytes.</summary>
    public int BytesPerRow { get; }

    /// <summary>Bytes per glyph bitmap: <see cref="Height"/> * <see cref="BytesPerRow"/>.</summary>
    public int BytesPerGlyph { get; }

    /// <summary>True when the font carried a unicode table that drives <see cref="GlyphIndexFor"/>.</summary>
    public bool HasUnicodeTable => _unicodeMap != null;

    /// <summary>Number of distinct code points in the unicode table, or 0 without one.</summary>
    public int UnicodeMapCount => _unicodeMap == null ? 0 : _unicodeMap.Count;

    /// <summary>Glyph drawn for code points the font cannot show: the glyph for '?' if present, else glyph 0.</summary>
    public int ReplacementGlyph => _replacementGlyph;

    /// <summary>Returns the bitmap of glyph <paramref name="index"/>, or an empty span when out of range.</summary>
    public ReadOnlySpan<byte> GetGlyph(int index)
    {
        if (index < 0 || index >= GlyphCount)
        {
            return default;
        }

        return new ReadOnlySpan<byte>(_glyphData, index * BytesPerGlyph, BytesPerGlyph);
    }

    /// <summary>
    /// Maps a Unicode code point to a glyph index using the font's unicode table; without a table the
    /// code point is the glyph index. Never fails: unmapped code points yield <see cref="ReplacementGlyph"/>.
    /// </summary>
    public int GlyphIndexFor(int codePoint)
    {
        return LookUp(codePoint, _replacementGlyph);
    }

    /// <summary>Parses PSF1 or PSF2 font data, detected by its magic bytes.</summary>
    public static PsfParseStatus TryParse(ReadOnlySpan<byte> data, out PsfFont font)
    {
        font = null;
        if (data.Length >= 2 && data[0] == Psf1Magic0 && data[1] == Psf1Magic1)
        {
            return TryParsePsf1(data, out font);
        }

        if (data.Length >= 4 && data[0] == Psf2Magic0 && data[1] == Psf2Magic1 && data[2] == Psf2Magic2 && data[3] == Psf2Magic3)
        {
            return TryParsePsf2(data, out font);
        }

        // A prefix of either magic is a cut-off file rather than a foreign one.
        bool psf1Prefix = data.Length < 2 && (data.Length == 0 || data[0] == Psf1Magic0);
        bool psf2Prefix = data.Length < 4
            && (data.Length < 1 || data[0] == Psf2Magic0)
            && (data.Length < 2 || data[1] == Psf2Magic1)
            && (data.Length < 3 || data[2] == Psf2Magic2);
        return psf1Prefix || psf2Prefix ? PsfParseStatus.TruncatedHeader : PsfParseStatus.BadMagic;
    }

    /// <summary>Returns a short human-readable message for <paramref name="status"/>.</summary>
    public static string Describe(PsfParseStatus status)
    {
        switch (status)
        {
            case PsfParseStatus.Ok: return "font ok";
            case PsfParseStatus.BadMagic: return "not a PSF1 or PSF2 font (bad magic)";
            case PsfParseStatus.TruncatedHeader: return "font header is truncated";
            case PsfParseStatus.UnsupportedVersion: return "unsupported PSF version or mode";
            case PsfParseStatus.BadHeaderSize: return "PSF2 header size is invalid";
            case PsfParseStatus.ZeroSizedGlyph: return "font declares zero-sized glyphs";
            case PsfParseStatus.GlyphSizeMismatch: return "PSF2 charsize does not match height * bytes per row";
            case PsfParseStatus.TruncatedGlyphs: return "font glyph data is truncated";
            case PsfParseStatus.MalformedUnicodeTable: return "font unicode table is malformed or truncated";
            case PsfParseStatus.TooManyGlyphs: return "font declares too many glyphs";
            case PsfParseStatus.NoGlyphs: return "font declares no glyphs";
            case PsfParseStatus.UnicodeTableTooLarge: return "font unicode table has too many entries";
            case PsfParseStatus.GlyphTooLarge: return "font glyphs are too large";
            default: return "unknown font parse status";
        }
    }

    private int LookUp(int codePoint, int fallback)
    {
        if (_unicodeMap != null)
        {
            int glyph;
            return _unicodeMap.TryFind(codePoint, out glyph) ? glyph : fallback;
        }

        return codePoint >= 0 && codePoint < GlyphCount ? codePoint : fallback;
    }

    private static PsfParseStatus TryParsePsf1(ReadOnlySpan<byte> data, out PsfFont font)
    {
        font = null;
        if (data.Length < Psf1HeaderSize)
        {
            return PsfParseStatus.TruncatedHeader;
        }

        byte mode = data[2];
        int charSize = data[3];
        if ((mode & ~Psf1KnownModeBits) != 0)
        {
            return PsfParseStatus.UnsupportedVersion;
        }

        if (charSize == 0)
        {
            return PsfParseStatus.ZeroSizedGlyph;
        }

        int glyphCount = (mode & Psf1Mode512) != 0 ? Psf1LargeGlyphCount : Psf1SmallGlyphCount;

        // The kbd tools treat a font with sequences as having a table even when HASTAB is clear.
        bool hasTable = (mode & (Psf1ModeHasTable | Psf1ModeHasSequences)) != 0;
        return Finish(1, data, Psf1HeaderSize, glyphCount, charSize, charSize, Psf1Width, hasTable, false, out font);
    }

    private static PsfParseStatus TryParsePsf2(ReadOnlySpan<byte> data, out PsfFont font)
    {
        font = null;
        if (data.Length < Psf2FixedHeaderSize)
        {
            return PsfParseStatus.TruncatedHeader;
        }

        uint version = ReadUInt32(data, Psf2VersionOffset);
        uint headerSize = ReadUInt32(data, Psf2HeaderSizeOffset);
        uint flags = ReadUInt32(data, Psf2FlagsOffset);
        uint length = ReadUInt32(data, Psf2LengthOffset);
        uint charSize = ReadUInt32(data, Psf2CharSizeOffset);
        uint height = ReadUInt32(data, Psf2HeightOffset);
        uint width = ReadUInt32(data, Psf2WidthOffset);

        if (version > Psf2MaxVersion)
        {
            return PsfParseStatus.UnsupportedVersion;
        }

        if (headerSize < Psf2FixedHeaderSize || headerSize > int.MaxValue)
        {
            return PsfParseStatus.BadHeaderSize;
        }

        if (headerSize > (uint)data.Length)
        {
            return PsfParseStatus.TruncatedHeader;
        }

        if (length == 0)
        {
            return PsfParseStatus.NoGlyphs;
        }

        if (length > MaxGlyphCount)
        {
            return PsfParseStatus.TooManyGlyphs;
        }

        if (width == 0 || height == 0 || charSize == 0)
        {
            return PsfParseStatus.ZeroSizedGlyph;
        }

        if (width > MaxGlyphDimension || height > MaxGlyphDimension)
        {
            return PsfParseStatus.GlyphTooLarge;
        }

        // 64-bit arithmetic because charsize is an untrusted 32-bit field.
        ulong expectedCharSize = (ulong)height * (((ulong)width + 7) / 8);
        if (expectedCharSize != charSize)
        {
            return PsfParseStatus.GlyphSizeMismatch;
        }

        // Glyph data must fit the buffer before narrowing to int.
        if ((ulong)length * charSize > (ulong)data.Length)
        {
            return PsfParseStatus.TruncatedGlyphs;
        }

        bool hasTable = (flags & Psf2FlagHasUnicodeTable) != 0;
        return Finish(2, data, (int)headerSize, (int)length, (int)charSize, (int)height, (int)width, hasTable, true, out font);
    }

    private static PsfParseStatus Finish(
        int version, ReadOnlySpan<byte> data, int headerSize, int glyphCount, int charSize, int height, int width,
        bool hasTable, bool utf8Table, out PsfFont font)
    {
        font = null;
        long glyphBytes = (long)glyphCount * charSize;
        if (glyphBytes > data.Length - headerSize)
        {
            return PsfParseStatus.TruncatedGlyphs;
        }

        PsfUnicodeMap map = null;
        if (hasTable)
        {
            PsfParseStatus tableStatus = PsfUnicodeMap.TryBuild(data.Slice(headerSize + (int)glyphBytes), glyphCount, utf8Table, out map);
            if (tableStatus != PsfParseStatus.Ok)
            {
                return tableStatus;
            }
        }

        byte[] glyphData = new byte[(int)glyphBytes];
        data.Slice(headerSize, (int)glyphBytes).CopyTo(new Span<byte>(glyphData));
        font = new PsfFont(version, width, height, glyphCount, charSize, glyphData, map);
        return PsfParseStatus.Ok;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset)
    {
        return (uint)data[offset]
            | ((uint)data[offset + 1] << 8)
            | ((uint)data[offset + 2] << 16)
            | ((uint)data[offset + 3] << 24);
    }
}
