// Draws TextGrid cells with a PSF font into a 32-bit framebuffer (UEFI 2.10 §12.9 EFI_GRAPHICS_PIXEL_FORMAT).
using System;
using Kernel.Firmware;

namespace Kernel.Console;

/// <summary>
/// Draws character cells with a <see cref="PsfFont"/> into a linear framebuffer of 32-bit pixels.
/// The pixel memory is passed to each call rather than stored, so the same renderer works whether the
/// caller's span wraps firmware framebuffer memory or a test array. Cells that extend past the visible
/// area or past the end of the span are clipped, never written out of bounds.
/// </summary>
public sealed class GlyphRenderer
{
    private const uint RedMask = 0x00FF0000;
    private const uint GreenMask = 0x0000FF00;
    private const uint BlueMask = 0x000000FF;
    private const int RedBlueDistance = 16;
    private const int HighBitOfByte = 7;
    private const int BitIndexMask = 7;
    private const int BitsPerByteShift = 3;
    private const int NarrowGlyphWidth = 8;

    private const int AsciiCount = 128;

    private readonly PsfFont _font;
    // Glyph indexes of ASCII, looked up once: the font's unicode table is searched per cell otherwise.
    private readonly int[] _asciiGlyphs;
    // What each cell of the screen shows, when damage tracking is on: a cell whose text and colors are already
    // there is not drawn again (after a scroll most blank cells stay blank). Null when off.
    private int[] _drawnCodePoints;
    private uint[] _drawnForegrounds;
    private uint[] _drawnBackgrounds;
    private int _drawnColumns;

    /// <summary>
    /// Creates a renderer for a framebuffer of <paramref name="width"/> x <paramref name="height"/> visible pixels
    /// whose rows start <paramref name="pixelsPerScanLine"/> pixels apart. Negative sizes are treated as 0 and
    /// a width larger than the stride is reduced to the stride.
    /// </summary>
    public GlyphRenderer(PsfFont font, int width, int height, int pixelsPerScanLine, PixelFormat format)
    {
        _font = font;
        PixelsPerScanLine = Math.Max(pixelsPerScanLine, 0);
        Width = Math.Min(Math.Max(width, 0), PixelsPerScanLine);
        Height = Math.Max(height, 0);
        Format = format;
        if (font != null)
        {
            _asciiGlyphs = new int[AsciiCount];
            for (int i = 0; i < AsciiCount; i++)
            {
                _asciiGlyphs[i] = font.GlyphIndexFor(i);
            }
        }
    }

    /// <summary>Visible width in pixels.</summary>
    public int Width { get; }

    /// <summary>Visible height in pixels.</summary>
    public int Height { get; }

    /// <summary>Distance between the starts of consecutive pixel rows, in pixels.</summary>
    public int PixelsPerScanLine { get; }

    /// <summary>Pixel byte order of the framebuffer.</summary>
    public PixelFormat Format { get; }

    /// <summary>Number of whole cells that fit horizontally.</summary>
    public int Columns => _font == null ? 0 : Width / _font.Width;

    /// <summary>Number of whole cells that fit vertically.</summary>
    public int Rows => _font == null ? 0 : Height / _font.Height;

    /// <summary>Converts a 0xRRGGBB color to the native pixel value for <paramref name="format"/>.</summary>
    public static uint ToNative(uint rgb, PixelFormat format)
    {
        if (format == PixelFormat.Bgr)
        {
            return rgb & (RedMask | GreenMask | BlueMask);
        }

        return ((rgb & RedMask) >> RedBlueDistance) | (rgb & GreenMask) | ((rgb & BlueMask) << RedBlueDistance);
    }

    /// <summary>
    /// Draws one cell at cell coordinates (<paramref name="column"/>, <paramref name="row"/>): set glyph bits in
    /// the foreground color, clear bits in the background color. Returns false when no pixel of the cell is visible.
    /// </summary>
    public bool DrawCell(Span<uint> pixels, int column, int row, int codePoint, uint foreground, uint background)
    {
        if (_font == null || column < 0 || row < 0)
        {
            return false;
        }

        long originX = (long)column * _font.Width;
        long originY = (long)row * _font.Height;
        if (originX >= Width || originY >= Height)
        {
            return false;
        }

        int x0 = (int)originX;
        int y0 = (int)originY;
        int visibleWidth = Math.Min(_font.Width, Width - x0);
        int visibleHeight = Math.Min(_font.Height, Height - y0);
        uint foregroundPixel = ToNative(foreground, Format);
        uint backgroundPixel = ToNative(background, Format);

        // GlyphIndexFor never fails, but a glyph can still be empty if the font is inconsistent; draw it blank.
        ReadOnlySpan<byte> glyph = _font.GetGlyph((uint)codePoint < AsciiCount ? _asciiGlyphs[codePoint] : _font.GlyphIndexFor(codePoint));
        int bytesPerRow = _font.BytesPerRow;
        if (visibleWidth == NarrowGlyphWidth && bytesPerRow == 1 && glyph.Length >= visibleHeight
            && (long)(y0 + visibleHeight - 1) * PixelsPerScanLine + x0 + NarrowGlyphWidth <= pixels.Length)
        {
            DrawNarrowCell(pixels, y0 * PixelsPerScanLine + x0, visibleHeight, glyph, foregroundPixel, backgroundPixel);
            return true;
        }

        bool drewAny = false;
        for (int y = 0; y < visibleHeight; y++)
        {
            long rowStart = (long)(y0 + y) * PixelsPerScanLine + x0;
            if (rowStart >= pixels.Length)
            {
                break;
            }

            int rowWidth = (int)Math.Min((long)visibleWidth, pixels.Length - rowStart);
            Span<uint> target = pixels.Slice((int)rowStart, rowWidth);
            int glyphRow = y * bytesPerRow;
            for (int x = 0; x < rowWidth; x++)
            {
                bool set = false;
                if (!glyph.IsEmpty)
                {
                    int bits = glyph[glyphRow + (x >> BitsPerByteShift)];
                    set = ((bits >> (HighBitOfByte - (x & BitIndexMask))) & 1) != 0;
                }

                target[x] = set ? foregroundPixel : backgroundPixel;
            }

            drewAny |= rowWidth > 0;
        }

        return drewAny;
    }

