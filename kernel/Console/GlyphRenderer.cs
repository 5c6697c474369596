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

    private readonly PsfFont _font;

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
        ReadOnlySpan<byte> glyph = _font.GetGlyph(_font.GlyphIndexFor(codePoint));
        int bytesPerRow = _font.BytesPerRow;
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
