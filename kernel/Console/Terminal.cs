// The kernel console: text to the serial port and to the framebuffer (a TextGrid drawn with a PSF font),
// as the console= boot option says. Before the screen is attached, output goes to serial only.
using System;
using Kernel.Arch;
using Kernel.Firmware;

namespace Kernel.Console;

/// <summary>Where kernel messages go: <c>Terminal.WriteLine("...")</c> from anywhere.</summary>
public static class Terminal
{
    /// <summary>Default text color (light grey), 0xRRGGBB.</summary>
    public const uint DefaultForeground = 0xC0C0C0;

    /// <summary>Default background color (black).</summary>
    public const uint DefaultBackground = 0x000000;

    /// <summary>Panic screen text color (white).</summary>
    public const uint PanicForeground = 0xFFFFFF;

    /// <summary>Panic screen background color (dark red).</summary>
    public const uint PanicBackground = 0xAA0000;

    // Code in an interrupt handler may print (a panic does, and a test's tick subscriber): the lock keeps interrupts
    // out while other code prints, instead of letting them deadlock on it (the seed's "Fixing the deadlock").
    private static readonly InterruptSafeLock s_lock = new InterruptSafeLock("console lock");

    private static Framebuffer s_framebuffer;
    private static GlyphRenderer s_renderer;
    private static TextGrid s_grid;
    private static bool s_toScreen;
    private static PsfFont s_font;
    private static bool s_toSerial = true;
    // Scrolled frames are coalesced (FramePacer.cs): the drawing takes at most a fifth of the time text streams by.
    private static readonly FramePacer s_pacer = new FramePacer(FrameBudgetFactor);

    /// <summary>After a frame that scrolled, how many times its drawing time passes before the next scrolled frame.</summary>
    public const int FrameBudgetFactor = 4;

    /// <summary>Frames drawn since boot.</summary>
    public static ulong Frames => s_pacer.Frames;

    /// <summary>Whether text is drawn on a screen.</summary>
    public static bool HasScreen => s_grid != null;

    /// <summary>The text grid on screen, or null.</summary>
    public static TextGrid Grid => s_grid;

    /// <summary>The screen, or null.</summary>
    public static Framebuffer Screen => s_framebuffer;

    /// <summary>Whether output goes to the screen (there is one and console= includes it).</summary>
    public static bool WritesToScreen => s_toScreen;

    /// <summary>The font the screen is drawn with (null without a screen).</summary>
    public static PsfFont Font => s_font;

    /// <summary>The boot log's screen line: mode, stride, byte order and font, or that there is none.</summary>
    public static string DescribeScreen()
    {
        Framebuffer screen = s_framebuffer;
        if (screen == null)
            return "screen: none (serial console only)";
        return "screen: " + screen.Width.ToString() + "x" + screen.Height.ToString() + " (mode " + screen.ModeNumber.ToString()
            + ", stride " + screen.PixelsPerScanLine.ToString() + ", " + (screen.Format == PixelFormat.Bgr ? "BGR" : "RGB")
            + "), font " + s_font.Width.ToString() + "x" + s_font.Height.ToString();
    }

    /// <summary>Starts drawing on the framebuffer with the given font, and clears it.</summary>
    public static void AttachScreen(Framebuffer framebuffer, PsfFont font)
    {
        s_framebuffer = framebuffer;
        s_font = font;
        s_renderer = new GlyphRenderer(font, framebuffer.Width, framebuffer.Height, framebuffer.PixelsPerScanLine, framebuffer.Format);
        s_grid = new TextGrid(s_renderer.Columns, s_renderer.Rows, DefaultForeground, DefaultBackground);
        s_toScreen = true;
        // A plain fill clears the screen far faster than drawing every blank cell as a glyph.
        framebuffer.Fill(GlyphRenderer.ToNative(DefaultBackground, framebuffer.Format));
        s_renderer.TrackDrawnCells(s_grid.Columns, s_grid.Rows, DefaultForeground, DefaultBackground);
        s_grid.MarkClean();
    }

    /// <summary>Chooses the outputs; serial stays on for panics regardless.</summary>
    public static void SelectTargets(ConsoleTarget target)
    {
        s_toSerial = (target & ConsoleTarget.Serial) != 0;
        s_toScreen = (target & ConsoleTarget.Screen) != 0 && s_grid != null;
    }

    /// <summary>The outputs in use (serial is always among them before a screen is attached).</summary>
    public static ConsoleTarget Targets => (s_toSerial ? ConsoleTarget.Serial : 0) | (s_toScreen ? ConsoleTarget.Screen : 0);

