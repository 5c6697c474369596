// Tests for GlyphRenderer: exact pixels against font bits, both GOP pixel formats, stride, clipping, dirty rows.
using System;
using Kernel.Console;
using Kernel.Firmware;
using Xunit;

namespace Kernel.HostTests.Console;

public class GlyphRendererTests
{
    private const uint Sentinel = 0xDEADBEEF;
    private const uint Foreground = 0x123456;
    private const uint Background = 0xA1B2C3;

    private static uint[] NewFramebuffer(int stride, int height)
    {
        uint[] pixels = new uint[stride * height];
        Array.Fill(pixels, Sentinel);
        return pixels;
    }

    /// <summary>Reads bit (x, y) of a glyph straight from the font file bytes, MSB first, rows padded to bytes.</summary>
    private static bool FileBit(byte[] file, int glyphOffset, int bytesPerRow, int x, int y)
    {
        return ((file[glyphOffset + y * bytesPerRow + x / 8] >> (7 - x % 8)) & 1) != 0;
    }

    private static uint Native(uint rgb, PixelFormat format)
    {
        byte r = (byte)(rgb >> 16);
        byte g = (byte)(rgb >> 8);
        byte b = (byte)rgb;
        // Lay the bytes out in memory as GOP defines them, then read them as a little-endian uint.
        byte[] memory = format == PixelFormat.Rgb ? new byte[] { r, g, b, 0 } : new byte[] { b, g, r, 0 };
        return BitConverter.ToUInt32(memory, 0);
    }

    [Theory]
    [InlineData(PixelFormat.Rgb, 0x123456u, 0x00563412u)]
    [InlineData(PixelFormat.Bgr, 0x123456u, 0x00123456u)]
    [InlineData(PixelFormat.Rgb, 0xFFFF0000u, 0x000000FFu)]
    [InlineData(PixelFormat.Bgr, 0xFF00FF00u, 0x0000FF00u)]
    [InlineData(PixelFormat.Rgb, 0x0000FFu, 0x00FF0000u)]
    public void ConvertsColorsToNativePixelFormat(PixelFormat format, uint rgb, uint expected)
    {
        Assert.Equal(expected, GlyphRenderer.ToNative(rgb, format));
        Assert.Equal(Native(rgb, format), GlyphRenderer.ToNative(rgb, format));
    }

    [Theory]
    [InlineData(PsfTestData.Terminus16, PixelFormat.Rgb)]
    [InlineData(PsfTestData.Terminus16, PixelFormat.Bgr)]
    [InlineData(PsfTestData.Terminus20x10, PixelFormat.Rgb)]
    [InlineData(PsfTestData.Terminus20x10, PixelFormat.Bgr)]
    public void RendersTextPixelExactWithStrideWiderThanWidth(string fontName, PixelFormat format)
    {
        byte[] file = PsfTestData.LoadFontFile(fontName);
        Assert.Equal(PsfParseStatus.Ok, PsfFont.TryParse(file, out PsfFont font));
        int headerSize = file[0] == 0x36 ? 4 : BitConverter.ToInt32(file, 8);

        const int columns = 6;
        const int rows = 2;
        int width = columns * font.Width;
        int height = rows * font.Height;
        int stride = width + 13;
        uint[] pixels = NewFramebuffer(stride, height + 1);
        GlyphRenderer renderer = new GlyphRenderer(font, width, height, stride, format);
        Assert.Equal((columns, rows), (renderer.Columns, renderer.Rows));

        TextGrid grid = new TextGrid(columns, rows, Foreground, Background);
        string text = "Hi, @#\u2588\u00E9g?~q";
        grid.Write(text);
        Assert.Equal(rows, renderer.Render(pixels, grid));

        uint fg = Native(Foreground, format);
        uint bg = Native(Background, format);
        int fgCount = 0;
        for (int y = 0; y < height + 1; y++)
        {
            for (int x = 0; x < stride; x++)
            {
                uint actual = pixels[y * stride + x];
                if (x >= width || y >= height)
                {
                    Assert.True(Sentinel == actual, "wrote outside the visible area at " + x + "," + y);
                    continue;
                }

                int cellIndex = (y / font.Height) * columns + x / font.Width;
                int glyph = font.GlyphIndexFor(text[cellIndex]);
                bool set = FileBit(file, headerSize + glyph * font.BytesPerGlyph, font.BytesPerRow, x % font.Width, y % font.Height);
                Assert.True((set ? fg : bg) == actual, "pixel " + x + "," + y);
                fgCount += set ? 1 : 0;
            }
        }

        // The full block alone covers a whole cell, so the check cannot pass with an all-background screen.
        Assert.True(fgCount >= font.Width * font.Height, "foreground pixels: " + fgCount);
        Assert.False(grid.AnyRowDirty);
    }

    [Fact]
    public void DrawsTerminusLetterAWithKnownShape()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        uint[] pixels = NewFramebuffer(10, 16);
        GlyphRenderer renderer = new GlyphRenderer(font, 8, 16, 10, PixelFormat.Bgr);

        Assert.True(renderer.DrawCell(pixels, 0, 0, 'A', 0xFFFFFF, 0x000000));

        // Row 7 of Terminus 16 'A' is the crossbar 0x7E: pixels 1..6 set.
        for (int x = 0; x < 8; x++)
        {
            Assert.Equal(x >= 1 && x <= 6 ? 0xFFFFFFu : 0u, pixels[7 * 10 + x]);
        }

        // Row 2 is 0x3C: pixels 2..5 set.
        for (int x = 0; x < 8; x++)
        {
            Assert.Equal(x >= 2 && x <= 5 ? 0xFFFFFFu : 0u, pixels[2 * 10 + x]);
        }

