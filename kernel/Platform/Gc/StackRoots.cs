// Precise stack roots: from a register context captured at a collection point, walk the kernel stack with the
// unwinder and report, frame by frame, the slots the method's GC info (GcInfo) says are live at the frame's code
// offset. A register slot is reported where the register's value lives while that frame is suspended: the stack
// address a callee pushed it to (RegisterLocations) or, if nothing saved it since, the start context's field.
// Funclets follow NativeAOT's StackFrameIterator: a funclet frame reports with its parent method's GC info, and the
// parent's own frame further up then reports nothing (its slots were reported once, through the funclet).
using System;
using Kernel.Diagnostics;

namespace Kernel.Gc;

/// <summary>Receives one root: the address of a slot holding an object reference (interior: it may point inside one).</summary>
/// <remarks>Safety: slot is valid only during the call; it points into the stack or into the start context.</remarks>
public unsafe delegate void RootCallback(ulong* slot, bool interior);

/// <summary>Receives one root with where it was found, for tests and diagnostics.</summary>
/// <remarks>Safety: as RootCallback. frameSp is the reporting frame's stack pointer; isRegister says the slot is a register slot.</remarks>
public unsafe delegate void DetailedRootCallback(ulong* slot, bool interior, bool isRegister, ulong frameSp);

/// <summary>Receives a stack range [from, to) whose words must be scanned conservatively (a frame the walk could not prove).</summary>
/// <remarks>Safety: the range is live stack, valid only during the call.</remarks>
public unsafe delegate void StackRangeCallback(ulong* from, ulong* to);

/// <summary>What one walk of the stack did: frames reported from GC info and frames scanned conservatively.</summary>
public readonly struct StackRootsWalk
{
    /// <summary>A walk.</summary>
    public StackRootsWalk(int preciseFrames, int conservativeFrames, bool restScanned)
    {
        PreciseFrames = preciseFrames;
        ConservativeFrames = conservativeFrames;
        RestScanned = restScanned;
    }

    /// <summary>Managed frames whose live slots came from GC info.</summary>
    public int PreciseFrames { get; }

    /// <summary>Frames scanned conservatively (a stack range that could not be walked counts as one).</summary>
    public int ConservativeFrames { get; }

    /// <summary>The walk could not go on at some frame and scanned everything from there to the stack's top.</summary>
    public bool RestScanned { get; }
}

/// <summary>Enumerates the live references of the running kernel stack from GC info.</summary>
/// <remarks>
/// API: <c>TryEnumeratePreciseStackRoots(in start, stackTop, report)</c> reports each live slot of every managed frame
/// from start (RIP a return address in managed code, RSP and the callee-saved registers as they are there, e.g. from
/// StackWalker.CaptureHere) outward, and returns true when every frame was proven; false at the first frame that
/// could not be: no GC info or unreadable unwind data, a code offset that is neither a safe point nor in an
/// interruptible range (a frame that faulted: the hardware exception throw), an rsp slot or a caller-SP/SP slot in a
/// funclet frame, a frame entered from an interrupt (a reverse-P/Invoke frame called from the image's own code), or
/// a return address without unwind data short of the stack's top. <c>EnumerateStackRoots</c> is what the collector
/// uses: a frame that cannot be proven is scanned conservatively instead, that frame only (its stack range and the
/// callee-saved registers as it left them), and the walk goes on; only where it cannot unwind any further is the
/// rest of the stack scanned. A funclet frame that cannot be proven makes its parent's frame conservative too (the
/// funclet may have stored into the parent's slots). Frames of the shim (native code with unwind records: the
/// exception throw and funclet thunks) hold no references and only pass registers through; the walk ends at a
/// reverse-P/Invoke frame (EfiMain) or at the return address into cpu_run_on_stack just below the stack's top.
/// Every frame is suspended in a call, so, as upstream does for non-leaf frames, volatile registers and SP-relative
/// slots in the outgoing argument area are not reported (a call's result in rax is live at its return address but
/// not yet produced). Nothing here allocates, so a collection may run it.
/// </remarks>
public static unsafe class StackRoots
{
    // A corrupt stack loops or runs away; no real kernel stack is deeper than this.
    private const int MaxFrames = 4096;

    // Registers the Microsoft x64 ABI lets a call destroy: never live in a frame suspended at a call.
    private const int VolatileRegisters = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11;

    // What cpu_run_on_stack leaves between the first managed frame and the stack's top: shadow space, a return
    // address and the alignment. A walk that ends further from the top than this missed frames.
    private const ulong StackBottomSlack = 64;

