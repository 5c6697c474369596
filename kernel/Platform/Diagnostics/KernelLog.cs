// The kernel log (dmesg): every kernel message, kept in memory with a boot-relative timestamp, so what scrolled
// off the screen (or never reached a serial port) can still be read with the shell's `log` command and ends up
// on the panic screen. Messages are copied into a fixed ring (LogRing); nothing is allocated per message.
// Interrupt handlers never log: they count, and task code reports.
using System;
using Kernel.Arch;

namespace Kernel.Diagnostics;

/// <summary>The kernel's message log.</summary>
public static class KernelLog
{
    /// <summary>Characters the log holds (the oldest lines are forgotten beyond that).</summary>
    public const int CharacterCapacity = 64 * 1024;

    /// <summary>Lines the log holds.</summary>
    public const int LineCapacity = 2048;

    private static LogRing s_ring;
    private static InterruptSafeLock s_lock;
    private static ulong s_bootTsc;
    private static ulong s_tscHz;

    /// <summary>The ring (for tests and the shell), or null before <see cref="Initialize"/>.</summary>
    public static LogRing Ring => s_ring;

    /// <summary>Creates the ring; time 0 is now. Messages before this are not kept.</summary>
    public static void Initialize()
    {
        s_bootTsc = Cpu.ReadTimeStampCounter();
        s_lock = new InterruptSafeLock("kernel log lock");
        s_ring = new LogRing(CharacterCapacity, LineCapacity);
    }

    /// <summary>Lets timestamps be shown in seconds once the TSC's rate is known (before, they show cycles).</summary>
    public static void SetTscFrequency(ulong hz) => s_tscHz = hz;

    /// <summary>Adds a message (one line per '\n'); ignored before <see cref="Initialize"/>. Not from interrupt handlers.</summary>
    public static void Write(ReadOnlySpan<char> message)
    {
        if (s_ring == null)
            return;
        ulong stamp = Cpu.ReadTimeStampCounter() - s_bootTsc;
        using (s_lock.Acquire())
            s_ring.Add(stamp, message);
    }

    /// <summary>As <see cref="Write(ReadOnlySpan{char})"/>.</summary>
    public static void Write(string message) => Write(message == null ? default : message.AsSpan());

    /// <summary>Line number as the shell prints it: "[    1.234567] text", or null when it is no longer held.</summary>
    public static string Format(long line)
    {
        if (s_ring == null)
            return null;
        using (s_lock.Acquire())
            return FormatHeld(line);
    }

    /// <summary>
    /// The last count lines, formatted, each indented and ended by '\n' ("" when there are none). For the panic
    /// screen: takes no lock, since the panic may have struck while the log's lock was held.
    /// </summary>
    public static string TailWithoutLock(int count)
    {
        LogRing ring = s_ring;
        if (ring == null)
            return "";
        string result = "";
        for (long line = Math.Max(ring.FirstLine, ring.NextLine - count); line < ring.NextLine; line++)
        {
            string formatted = FormatHeld(line);
            if (formatted != null)
                result = result + "  " + formatted + "\n";
        }
        return result;
    }

    private static string FormatHeld(long line)
    {
        if (!s_ring.Holds(line))
            return null;
        char[] text = new char[s_ring.LengthOf(line)];
        s_ring.CopyText(line, text);
        return "[" + LogRing.FormatTimestamp(s_ring.TimestampOf(line), s_tscHz) + "] " + new string(text);
    }
}
