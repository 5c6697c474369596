// The x64 unwind-code interpreter (Microsoft PE/COFF "x64 exception handling": UNWIND_CODE operations): steps a
// register context from a frame to its caller by undoing, in reverse, what the function's prolog did. Pure: the
// image comes in as a span indexed by RVA and the stack through IUnwindMemory, so the host tests run it unchanged.
// Epilogs are not recognised: the frames unwound here are stopped at a call, a throw or a fault in a method body.
using System;

namespace Kernel.Diagnostics;

/// <summary>UNWIND_CODE operations.</summary>
public enum UnwindOp
{
    PushNonvolatile = 0,
    AllocateLarge = 1,
    AllocateSmall = 2,
    SetFrameRegister = 3,
    SaveNonvolatile = 4,
    SaveNonvolatileFar = 5,
    Epilog = 6,
    Spare = 7,
    SaveXmm128 = 8,
    SaveXmm128Far = 9,
    PushMachineFrame = 10,
}

/// <summary>Steps a frame's registers to its caller's.</summary>
public static class Unwinder
{
    // Chained records point to their parent; more than this many links is a loop in a corrupt image.
    private const int MaxChainLength = 32;

    // A machine frame (Intel SDM Vol. 3A §6.14.2): RIP, CS, RFLAGS, RSP, SS, optionally after an error code.
    private const ulong MachineFrameRspOffset = 24;

    /// <summary>
    /// Unwinds one frame of the function whose code is at function (image-relative) and whose body the context's
    /// RIP is in: afterwards the context holds the caller's RIP, RSP and callee-saved registers.
    /// </summary>
    public static UnwindStatus Step(ReadOnlySpan<byte> image, ulong imageBase, RuntimeFunction function, ref RegisterContext context, IUnwindMemory memory)
    {
        RegisterLocations unused = default;
        return Step(image, imageBase, function, ref context, memory, ref unused);
    }

    /// <summary>
    /// Step, also noting in locations where each callee-saved register restored from the stack was read: where
    /// the caller's value of that register lives while this frame runs (what a precise GC stack walk reports).
    /// </summary>
    public static UnwindStatus Step(ReadOnlySpan<byte> image, ulong imageBase, RuntimeFunction function, ref RegisterContext context,
        IUnwindMemory memory, ref RegisterLocations locations)
    {
        ulong offset = context.Rip - (imageBase + function.Begin);
        uint recordRva = function.UnwindRva;
        bool parentRecord = false;
        bool machineFrame = false;
        for (int link = 0; ; link++)
        {
            if (link > MaxChainLength)
                return UnwindStatus.ChainTooLong;
            UnwindStatus status = UnwindRecord.TryRead(image, recordRva, out UnwindRecord record);
            if (status != UnwindStatus.Ok)
                return status;
            // A parent record's prolog ran completely before the chained part of the function was entered.
            ulong executed = parentRecord ? ulong.MaxValue : offset;
            status = UndoCodes(image, record, executed, ref context, memory, ref machineFrame, ref locations);
            if (status != UnwindStatus.Ok)
                return status;
            if (!record.IsChained)
                break;
            if (!UnwindRecord.TryReadUInt32(image, record.AfterAlignedCodesRva + 8, out recordRva))
                return UnwindStatus.OutsideImage;
            parentRecord = true;
        }
        if (machineFrame)
            return UnwindStatus.Ok;
        if (!memory.TryRead(context.Rsp, out ulong returnAddress))
            return UnwindStatus.MemoryUnreadable;
        context.Rip = returnAddress;
        context.Rsp += 8;
        return UnwindStatus.Ok;
    }

    /// <summary>
    /// Unwinds a frame of code without an unwind record: a leaf function, which moved nothing but the return
    /// address (the PE/COFF rule for functions without a .pdata entry).
    /// </summary>
    public static UnwindStatus StepLeaf(ref RegisterContext context, IUnwindMemory memory)
    {
        if (!memory.TryRead(context.Rsp, out ulong returnAddress))
            return UnwindStatus.MemoryUnreadable;
        context.Rip = returnAddress;
        context.Rsp += 8;
        return UnwindStatus.Ok;
    }

    /// <summary>How many 16-bit slots an operation takes, or 0 for an unknown one.</summary>
    public static int SlotCount(UnwindOp op, int info) => op switch
    {
        UnwindOp.PushNonvolatile => 1,
        UnwindOp.AllocateLarge => info == 0 ? 2 : 3,
        UnwindOp.AllocateSmall => 1,
        UnwindOp.SetFrameRegister => 1,
        UnwindOp.SaveNonvolatile => 2,
        UnwindOp.SaveNonvolatileFar => 3,
        UnwindOp.Epilog => 2,
        UnwindOp.Spare => 3,
        UnwindOp.SaveXmm128 => 2,
        UnwindOp.SaveXmm128Far => 3,
        UnwindOp.PushMachineFrame => 1,
        _ => 0,
    };

