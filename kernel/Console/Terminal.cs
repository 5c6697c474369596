// The kernel console: text to the serial port and to the framebuffer (a TextGrid drawn with a PSF font),
// as the console= boot option says. Before the screen is attached, output goes to serial only.
using Kernel.Boot;

namespace Kernel.Console
{
    /// <summary>Where kernel messages go: <c>Terminal.WriteLine("...")</c> from anywhere.</summary>
    internal static class Terminal
    {
        /// <summary>Default text color (light grey), 0xRRGGBB.</summary>
        public const uint DefaultForeground = 0xC0C0C0;

        /// <summary>Default background color (black).</summary>
        public const uint DefaultBackground = 0x000000;

        /// <summary>Panic screen text color (white).</summary>
        public const uint PanicForeground = 0xFFFFFF;

        /// <summary>Panic screen background color (dark red).</summary>
        public const uint PanicBackground = 0xAA0000;

        private static Framebuffer s_framebuffer;
        private static GlyphRenderer s_renderer;
        private static TextGrid s_grid;
        private static bool s_toScreen;
        private static bool s_toSerial = true;

        /// <summary>Whether text is drawn on a screen.</summary>
        public static bool HasScreen => s_grid != null;

        /// <summary>The text grid on screen, or null.</summary>
        public static TextGrid Grid => s_grid;

        /// <summary>The screen's renderer, or null.</summary>
        public static GlyphRenderer Renderer => s_renderer;

        /// <summary>The screen, or null.</summary>
        public static Framebuffer Screen => s_framebuffer;

        /// <summary>Starts drawing on the framebuffer with the given font, and clears it.</summary>
        public static void AttachScreen(Framebuffer framebuffer, PsfFont font)
        {
            s_framebuffer = framebuffer;
            s_renderer = new GlyphRenderer(font, framebuffer.Width, framebuffer.Height, framebuffer.PixelsPerScanLine, framebuffer.Format);
            s_grid = new TextGrid(s_renderer.Columns, s_renderer.Rows, DefaultForeground, DefaultBackground);
            s_toScreen = true;
            // A plain fill clears the screen far faster than drawing every blank cell as a glyph.
            framebuffer.Fill(GlyphRenderer.ToNative(DefaultBackground, framebuffer.Format));
            s_grid.MarkClean();
        }

        /// <summary>Chooses the outputs; serial stays on for panics regardless.</summary>
        public static void SelectTargets(ConsoleTarget target)
        {
            s_toSerial = (target & ConsoleTarget.Serial) != 0;
            s_toScreen = (target & ConsoleTarget.Screen) != 0 && s_grid != null;
        }

        /// <summary>Sets the colors of text written from now on (0xRRGGBB).</summary>
        public static void SetColors(uint foreground, uint background) => s_grid?.SetColors(foreground, background);

        /// <summary>Writes text.</summary>
        public static void Write(string text)
        {
            if (text == null)
                return;
            if (s_toSerial)
                Serial16550.Write(text);
            if (s_toScreen)
            {
                s_grid.Write(text);
                Flush();
            }
        }

        /// <summary>Writes text and a line break.</summary>
        public static void WriteLine(string text)
        {
            Write(text);
            Write("\n");
        }

        /// <summary>Clears the screen to the panic colors and shows text there and on serial, whatever the targets.</summary>
        public static void ShowPanic(string text)
        {
            Serial16550.Write(text);
            if (s_grid == null)
                return;
            s_grid.SetColors(PanicForeground, PanicBackground);
            s_grid.Clear();
            s_grid.Write(text);
            Flush();
        }

        private static void Flush() => s_renderer.Render(s_framebuffer.Pixels, s_grid);
    }
}
