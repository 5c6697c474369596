// The stack's part of the root set (issue 14, items 4 and 7). Today the collector scans the kernel stack
// conservatively; a precise walker (GC info v4 over the x64 unwinder) plugs in here and reports each frame's live
// slots through the same callback, falling back to the conservative scan when it cannot prove every frame.
using Kernel.Diagnostics;

namespace Kernel.Gc;

/// <summary>Receives one stack root: a slot holding a reference, or an interior pointer into an object.</summary>
/// <remarks>Safety: slot is valid only for the call; the callee reads it and never writes it.</remarks>
public unsafe delegate void RootCallback(ulong* slot, bool interior);

/// <summary>
/// Enumerates the precise stack roots from start (the collector's own frame, its callee-saved registers as spilled
/// at the collection point) to the bottom of the kernel stack; returns false if any frame cannot be proven, in
/// which case the collector scans the whole stack conservatively instead.
/// </summary>
public delegate bool PreciseStackWalker(in RegisterContext start, RootCallback report);

/// <summary>Where the collector finds its precise stack walker (none until one is installed).</summary>
public static class StackRoots
{
    private static PreciseStackWalker s_walker;

    /// <summary>The installed precise walker, or null.</summary>
    public static PreciseStackWalker Walker => s_walker;

    /// <summary>
    /// Installs the precise walker used in gc=precise mode. It runs with interrupts off in the middle of a
    /// collection, so it must not allocate.
    /// </summary>
    public static void SetPreciseWalker(PreciseStackWalker walker) => s_walker = walker;
}
