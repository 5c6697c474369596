// A second task beside the shell: keeps the uptime in the screen's top-right corner, once a second, proving
// that tasks run concurrently while the shell waits for input. It formats into a buffer made once, so an idle
// kernel's heap stays flat however long it runs.
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>The uptime clock task.</summary>
public static class UptimeClock
{
    private const string Label = " up ";
    private const int MaxDigits = 20;

    /// <summary>How many times the clock was drawn.</summary>
    public static ulong Updates { get; private set; }

    /// <summary>Redraws the clock every second, forever.</summary>
    public static async KernelTask RunAsync()
    {
        char[] buffer = new char[Label.Length + MaxDigits + 8];
        while (true)
        {
            TextGrid grid = Terminal.Grid;
            if (grid != null)
            {
                int length = Format(buffer, SystemTimer.UptimeMilliseconds / 1000);
                Terminal.WriteAt(grid.Columns - length, 0, new System.ReadOnlySpan<char>(buffer, 0, length));
            }
            Updates++;
            await Timers.Delay(1000);
        }
    }

    /// <summary>Writes " up H:MM:SS " into buffer and returns its length.</summary>
    public static int Format(char[] buffer, ulong seconds)
    {
        int at = 0;
        for (int i = 0; i < Label.Length; i++)
            buffer[at++] = Label[i];
        ulong hours = seconds / 3600;
        int digits = 0;
        char[] reversed = s_scratch;
        do
        {
            reversed[digits++] = (char)('0' + (int)(hours % 10));
            hours /= 10;
        }
        while (hours != 0);
        while (digits > 0)
            buffer[at++] = reversed[--digits];
        ulong minutes = seconds / 60 % 60;
        ulong secs = seconds % 60;
        buffer[at++] = ':';
        buffer[at++] = (char)('0' + (int)(minutes / 10));
        buffer[at++] = (char)('0' + (int)(minutes % 10));
        buffer[at++] = ':';
        buffer[at++] = (char)('0' + (int)(secs / 10));
        buffer[at++] = (char)('0' + (int)(secs % 10));
        buffer[at++] = ' ';
        return at;
    }

    private static readonly char[] s_scratch = new char[MaxDigits];
}