    /// <summary>Draws whatever text has not reached the screen yet, now.</summary>
    public static void Present()
    {
        using (s_lock.Acquire())
        {
            if (s_toScreen)
                Draw();
        }
    }

    /// <summary>
    /// For the timer interrupt: draws a coalesced frame once it is due, so the last lines of a burst appear without
    /// waiting for more output. Skips the tick when the console lock is held (the writer draws or leaves it pending).
    /// </summary>
    public static void OnTimerTick(ulong ticks)
    {
        if (!s_toScreen || !s_pacer.HasPendingScrolls(s_grid.ScrollCount) || s_lock.Holder != -1
            || !s_pacer.ShouldDraw(s_grid.ScrollCount, Cpu.ReadTimeStampCounter()))
            return;
        using (s_lock.Acquire())
        {
            if (s_toScreen)
                Flush();
        }
    }

    /// <summary>Sets the colors of text written from now on (0xRRGGBB).</summary>
    public static void SetColors(uint foreground, uint background) => s_grid?.SetColors(foreground, background);

    /// <summary>The console lock (held while text is written); exposed for the deadlock test.</summary>
    public static InterruptSafeLock Lock => s_lock;

    /// <summary>Writes text.</summary>
    public static void Write(string text)
    {
        if (text == null)
            return;
        using (s_lock.Acquire())
            WriteUnlocked(text);
    }

    /// <summary>Writes text and a line break.</summary>
    public static void WriteLine(string text)
    {
        using (s_lock.Acquire())
        {
            if (text != null)
                WriteText(text);
            WriteText("\n");
            if (s_toScreen)
                Flush();
        }
    }

    /// <summary>Writes characters without building a string (the shell's echo).</summary>
    public static void Write(ReadOnlySpan<char> text)
    {
        using (s_lock.Acquire())
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (s_toSerial)
                    Serial16550.Write(text[i]);
                if (s_toScreen)
                    s_grid.Write(text[i]);
            }
            if (s_toScreen)
                Flush();
        }
    }

    /// <summary>Draws text at (column, row) of the screen without moving the cursor (screen only: a status field).</summary>
    public static void WriteAt(int column, int row, ReadOnlySpan<char> text)
    {
        using (s_lock.Acquire())
        {
            if (!s_toScreen)
                return;
            // Saved with any pending wrap, so a line the shell's editor has just filled to the last column
            // still wraps where the editor expects when the clock draws in between.
            s_grid.SaveCursor();
            s_grid.SetCursor(column, row);
            for (int i = 0; i < text.Length && column + i < s_grid.Columns; i++)
                s_grid.Write(text[i]);
            s_grid.RestoreCursor();
            Flush();
        }
    }

    /// <summary>Clears the screen (and the serial terminal, with an ANSI clear-screen sequence).</summary>
    public static void Clear()
    {
        using (s_lock.Acquire())
        {
            if (s_toSerial)
                Serial16550.Write("\u001b[2J\u001b[H");
            if (s_toScreen)
            {
                s_grid.Clear();
                Flush();
            }
        }
    }

    private static void WriteUnlocked(string text)
    {
        if (text == null)
            return;
        WriteText(text);
        if (s_toScreen)
            Flush();
    }

    private static void WriteText(string text)
    {
        if (s_toSerial)
            Serial16550.Write(text);
        if (s_toScreen)
            s_grid.Write(text);
    }

    /// <summary>
    /// Clears the screen to the panic colors and shows text there and on serial, whatever the targets. Takes no
    /// lock: the panic may have struck while the console lock was held.
    /// </summary>
    public static void ShowPanic(string text)
    {
        Serial16550.Write(text);
        if (s_grid == null)
            return;
        s_grid.SetColors(PanicForeground, PanicBackground);
        s_grid.Clear();
        s_grid.Write(text);
        Draw();
    }

    // After text was written: draws now, or leaves a scrolled frame pending while the last one's budget lasts.
    private static void Flush()
    {
        if (s_pacer.ShouldDraw(s_grid.ScrollCount, Cpu.ReadTimeStampCounter()))
            Draw();
    }

    private static void Draw()
    {
        long scrolls = s_grid.ScrollCount;
        ulong start = Cpu.ReadTimeStampCounter();
        s_renderer.Render(s_framebuffer.Pixels, s_grid);
        s_pacer.Drawn(scrolls, start, Cpu.ReadTimeStampCounter());
    }
}
