#if KERNEL_TESTS
// In-kernel benchmark of the console (bench=console; the Bench target's table `console`): lines of 80 characters
// that scroll, written through the Terminal to the screen, to the screen and serial, to serial alone, and into a text
// grid of the screen's size with no drawing at all (the floor), in lines per second. They measure and cannot fail.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Interrupts;

namespace Kernel.Testing;

public static class ConsoleBenchmarks
{
    private const int ScreenLines = 2000;
    // Serial costs a port write per character under TCG: fewer lines, the rate is what counts.
    private const int SerialLines = 300;
    private const int LineLength = 80;
    private const int DistinctLines = 251;

    /// <summary>
    /// "bench: console lines=N columns=C rows=R grid_lps=G screen_lps=S both_lps=B serial_lps=L screen_vs_grid_x100=X frames=F scroll_frame_us=U"
    /// (lps: lines per second; screen_vs_grid_x100: how many times longer the screen takes than the grid, x100; F: frames drawn
    /// while the screen's lines streamed, the last one included; U: one line that scrolls, drawn at once, in microseconds).
    /// </summary>
    public static void MeasureThroughput()
    {
        if (!Terminal.HasScreen)
        {
            Terminal.WriteLine("bench: console no screen");
            return;
        }
        // Distinct lines, more of them than the screen has rows, made before timing: every scroll changes every row.
        string[] lines = MakeLines();
        ConsoleTarget targets = Terminal.Targets;
        TextGrid screenGrid = Terminal.Grid;

        // The floor: the same text into a grid of the screen's size, nothing drawn.
        var grid = new TextGrid(screenGrid.Columns, screenGrid.Rows, Terminal.DefaultForeground, Terminal.DefaultBackground);
        ulong start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < ScreenLines; i++)
        {
            grid.Write(lines[i % lines.Length]);
            grid.Write('\n');
        }
        ulong gridCycles = Cpu.ReadTimeStampCounter() - start;

        ulong framesBefore = Terminal.Frames;
        ulong screenCycles = TimeLines(ConsoleTarget.Screen, lines, ScreenLines);
        ulong screenFrames = Terminal.Frames - framesBefore;
        // One more line and its frame drawn at once: what each scrolled frame costs.
        start = Cpu.ReadTimeStampCounter();
        Terminal.WriteLine(lines[ScreenLines % lines.Length]);
        Terminal.Present();
        ulong frameCycles = Cpu.ReadTimeStampCounter() - start;
        ulong bothCycles = TimeLines(ConsoleTarget.Both, lines, SerialLines);
        ulong serialCycles = TimeLines(ConsoleTarget.Serial, lines, SerialLines);
        Terminal.SelectTargets(targets);
        Terminal.WriteLine("bench: console lines=" + ScreenLines.ToString() + " columns=" + screenGrid.Columns.ToString()
            + " rows=" + screenGrid.Rows.ToString() + " grid_lps=" + PerSecond(ScreenLines, gridCycles).ToString()
            + " screen_lps=" + PerSecond(ScreenLines, screenCycles).ToString() + " both_lps=" + PerSecond(SerialLines, bothCycles).ToString()
            + " serial_lps=" + PerSecond(SerialLines, serialCycles).ToString()
            + " screen_vs_grid_x100=" + (screenCycles * 100 / (gridCycles == 0 ? 1 : gridCycles)).ToString()
            + " frames=" + screenFrames.ToString() + " scroll_frame_us=" + (frameCycles * 1_000_000 / SystemTimer.TscHz).ToString());
    }

    // Writes count lines to the targets and draws what is still pending, as a user would see it at the end.
    private static ulong TimeLines(ConsoleTarget target, string[] lines, int count)
    {
        Terminal.SelectTargets(target);
        ulong start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < count; i++)
            Terminal.WriteLine(lines[i % lines.Length]);
        Terminal.Present();
        ulong cycles = Cpu.ReadTimeStampCounter() - start;
        return cycles;
    }

    private static string[] MakeLines()
    {
        var lines = new string[DistinctLines];
        char[] chars = new char[LineLength];
        for (int line = 0; line < lines.Length; line++)
        {
            for (int i = 0; i < chars.Length; i++)
                chars[i] = (char)('!' + (i + line) % 94);
            lines[line] = new string(chars);
        }
        return lines;
    }

    private static ulong PerSecond(int lines, ulong cycles) => cycles == 0 ? 0 : (ulong)lines * SystemTimer.TscHz / cycles;
}
#endif
