// Bringing up the C# runtime inside the UEFI entry point, before anything allocates: the stack cookie, memory
// for `new` from the firmware, and the module's statics (which allocate). Until Start succeeds there is no string
// building, so failures come back as a value the caller prints with literals.
//
// The early heap (what `new` uses until the kernel heap exists) starts small and grows in steps of firmware
// pages while boot services run; just before ExitBootServices it is topped up with what the kernel needs until
// its own heap exists (EnsureEarlyHeapFree). Once the kernel heap has taken over, the whole unused pages of every
// step go back to the frame allocator (ReleaseUnusedEarlyHeap), so a 64 MiB machine boots and nothing stays
// reserved for nothing.
using System;
using Efi;
using Internal.Runtime;
using Kernel.Arch;

namespace Kernel.Firmware;

/// <summary>Why the runtime could not start.</summary>
public enum RuntimeStartupError
{
    None,

    /// <summary>The firmware refused the pages for the early heap.</summary>
    NoEarlyHeap,

    /// <summary>The compiled module headers are not what this runtime expects.</summary>
    BadModuleHeaders,
}

/// <summary>Starts the runtime the kernel's C# needs.</summary>
public static class RuntimeStartup
{
    /// <summary>Bytes the early heap gets from the firmware at a time (more when one object needs more).</summary>
    public const ulong EarlyStepBytes = 256 * 1024;

    private const ulong PageSize = 4096;
    private const ulong CookieMixer = 0x9E3779B97F4A7C15;
    private const int MaxSteps = 64;

    // Every step's free rest [start, end), kept up to date as the bump allocator moves on; given back at the end.
    // A fixed table, not an array: it is written while `new` itself is out of memory.
    private static StepTable s_table;
    private static int s_steps;
    private static bool s_currentRecorded;
    private static ulong s_lostSteps;
    private static ulong s_stepsTaken;
    private static ulong s_bytesFromFirmware;
    private static ulong s_bytesReleased;

    /// <summary>Seeds the stack cookie, gets the early heap from the firmware (firmwareStatus says how that went) and
    /// initializes the statics.</summary>
    /// <remarks>Safety: call first thing in the entry point, once, after BootServices.Initialize.</remarks>
    public static unsafe RuntimeStartupError Start(out EfiStatus firmwareStatus)
    {
        // Before any stack frame that checks the stack cookie is entered.
        Native.SeedSecurityCookie((Native.ReadTimeStampCounter() * CookieMixer) >> 16);
        if (!TryAddStep(EarlyStepBytes, out firmwareStatus))
            return RuntimeStartupError.NoEarlyHeap;
        ObjectAllocator.SetEarlyRefill(&Refill);
        void** modulesStart;
        void** modulesEnd;
        Native.ModuleBounds(&modulesStart, &modulesEnd);
        return StartupCodeHelpers.InitializeModules(modulesStart, modulesEnd) > 0 ? RuntimeStartupError.None : RuntimeStartupError.BadModuleHeaders;
    }

    /// <summary>
    /// Makes sure the early heap has at least bytes free without asking the firmware again: call just before
    /// ExitBootServices with what the kernel allocates before its own heap exists. False when the firmware refused.
    /// </summary>
    public static bool EnsureEarlyHeapFree(ulong bytes, out EfiStatus firmwareStatus)
    {
        firmwareStatus = EfiStatus.Success;
        return (ulong)ObjectAllocator.EarlyBytesFree >= bytes || TryAddStep(bytes, out firmwareStatus);
    }

    /// <summary>
    /// Ends the early heap (the kernel heap has taken over) and passes the whole unused pages of every step to
    /// release (start address, page count). Returns the bytes given back.
    /// </summary>
    /// <remarks>Safety: call once, after the kernel heap is installed; the pages must no longer be used by anyone.</remarks>
    public static unsafe ulong ReleaseUnusedEarlyHeap(Action<ulong, ulong> release)
    {
        RecordWhereTheCurrentStepStopped();
        ObjectAllocator.CloseEarlyHeap();
        for (int i = 0; i < s_steps; i++)
        {
            ulong first = (s_table.FreeStart[i] + PageSize - 1) & ~(PageSize - 1);
            if (first < s_table.End[i])
            {
                ulong pages = (s_table.End[i] - first) / PageSize;
                release(first, pages);
                s_bytesReleased += pages * PageSize;
            }
        }
        s_steps = 0;
        s_currentRecorded = false;
        return s_bytesReleased;
    }

    /// <summary>Bytes of the early heap given to the frame allocator by <see cref="ReleaseUnusedEarlyHeap"/>.</summary>
    public static ulong EarlyHeapBytesReleased => s_bytesReleased;

    /// <summary>One line for the boot log: what the early heap took from the firmware and gave back.</summary>
    public static string Summary() =>
        "early heap: " + Kibibytes((ulong)ObjectAllocator.EarlyBytesUsed) + " KiB used, " + Kibibytes(s_bytesFromFirmware)
        + " KiB from the firmware in " + s_stepsTaken.ToString() + " step(s), " + Kibibytes(s_bytesReleased) + " KiB given back";

    // The bump allocator ran out: another step, while the firmware can still give one.
    private static bool Refill(nuint size) => BootServices.IsActive && TryAddStep(size, out _);

    private static unsafe bool TryAddStep(ulong atLeast, out EfiStatus firmwareStatus)
    {
        ulong bytes = Math.Max((atLeast + PageSize - 1) & ~(PageSize - 1), EarlyStepBytes);
        void* step = BootServices.AllocatePages(bytes, out firmwareStatus);
        if (step == null)
            return false;
        RecordWhereTheCurrentStepStopped();
        s_currentRecorded = s_steps < MaxSteps;
        if (s_currentRecorded)
        {
            s_table.FreeStart[s_steps] = (ulong)step;
            s_table.End[s_steps] = (ulong)step + bytes;
            s_steps++;
        }
        else
        {
            // Past the table: the step's unused rest simply stays reserved.
            s_lostSteps++;
        }
        s_bytesFromFirmware += bytes;
        s_stepsTaken++;
        ObjectAllocator.InitializeEarlyHeap(step, (nuint)bytes);
        return true;
    }

    private static unsafe void RecordWhereTheCurrentStepStopped()
    {
        if (s_currentRecorded)
            s_table.FreeStart[s_steps - 1] = (ulong)ObjectAllocator.EarlyNext;
    }

    private static string Kibibytes(ulong bytes) => (bytes / 1024).ToString();

    private unsafe struct StepTable
    {
        public fixed ulong FreeStart[MaxSteps];
        public fixed ulong End[MaxSteps];
    }
}
