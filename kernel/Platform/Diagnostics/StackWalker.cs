// Walks the kernel's own stacks with the image's unwind records (FunctionTable, Unwinder): the frames of a panic's
// stack trace and of exception dispatch. Boot tells it where the image and its .pdata are; until then there is no
// walking and panics show only the faulting address.
using System;
using Kernel.Arch;

namespace Kernel.Diagnostics;

/// <summary>Stack walks over the loaded kernel image.</summary>
public static unsafe class StackWalker
{
    /// <summary>Most frames a trace records: deeper stacks are cut (a runaway recursion has thousands).</summary>
    public const int MaxTraceFrames = 64;

    private static ulong s_imageBase;
    private static int s_imageSize;
    private static FunctionTable s_table;
    private static StackMemory s_memory;

    /// <summary>Whether Initialize has run.</summary>
    public static bool IsReady => s_memory != null;

    /// <summary>Where the image is loaded.</summary>
    public static ulong ImageBase => s_imageBase;

    /// <summary>The loaded image, indexed by RVA (empty before Initialize).</summary>
    /// <remarks>Safety: Initialize was given the image's real base and size, and the image stays mapped.</remarks>
    public static ReadOnlySpan<byte> Image => IsReady ? new ReadOnlySpan<byte>((void*)s_imageBase, s_imageSize) : default;

    /// <summary>Uses the image at imageBase (imageSize bytes, mapped and readable) and its function table.</summary>
    /// <remarks>Safety: imageBase and imageSize must describe the running kernel's own loaded image.</remarks>
    public static void Initialize(ulong imageBase, uint imageSize, FunctionTable table)
    {
        s_imageBase = imageBase;
        s_imageSize = (int)imageSize;
        s_table = table;
        s_memory = new StackMemory();
    }

    /// <summary>
    /// Makes stack reads check each page first (with the kernel's page tables), so a walk over a broken stack ends
    /// instead of faulting. Without it the walker trusts the stack pointers it derives.
    /// </summary>
    public static void SetPageCheck(Func<ulong, bool> isMapped) => s_memory.PageCheck = isMapped;

    /// <summary>The function containing address, if it has a .pdata entry.</summary>
    public static bool TryLocate(ulong address, out CodeLocation location)
    {
        location = default;
        if (!IsReady || address < s_imageBase || address >= s_imageBase + (ulong)s_imageSize)
            return false;
        ReadOnlySpan<byte> image = Image;
        uint rva = (uint)(address - s_imageBase);
        int index = s_table.IndexOf(image, rva);
        if (index < 0)
            return false;
        RuntimeFunction function = s_table.At(image, index);
        if (!s_table.IsManaged(function.Begin))
        {
            if (UnwindRecord.TryRead(image, function.UnwindRva, out UnwindRecord native) != UnwindStatus.Ok)
                return false;
            location = new CodeLocation(address, function, native, false, function, native);
            return true;
        }
        if (UnwindRecord.TryReadManaged(image, function.UnwindRva, out UnwindRecord record) != UnwindStatus.Ok)
            return false;
        if (record.Kind == FunctionKind.Root)
        {
            location = new CodeLocation(address, function, record, true, function, record);
            return true;
        }
        int rootIndex = s_table.RootOf(image, index);
        if (rootIndex < 0)
            return false;
        RuntimeFunction root = s_table.At(image, rootIndex);
        UnwindRecord.TryReadManaged(image, root.UnwindRva, out UnwindRecord rootRecord);
        location = new CodeLocation(address, function, record, true, root, rootRecord);
        return true;
    }

    /// <summary>
    /// Steps context from its frame to the caller's. A first frame without a .pdata entry (a shim leaf routine, a
    /// fault in one) is unwound as a leaf; any other frame without one ends the walk.
    /// </summary>
    public static UnwindStatus Step(ref RegisterContext context, bool firstFrame)
    {
        if (!IsReady)
            return UnwindStatus.NoFunction;
        if (TryLocate(context.Rip, out CodeLocation location))
            return Unwinder.Step(Image, s_imageBase, location.Function, ref context, s_memory);
        return firstFrame ? Unwinder.StepLeaf(ref context, s_memory) : UnwindStatus.NoFunction;
    }

    /// <summary>Step, also recording in locations where each restored callee-saved register was read from.</summary>
    public static UnwindStatus Step(ref RegisterContext context, bool firstFrame, ref RegisterLocations locations)
    {
        if (!IsReady)
            return UnwindStatus.NoFunction;
        if (TryLocate(context.Rip, out CodeLocation location))
            return Unwinder.Step(Image, s_imageBase, location.Function, ref context, s_memory, ref locations);
        return firstFrame ? Unwinder.StepLeaf(ref context, s_memory) : UnwindStatus.NoFunction;
    }

    /// <summary>The registers of the code calling this, for a walk of the running stack.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static RegisterContext CaptureHere()
    {
        RegisterContext context = default;
        // Safe: the shim writes one RegisterContext into the local it is given.
        Native.CaptureContext(&context);
        return context;
    }

    /// <summary>
    /// The return addresses from context outward (context's own RIP first), up to max; the walk ends at a
    /// frame entered from native code (EfiMain, the interrupt entry), at code without unwind records, or when the
    /// stack pointer stops growing.
    /// </summary>
    public static int Collect(RegisterContext context, ulong[] into)
    {
        int count = 0;
        bool first = true;
        while (count < into.Length)
        {
            into[count++] = context.Rip;
            if (TryLocate(context.Rip, out CodeLocation location) && location.IsManaged && location.Record.IsReversePInvoke)
                break;
            ulong before = context.Rsp;
            if (Step(ref context, first) != UnwindStatus.Ok || context.Rsp <= before || context.Rip == 0)
                break;
            first = false;
        }
        return count;
    }

    private sealed class StackMemory : IUnwindMemory
    {
        private const ulong PageMask = ~0xFFFUL;
        private ulong _lastCheckedPage = ulong.MaxValue;

        public Func<ulong, bool> PageCheck;

        public bool TryRead(ulong address, out ulong value)
        {
            value = 0;
            if ((address & 7) != 0)
                return false;
            Func<ulong, bool> check = PageCheck;
            if (check != null && (address & PageMask) != _lastCheckedPage)
            {
                if (!check(address))
                    return false;
                _lastCheckedPage = address & PageMask;
            }
            // Safe: aligned, and mapped (checked above once page tables are the kernel's).
            value = *(ulong*)address;
            return true;
        }
    }
}
