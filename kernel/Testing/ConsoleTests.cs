#if KERNEL_TESTS
// In-kernel tests of the framebuffer console: the banner is really drawn with the embedded font.
using System;
using Kernel.Console;
namespace Kernel.Testing;

public static class ConsoleTests
{
    public static void ScreenAttached()
    {
        Expect.True(Terminal.HasScreen, "GOP framebuffer in use");
        Expect.True(Terminal.Screen.Width >= 640 && Terminal.Screen.Height >= 480, "a sensible mode was chosen");
        Expect.True(Terminal.Screen.Width <= TestRunner.Boot.VideoMaxWidth, "mode within video= bound");
    }

    public static void FontIsEmbedded()
    {
        PsfFont font = Terminal.Font;
        Expect.True(font != null, "font parsed");
        if (font == null)
            return;
        Expect.Equal(8, font.Width, "font width");
        Expect.Equal(16, font.Height, "font height");
        Expect.True(font.GlyphIndexFor('A') != font.GlyphIndexFor('B'), "unicode table maps letters");
    }

    public static void DrawnTextMatchesTheFont()
    {
        if (!Terminal.WritesToScreen)
        {
            // Nothing is drawn with console=serial (or without a screen): fail with the reason, never index pixels.
            TestRunner.Fail("the console does not write to the screen (no screen, or console=serial)");
            return;
        }
        // A line of our own, so the check never depends on what scrolled by before: its first cell must show
        // the glyph pixel for pixel.
        Terminal.WriteLine("  Hg drawn for the pixel check");
        // A line that scrolls may wait for the next frame (Terminal's FramePacer): draw it now.
        Terminal.Present();
        TextGrid grid = Terminal.Grid;
        int row = grid.CursorRow - 1;
        const int column = 2;
        Cell cell = grid.GetCell(column, row);
        Expect.Equal((long)'H', cell.CodePoint, "the text is in the grid");
        PsfFont font = Terminal.Font;
        ReadOnlySpan<byte> glyph = font.GetGlyph(font.GlyphIndexFor('H'));
        Span<uint> pixels = Terminal.Screen.Pixels;
        uint foreground = GlyphRenderer.ToNative(cell.Foreground, Terminal.Screen.Format);
        uint background = GlyphRenderer.ToNative(cell.Background, Terminal.Screen.Format);
        int mismatches = 0;
        int setPixels = 0;
        for (int y = 0; y < font.Height; y++)
        {
            for (int x = 0; x < font.Width; x++)
            {
                bool set = (glyph[y * font.BytesPerRow + x / 8] & (0x80 >> (x % 8))) != 0;
                setPixels += set ? 1 : 0;
                int offset = (row * font.Height + y) * Terminal.Screen.PixelsPerScanLine + column * font.Width + x;
                if ((pixels[offset] & 0x00FFFFFF) != ((set ? foreground : background) & 0x00FFFFFF))
                    mismatches++;
            }
        }
        Expect.True(setPixels > 0, "the glyph has pixels to compare");
        Expect.Equal(0, mismatches, "pixels of the glyph that differ from the font");
    }

    public static void GridWrapsAndScrolls()
    {
        var grid = new TextGrid(10, 3, 0xFFFFFF, 0);
        grid.Write("0123456789abc\nline\nmore\n");
        Expect.True(grid.ScrollCount > 0, "writing past the last row scrolls");
        Expect.Equal((long)'l', grid.GetCell(0, 0).CodePoint, "rows moved up");
    }
}
#endif