        Assert.Equal(Sentinel, pixels[8]);
        Assert.Equal(Sentinel, pixels[9]);
    }

    [Fact]
    public void ClipsCellsThatDoNotFullyFit()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        // 2.5 cells wide, 1.5 cells high; stride leaves a margin that must stay untouched.
        int width = 20;
        int height = 24;
        int stride = 24;
        uint[] pixels = NewFramebuffer(stride, 40);
        GlyphRenderer renderer = new GlyphRenderer(font, width, height, stride, PixelFormat.Rgb);
        Assert.Equal((2, 1), (renderer.Columns, renderer.Rows));

        Assert.True(renderer.DrawCell(pixels, 2, 1, 0x2588, Foreground, Background));
        Assert.False(renderer.DrawCell(pixels, 3, 0, 0x2588, Foreground, Background));
        Assert.False(renderer.DrawCell(pixels, 0, 2, 0x2588, Foreground, Background));
        Assert.False(renderer.DrawCell(pixels, -1, 0, 0x2588, Foreground, Background));

        uint fg = Native(Foreground, PixelFormat.Rgb);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < stride; x++)
            {
                bool inClippedCell = x >= 16 && x < 20 && y >= 16 && y < 24;
                Assert.True((inClippedCell ? fg : Sentinel) == pixels[y * stride + x], "pixel " + x + "," + y);
            }
        }
    }

    [Fact]
    public void NeverWritesPastEndOfShortPixelSpan()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        uint[] backing = NewFramebuffer(16, 32);
        // The span ends in the middle of row 5 of the second cell row.
        Span<uint> pixels = new Span<uint>(backing, 0, 16 * 21 + 3);
        GlyphRenderer renderer = new GlyphRenderer(font, 16, 32, 16, PixelFormat.Bgr);

        Assert.True(renderer.DrawCell(pixels, 0, 1, 0x2588, 0xFFFFFF, 0));
        Assert.Equal(0xFFFFFFu, backing[16 * 21 + 2]);
        Assert.Equal(Sentinel, backing[16 * 21 + 3]);
        Assert.Equal(Sentinel, backing[16 * 22]);
        Assert.False(renderer.DrawCell(new Span<uint>(backing, 0, 10), 0, 1, 'A', 0, 0));
    }

    [Fact]
    public void RendersOnlyDirtyRowsThenMarksThemClean()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        const int columns = 4;
        const int rows = 3;
        int width = columns * 8;
        uint[] pixels = NewFramebuffer(width, rows * 16);
        GlyphRenderer renderer = new GlyphRenderer(font, width, rows * 16, width, PixelFormat.Bgr);
        TextGrid grid = new TextGrid(columns, rows, Foreground, Background);
        Assert.Equal(rows, renderer.Render(pixels, grid));
        Assert.Equal(0, renderer.Render(pixels, grid));

        Array.Fill(pixels, Sentinel);
        grid.Write("\nab");
        Assert.Equal(1, renderer.Render(pixels, grid));
        for (int y = 0; y < rows * 16; y++)
        {
            bool inRow1 = y >= 16 && y < 32;
            Assert.Equal(inRow1, pixels[y * width] != Sentinel);
        }

        Assert.False(grid.AnyRowDirty);
    }

    [Fact]
    public void RedrawsEveryRowAfterScroll()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        uint[] pixels = NewFramebuffer(16, 32);
        GlyphRenderer renderer = new GlyphRenderer(font, 16, 32, 16, PixelFormat.Bgr);
        TextGrid grid = new TextGrid(2, 2, 0xFFFFFF, 0x000000);
        grid.Write("\u2588\n\u2588");
        renderer.Render(pixels, grid);
        Assert.Equal(0xFFFFFFu, pixels[16 * 16]);

        grid.Write("\n");
        Assert.Equal(2, renderer.Render(pixels, grid));
        // The block moved from row 1 to row 0; row 1 is now blank.
        Assert.Equal(0xFFFFFFu, pixels[0]);
        Assert.Equal(0u, pixels[16 * 16]);
    }

    [Fact]
    public void GridLargerThanScreenIsClippedAndFullyMarkedClean()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        uint[] pixels = NewFramebuffer(16, 16);
        GlyphRenderer renderer = new GlyphRenderer(font, 16, 16, 16, PixelFormat.Bgr);
        TextGrid grid = new TextGrid(5, 4, 0xFFFFFF, 0);
        grid.Write("\u2588\u2588\u2588\u2588\u2588");

        Assert.Equal(4, renderer.Render(pixels, grid));
        Assert.False(grid.AnyRowDirty);
        Assert.All(pixels, p => Assert.Equal(0xFFFFFFu, p));
    }

    [Fact]
    public void UnknownCodePointDrawsReplacementGlyph()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        uint[] unknown = NewFramebuffer(8, 16);
        uint[] question = NewFramebuffer(8, 16);
        GlyphRenderer renderer = new GlyphRenderer(font, 8, 16, 8, PixelFormat.Rgb);
        renderer.DrawCell(unknown, 0, 0, 0x1F600, 0xFFFFFF, 0);
        renderer.DrawCell(question, 0, 0, '?', 0xFFFFFF, 0);
        Assert.Equal(question, unknown);
        Assert.Contains(0xFFFFFFu, question);
    }

    [Fact]
    public void WidthLargerThanStrideIsReducedToStride()
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        GlyphRenderer renderer = new GlyphRenderer(font, 100, -5, 64, PixelFormat.Rgb);
        Assert.Equal(64, renderer.Width);
        Assert.Equal(0, renderer.Height);
        Assert.Equal((8, 0), (renderer.Columns, renderer.Rows));
    }
}
