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

/// <summary>Enumerates the live references of the running kernel stack from GC info.</summary>
/// <remarks>
/// API: <c>TryEnumeratePreciseStackRoots(in start, report)</c> reports each live slot of every managed frame from
/// start (RIP a return address in managed code, RSP and the callee-saved registers as they are there, e.g. from
/// StackWalker.CaptureHere) outward, and returns true when every frame was proven; false when some frame could not
/// be: no GC info or unreadable unwind data, a code offset that is neither a safe point nor in an interruptible
/// range, an rsp slot or a caller-SP/SP slot in a funclet frame, or a frame interrupted by an
/// interrupt (a reverse-P/Invoke frame called from the image's own code). After false some roots may already have
/// been reported; the collector then scans the whole stack conservatively. Frames of the shim (native code with
/// unwind records: the exception throw and funclet thunks) hold no references and only pass registers through;
/// the walk ends at a reverse-P/Invoke frame (EfiMain) or at a return address without unwind data (the bottom of the
/// kernel stack, cpu_run_on_stack). Every frame is suspended in a call, so, as upstream does for non-leaf frames,
/// volatile registers and SP-relative slots in the outgoing argument area are not reported (a call's result in rax
/// is live at its return address but not yet produced). Nothing here allocates, so a collection may run it.
/// </remarks>
public static unsafe class StackRoots
{
    // A corrupt stack loops or runs away; no real kernel stack is deeper than this.
    private const int MaxFrames = 4096;

    // Registers the Microsoft x64 ABI lets a call destroy: never live in a frame suspended at a call.
    private const int VolatileRegisters = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 8 | 1 << 9 | 1 << 10 | 1 << 11;

    /// <summary>Reports every live stack root from start outward; false when some frame could not be proven.</summary>
    /// <remarks>Safety: start must describe this CPU's running stack below the caller (its frames are still live).</remarks>
    public static bool TryEnumeratePreciseStackRoots(in RegisterContext start, RootCallback report)
    {
        var sink = new Sink { Simple = report };
        return Enumerate(start, ref sink);
    }

    /// <summary>TryEnumeratePreciseStackRoots with where each root was found.</summary>
    /// <remarks>Safety: as TryEnumeratePreciseStackRoots.</remarks>
    public static bool TryEnumeratePreciseStackRoots(in RegisterContext start, DetailedRootCallback report)
    {
        var sink = new Sink { Detailed = report };
        return Enumerate(start, ref sink);
    }

    private static bool Enumerate(in RegisterContext start, ref Sink sink)
    {
        if (!StackWalker.IsReady)
            return false;
        ReadOnlySpan<byte> image = StackWalker.Image;
        ulong imageBase = StackWalker.ImageBase;
        fixed (RegisterContext* startContext = &start)
        {
            RegisterContext context = start;
            RegisterLocations where = default;
            for (int register = 0; register < 16; register++)
                where.Set(register, (ulong)&startContext->R0 + (ulong)register * 8);
            uint parentOfFunclet = 0;
            for (int frame = 0; frame < MaxFrames; frame++)
            {
                if (!StackWalker.TryLocate(context.Rip, out CodeLocation location))
                    return frame > 0;
                RegisterContext caller = context;
                RegisterLocations callerWhere = where;
                if (StackWalker.Step(ref caller, false, ref callerWhere) != UnwindStatus.Ok)
                    return false;
                if (location.IsManaged)
                {
                    bool isFunclet = location.Function.Begin != location.Root.Begin;
                    if (!isFunclet && location.Root.Begin == parentOfFunclet)
                    {
                        parentOfFunclet = 0;
                    }
                    else if (!ReportFrame(image, imageBase, location, context, where, caller.Rsp, isFunclet, ref sink))
                    {
                        return false;
                    }
                    else if (isFunclet)
                    {
                        parentOfFunclet = location.Root.Begin;
                    }
                    if (location.RootRecord.IsReversePInvoke)
                        return !StackWalker.TryLocate(caller.Rip, out _);
                }
                if (caller.Rip == 0)
                    return true;
                if (caller.Rsp <= context.Rsp)
                    return false;
                context = caller;
                where = callerWhere;
            }
            return false;
        }
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