    /// <summary>Reports every live stack root from start outward; false when some frame could not be proven.</summary>
    /// <remarks>Safety: start must describe this CPU's running stack below the caller (its frames are still live), stackTop its top.</remarks>
    public static bool TryEnumeratePreciseStackRoots(in RegisterContext start, ulong stackTop, RootCallback report)
    {
        var sink = new Sink { Simple = report };
        return Enumerate(start, stackTop, ref sink).ConservativeFrames == 0;
    }

    /// <summary>TryEnumeratePreciseStackRoots with where each root was found.</summary>
    /// <remarks>Safety: as TryEnumeratePreciseStackRoots.</remarks>
    public static bool TryEnumeratePreciseStackRoots(in RegisterContext start, ulong stackTop, DetailedRootCallback report)
    {
        var sink = new Sink { Detailed = report };
        return Enumerate(start, stackTop, ref sink).ConservativeFrames == 0;
    }

    /// <summary>
    /// Reports every live stack root from start outward; each frame the walk cannot prove goes to scanRange (and its
    /// callee-saved registers to report as interior roots) instead, and the walk continues past it where it can.
    /// </summary>
    /// <remarks>Safety: as TryEnumeratePreciseStackRoots.</remarks>
    public static StackRootsWalk EnumerateStackRoots(in RegisterContext start, ulong stackTop, RootCallback report, StackRangeCallback scanRange)
    {
        var sink = new Sink { Simple = report, Range = scanRange };
        return Enumerate(start, stackTop, ref sink);
    }

    private static StackRootsWalk Enumerate(in RegisterContext start, ulong stackTop, ref Sink sink)
    {
        fixed (RegisterContext* startContext = &start)
        {
            RegisterLocations where = default;
            for (int register = 0; register < 16; register++)
                where.Set(register, (ulong)&startContext->R0 + (ulong)register * 8);
            if (!StackWalker.IsReady)
                return ScanRest(start.Rsp, stackTop, where, 0, 0, ref sink);
            ReadOnlySpan<byte> image = StackWalker.Image;
            ulong imageBase = StackWalker.ImageBase;
            RegisterContext context = start;
            uint parentOfFunclet = 0;
            bool parentConservative = false;
            int precise = 0;
            int conservative = 0;
            for (int frame = 0; frame < MaxFrames; frame++)
            {
                if (!StackWalker.TryLocate(context.Rip, out CodeLocation location))
                {
                    if (frame > 0 && context.Rsp <= stackTop && stackTop - context.Rsp <= StackBottomSlack)
                        return new StackRootsWalk(precise, conservative, false);
                    return ScanRest(context.Rsp, stackTop, where, precise, conservative, ref sink);
                }
                RegisterContext caller = context;
                RegisterLocations callerWhere = where;
                if (StackWalker.Step(ref caller, false, ref callerWhere) != UnwindStatus.Ok)
                    return ScanRest(context.Rsp, stackTop, where, precise, conservative, ref sink);
                if (caller.Rip != 0 && caller.Rsp <= context.Rsp)
                    return ScanRest(context.Rsp, stackTop, where, precise, conservative, ref sink);
                if (location.IsManaged)
                {
                    bool isFunclet = location.Function.Begin != location.Root.Begin;
                    if (!isFunclet && location.Root.Begin == parentOfFunclet)
                    {
                        // Reported once already, through its funclet - unless the funclet could not be proven.
                        if (parentConservative)
                        {
                            if (!ScanFrame(context.Rsp, caller.Rsp, where, ref sink))
                                return new StackRootsWalk(precise, conservative + 1, false);
                            conservative++;
                        }
                        parentOfFunclet = 0;
                        parentConservative = false;
                    }
                    else if (ReportFrame(image, imageBase, location, context, where, caller.Rsp, isFunclet, ref sink))
                    {
                        precise++;
                        if (isFunclet)
                        {
                            parentOfFunclet = location.Root.Begin;
                            parentConservative = false;
                        }
                    }
                    else
                    {
                        if (!ScanFrame(context.Rsp, caller.Rsp, where, ref sink))
                            return new StackRootsWalk(precise, conservative + 1, false);
                        conservative++;
                        if (isFunclet)
                        {
                            parentOfFunclet = location.Root.Begin;
                            parentConservative = true;
                        }
                    }
                    if (location.RootRecord.IsReversePInvoke)
                    {
                        // Entered from outside the image (EfiMain from the firmware): the end. From inside it, an
                        // interrupt stub with no unwind record is above: scan what is left.
                        if (caller.Rip == 0 || !StackWalker.TryLocate(caller.Rip, out _))
                            return new StackRootsWalk(precise, conservative, false);
                        return ScanRest(caller.Rsp, stackTop, callerWhere, precise, conservative, ref sink);
                    }
                }
                if (caller.Rip == 0)
                    return new StackRootsWalk(precise, conservative, false);
                context = caller;
                where = callerWhere;
            }
            return ScanRest(context.Rsp, stackTop, where, precise, conservative, ref sink);
        }
    }

