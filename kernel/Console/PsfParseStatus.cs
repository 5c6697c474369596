// PC Screen Font parse results (PSF1/PSF2 as documented in the Linux kbd "psf" font format notes).
namespace Kernel.Console;

/// <summary>
/// Outcome of <see cref="PsfFont.TryParse"/>. Every value other than <see cref="Ok"/> names the first
/// problem found; <see cref="PsfFont.Describe"/> turns it into a short message for the boot log.
/// </summary>
public enum PsfParseStatus
{
    /// <summary>The font was parsed successfully.</summary>
    Ok = 0,

    /// <summary>The data starts with neither the PSF1 magic (36 04) nor the PSF2 magic (72 B5 4A 86).</summary>
    BadMagic,

    /// <summary>The data ends before the fixed header (4 bytes for PSF1, 32 for PSF2, or the declared header size) is complete.</summary>
    TruncatedHeader,

    /// <summary>PSF1 mode has bits outside the defined ones, or the PSF2 version is not 0.</summary>
    UnsupportedVersion,

    /// <summary>The PSF2 header size is smaller than the 32-byte fixed header or not representable.</summary>
    BadHeaderSize,

    /// <summary>The header declares a glyph with zero width, height or byte size.</summary>
    ZeroSizedGlyph,

    /// <summary>The PSF2 charsize field differs from height * ((width + 7) / 8).</summary>
    GlyphSizeMismatch,

    /// <summary>The data ends before all glyph bitmaps are present.</summary>
    TruncatedGlyphs,

    /// <summary>The unicode table contains invalid UTF-8, an odd trailing byte, or runs past the end of the data.</summary>
    MalformedUnicodeTable,

    /// <summary>The header declares more glyphs than <see cref="PsfFont.MaxGlyphCount"/>.</summary>
    TooManyGlyphs,

    /// <summary>The header declares zero glyphs.</summary>
    NoGlyphs,

    /// <summary>The unicode table maps more single code points than <see cref="PsfFont.MaxUnicodeMapEntries"/>.</summary>
    UnicodeTableTooLarge,

    /// <summary>The PSF2 header declares a glyph wider or taller than <see cref="PsfFont.MaxGlyphDimension"/>.</summary>
    GlyphTooLarge,
}
