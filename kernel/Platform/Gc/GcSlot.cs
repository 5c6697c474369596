// One entry of a method's GC slot table (dotnet/runtime src/coreclr/inc/gcinfotypes.h: GcSlotFlags, GcStackSlotBase):
// a register or a stack location that may hold an object reference, with how to find it and what it holds.
using System;

namespace Kernel.Gc;

/// <summary>What a slot holds (GcSlotFlags, the two bits the slot table stores, plus untracked).</summary>
[Flags]
public enum GcSlotFlags
{
    None = 0,

    /// <summary>An interior pointer (a byref into an object, or to memory outside the heap).</summary>
    Interior = 0x1,

    /// <summary>The object must not move (irrelevant to a non-moving collector, reported anyway).</summary>
    Pinned = 0x2,

    /// <summary>Live everywhere in the method (from the untracked part of the table).</summary>
    Untracked = 0x4,
}

/// <summary>What a stack slot's offset counts from (GcStackSlotBase).</summary>
public enum GcStackBase
{
    /// <summary>The caller's stack pointer: the frame's RSP after it returns (above the return address).</summary>
    CallerSp = 0,

    /// <summary>The frame's own stack pointer.</summary>
    Sp = 1,

    /// <summary>The frame register named in the header (rbp).</summary>
    FrameRegister = 2,
}

/// <summary>A register or stack slot of the slot table.</summary>
public readonly struct GcSlot
{
    /// <summary>Describes a slot.</summary>
    public GcSlot(bool isRegister, int register, GcStackBase stackBase, int offset, GcSlotFlags flags)
    {
        IsRegister = isRegister;
        Register = register;
        StackBase = stackBase;
        Offset = offset;
        Flags = flags;
    }

    /// <summary>Whether the slot is a register (else a stack location).</summary>
    public bool IsRegister { get; }

    /// <summary>The register's number in the x64 encoding (rax = 0 ... r15 = 15), for register slots.</summary>
    public int Register { get; }

    /// <summary>What Offset counts from, for stack slots.</summary>
    public GcStackBase StackBase { get; }

    /// <summary>Byte offset from StackBase, for stack slots.</summary>
    public int Offset { get; }

    /// <summary>Interior, pinned, untracked.</summary>
    public GcSlotFlags Flags { get; }

    /// <summary>Whether the slot holds an interior pointer.</summary>
    public bool IsInterior => (Flags & GcSlotFlags.Interior) != 0;
}