    // One frame the walk could not prove: its stack range and the callee-saved registers as it left them (where
    // this frame's references may be). False when there is no range callback (the Try* forms stop here).
    private static bool ScanFrame(ulong sp, ulong callerSp, in RegisterLocations where, ref Sink sink)
    {
        if (sink.Range == null)
            return false;
        for (int register = 0; register < 16; register++)
        {
            if ((VolatileRegisters & 1 << register) == 0 && register != RegisterContext.RspNumber && where.Get(register) != 0)
                sink.Report(where.Get(register), true, true, sp);
        }
        sink.Range((ulong*)(sp & ~7UL), (ulong*)callerSp);
        return true;
    }

    private static StackRootsWalk ScanRest(ulong sp, ulong stackTop, in RegisterLocations where, int precise, int conservative, ref Sink sink)
    {
        if (sp <= stackTop)
            ScanFrame(sp, stackTop, where, ref sink);
        return new StackRootsWalk(precise, conservative + 1, true);
    }

    private static bool ReportFrame(ReadOnlySpan<byte> image, ulong imageBase, CodeLocation location, in RegisterContext context,
        in RegisterLocations where, ulong callerSp, bool isFunclet, ref Sink sink)
    {
        uint gcInfoRva = location.RootRecord.GcInfoRva;
        if (gcInfoRva == 0 || gcInfoRva >= (uint)image.Length)
            return false;
        if (GcInfo.TryDecode(image.Slice((int)gcInfoRva), out GcInfo info) != GcInfoStatus.Ok)
            return false;
        var visitor = new FrameVisitor
        {
            Sink = sink,
            Where = where,
            Sp = context.Rsp,
            CallerSp = callerSp,
            FrameRegisterValue = info.StackBaseRegister == GcInfo.NoRegister ? 0 : context.Get(info.StackBaseRegister),
            HasFrameRegister = info.StackBaseRegister != GcInfo.NoRegister,
            IsFunclet = isFunclet,
            Proven = true,
            OutgoingArea = info.SizeOfStackParameterArea,
        };
        GcInfoStatus status = info.EnumerateLiveSlots(location.CodeOffset(imageBase), ref visitor);
        return status == GcInfoStatus.Ok && visitor.Proven;
    }

    private struct Sink
    {
        public RootCallback Simple;
        public DetailedRootCallback Detailed;
        public StackRangeCallback Range;

        public readonly void Report(ulong address, bool interior, bool isRegister, ulong frameSp)
        {
            if (Simple != null)
                Simple((ulong*)address, interior);
            else
                Detailed((ulong*)address, interior, isRegister, frameSp);
        }
    }

    private struct FrameVisitor : IGcSlotVisitor
    {
        public Sink Sink;
        public RegisterLocations Where;
        public ulong Sp;
        public ulong CallerSp;
        public ulong FrameRegisterValue;
        public bool HasFrameRegister;
        public bool IsFunclet;
        public bool Proven;
        public uint OutgoingArea;

        public void Visit(int index, in GcSlot slot)
        {
            ulong address;
            if (slot.IsRegister)
            {
                // Every frame of the walk is suspended in a call, where volatile registers are dead: one reported
                // live at the return address is the call's result (rax after an allocation), not yet produced.
                if ((VolatileRegisters & 1 << slot.Register) != 0)
                    return;
                if (slot.Register == RegisterContext.RspNumber)
                {
                    Proven = false;
                    return;
                }
                address = Where.Get(slot.Register);
            }
            else if (slot.StackBase == GcStackBase.FrameRegister && HasFrameRegister)
            {
                address = FrameRegisterValue + (ulong)(long)slot.Offset;
            }
            else if (IsFunclet || slot.StackBase == GcStackBase.FrameRegister)
            {
                // A funclet's SP and caller SP are not its parent's, whose slots these are.
                Proven = false;
                return;
            }
            else if (slot.StackBase == GcStackBase.Sp && slot.Offset >= 0 && (uint)slot.Offset < OutgoingArea)
            {
                // The outgoing argument area belongs to the call in progress (upstream: scratch slots, leaf frame only).
                return;
            }
            else
            {
                address = (slot.StackBase == GcStackBase.Sp ? Sp : CallerSp) + (ulong)(long)slot.Offset;
            }
            if (address == 0 || (address & 7) != 0)
            {
                Proven = false;
                return;
            }
            Sink.Report(address, slot.IsInterior, slot.IsRegister, Sp);
        }
    }
}
