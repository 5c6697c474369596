// TSC stamps of the boot's steps, from EfiMain to `ready` (issue 17): each Mark closes the phase that just ended.
// Nothing is allocated after Begin and nothing is printed here; KernelMain prints BootPhaseLine's line before
// `ready`, once the TSC rate is known.
using Kernel.Arch;

namespace Kernel.Diagnostics;

/// <summary>The boot's phases and when each ended.</summary>
public static class BootTimeline
{
    /// <summary>The most phases kept; later marks are dropped.</summary>
    public const int MaxPhases = 32;

    private static ulong s_entryTsc;
    private static string[] s_names;
    private static ulong[] s_stamps;
    private static int s_count;

    /// <summary>The TSC when EfiMain started.</summary>
    public static ulong EntryTsc => s_entryTsc;

    /// <summary>Remembers entryTsc (read first thing in EfiMain) and makes room for the phases; needs the early heap.</summary>
    public static void Begin(ulong entryTsc)
    {
        s_entryTsc = entryTsc;
        s_names = new string[MaxPhases];
        s_stamps = new ulong[MaxPhases];
        s_count = 0;
    }

    /// <summary>The phase named name (a literal: it is kept) ends now.</summary>
    public static void Mark(string name)
    {
        if (s_names == null || s_count >= MaxPhases)
            return;
        s_stamps[s_count] = Cpu.ReadTimeStampCounter();
        s_names[s_count] = name;
        s_count++;
    }

    /// <summary>The boot log's line (see <see cref="BootPhaseLine.Format"/>).</summary>
    public static string Describe(ulong tscHz) =>
        s_names == null ? "boot: no timeline" : BootPhaseLine.Format(s_names, s_stamps, s_count, s_entryTsc, tscHz);
}