    // The codes are listed from the end of the prolog backwards, so undoing them in list order walks the prolog in
    // reverse; a code whose instruction has not run yet (offset beyond executed) is skipped.
    private static UnwindStatus UndoCodes(ReadOnlySpan<byte> image, UnwindRecord record, ulong executed, ref RegisterContext context,
        IUnwindMemory memory, ref bool machineFrame, ref RegisterLocations locations)
    {
        ulong frameBase = EstablisherFrame(image, record, executed, ref context);
        int slot = 0;
        while (slot < record.CodeCount)
        {
            int at = (int)(record.CodesRva + (uint)slot * 2);
            int codeOffset = image[at];
            var op = (UnwindOp)(image[at + 1] & 0xF);
            int info = image[at + 1] >> 4;
            int slots = SlotCount(op, info);
            if (slots == 0 || slot + slots > record.CodeCount)
                return UnwindStatus.BadCode;
            if ((ulong)codeOffset <= executed)
            {
                UnwindStatus status = Undo(image, op, info, at, record, frameBase, ref context, memory, ref machineFrame, ref locations);
                if (status != UnwindStatus.Ok)
                    return status;
            }
            slot += slots;
        }
        return UnwindStatus.Ok;
    }

    private static UnwindStatus Undo(ReadOnlySpan<byte> image, UnwindOp op, int info, int at, UnwindRecord record, ulong frameBase,
        ref RegisterContext context, IUnwindMemory memory, ref bool machineFrame, ref RegisterLocations locations)
    {
        ulong value;
        switch (op)
        {
            case UnwindOp.PushNonvolatile:
                if (!memory.TryRead(context.Rsp, out value))
                    return UnwindStatus.MemoryUnreadable;
                context.Set(info, value);
                locations.Set(info, context.Rsp);
                context.Rsp += 8;
                return UnwindStatus.Ok;
            case UnwindOp.AllocateLarge:
                context.Rsp += info == 0 ? Slot16(image, at + 2) * 8UL : Slot32(image, at + 2);
                return UnwindStatus.Ok;
            case UnwindOp.AllocateSmall:
                context.Rsp += (ulong)info * 8 + 8;
                return UnwindStatus.Ok;
            case UnwindOp.SetFrameRegister:
                context.Rsp = context.Get(record.FrameRegister) - (ulong)record.FrameOffset * 16;
                return UnwindStatus.Ok;
            case UnwindOp.SaveNonvolatile:
            case UnwindOp.SaveNonvolatileFar:
                ulong address = frameBase + (op == UnwindOp.SaveNonvolatile ? Slot16(image, at + 2) * 8UL : Slot32(image, at + 2));
                if (!memory.TryRead(address, out value))
                    return UnwindStatus.MemoryUnreadable;
                context.Set(info, value);
                locations.Set(info, address);
                return UnwindStatus.Ok;
            case UnwindOp.SaveXmm128:
            case UnwindOp.SaveXmm128Far:
                ulong xmmAddress = frameBase + (op == UnwindOp.SaveXmm128 ? Slot16(image, at + 2) * 16UL : Slot32(image, at + 2));
                if (!memory.TryRead(xmmAddress, out ulong low) || !memory.TryRead(xmmAddress + 8, out ulong high))
                    return UnwindStatus.MemoryUnreadable;
                if (info >= RegisterContext.FirstSavedXmm)
                    context.SetXmm(info, low, high);
                return UnwindStatus.Ok;
            case UnwindOp.PushMachineFrame:
                ulong frame = context.Rsp + (info == 1 ? 8UL : 0UL);
                if (!memory.TryRead(frame, out ulong rip) || !memory.TryRead(frame + MachineFrameRspOffset, out ulong rsp))
                    return UnwindStatus.MemoryUnreadable;
                context.Rip = rip;
                context.Rsp = rsp;
                machineFrame = true;
                return UnwindStatus.Ok;
            default:
                // Epilog descriptions (version 2) and the retired XMM saves describe nothing to undo in a body.
                return UnwindStatus.Ok;
        }
    }

    // Where SAVE_* offsets count from: the frame register minus its offset once the prolog has set it, else RSP.
    private static ulong EstablisherFrame(ReadOnlySpan<byte> image, UnwindRecord record, ulong executed, ref RegisterContext context)
    {
        if (record.FrameRegister == 0)
            return context.Rsp;
        bool frameSet = executed >= (ulong)record.PrologBytes;
        for (int slot = 0; !frameSet && slot < record.CodeCount;)
        {
            int at = (int)(record.CodesRva + (uint)slot * 2);
            var op = (UnwindOp)(image[at + 1] & 0xF);
            if (op == UnwindOp.SetFrameRegister && (ulong)image[at] <= executed)
                frameSet = true;
            int slots = SlotCount(op, image[at + 1] >> 4);
            slot += slots == 0 ? 1 : slots;
        }
        return frameSet ? context.Get(record.FrameRegister) - (ulong)record.FrameOffset * 16 : context.Rsp;
    }

    private static ulong Slot16(ReadOnlySpan<byte> image, int at) => (ulong)(image[at] | image[at + 1] << 8);

    private static ulong Slot32(ReadOnlySpan<byte> image, int at) =>
        image[at] | (ulong)image[at + 1] << 8 | (ulong)image[at + 2] << 16 | (ulong)image[at + 3] << 24;
}