    // The common case (8-pixel-wide fonts, the cell wholly inside the span): one glyph byte per pixel row, its eight
    // pixels chosen without branches and stored through one bounds-checked slice. A scrolled frame redraws every cell,
    // so this loop is most of the time a burst of output spends drawing.
    private void DrawNarrowCell(Span<uint> pixels, int offset, int height, ReadOnlySpan<byte> glyph, uint foreground, uint background)
    {
        uint difference = foreground ^ background;
        int stride = PixelsPerScanLine;
        for (int y = 0; y < height; y++, offset += stride)
        {
            Span<uint> target = pixels.Slice(offset, NarrowGlyphWidth);
            uint bits = glyph[y];
            target[7] = background ^ (difference & (0u - (bits & 1)));
            target[6] = background ^ (difference & (0u - ((bits >> 1) & 1)));
            target[5] = background ^ (difference & (0u - ((bits >> 2) & 1)));
            target[4] = background ^ (difference & (0u - ((bits >> 3) & 1)));
            target[3] = background ^ (difference & (0u - ((bits >> 4) & 1)));
            target[2] = background ^ (difference & (0u - ((bits >> 5) & 1)));
            target[1] = background ^ (difference & (0u - ((bits >> 6) & 1)));
            target[0] = background ^ (difference & (0u - (bits >> 7)));
        }
    }

    /// <summary>
    /// Turns damage tracking on for grids of columns x rows: from now on <see cref="Render"/> skips cells that already
    /// show the same character in the same colors. The screen is assumed to show spaces in the given colors (it was
    /// just filled); only this renderer may draw on it afterwards, or it must be told with this call again.
    /// </summary>
    public void TrackDrawnCells(int columns, int rows, uint foreground, uint background)
    {
        int count = Math.Max(columns, 0) * Math.Max(rows, 0);
        _drawnCodePoints = new int[count];
        _drawnForegrounds = new uint[count];
        _drawnBackgrounds = new uint[count];
        _drawnColumns = Math.Max(columns, 0);
        for (int i = 0; i < count; i++)
        {
            _drawnCodePoints[i] = ' ';
            _drawnForegrounds[i] = foreground;
            _drawnBackgrounds[i] = background;
        }
    }

    /// <summary>
    /// Redraws the changed cells of every dirty row of <paramref name="grid"/> and marks the row clean. Rows outside the visible area are
    /// marked clean too, since there is nothing to draw. Returns the number of rows that were dirty.
    /// </summary>
    public int Render(Span<uint> pixels, TextGrid grid)
    {
        if (grid == null)
        {
            return 0;
        }

        int dirtyRows = 0;
        for (int row = 0; row < grid.Rows; row++)
        {
            if (!grid.IsRowDirty(row))
            {
                continue;
            }

            int end = grid.DirtyColumnEnd(row);
            for (int column = grid.DirtyColumnStart(row); column < end; column++)
            {
                Cell cell = grid.GetCell(column, row);
                int drawn = row * _drawnColumns + column;
                bool tracked = _drawnCodePoints != null && column < _drawnColumns && drawn < _drawnCodePoints.Length;
                if (tracked && _drawnCodePoints[drawn] == cell.CodePoint && _drawnForegrounds[drawn] == cell.Foreground
                    && _drawnBackgrounds[drawn] == cell.Background)
                {
                    continue;
                }

                if (tracked)
                {
                    _drawnCodePoints[drawn] = cell.CodePoint;
                    _drawnForegrounds[drawn] = cell.Foreground;
                    _drawnBackgrounds[drawn] = cell.Background;
                }

                if (!DrawCell(pixels, column, row, cell.CodePoint, cell.Foreground, cell.Background))
                {
                    // Everything further right is off screen as well.
                    break;
                }
            }

            grid.MarkRowClean(row);
            dirtyRows++;
        }

        return dirtyRows;
    }
}
