// One CPU's own memory, reached through its GS base: who it is, its state, and the descriptor tables no other CPU may
// share (a GDT, because loading the task register marks the TSS descriptor busy, and the TSS with its interrupt stack
// table). ILC's Windows-style thread statics read gs:[0x58]; the kernel forbids [ThreadStatic] (there are no threads)
// and keeps that word zero, so a stray thread-static access faults near null instead of reading garbage.
using System.Runtime.InteropServices;
using Kernel.Arch;

namespace Kernel.Cpus;

/// <summary>Where a CPU is in its life.</summary>
public enum CpuState
{
    /// <summary>Listed, not asked to start (or its start was not attempted).</summary>
    Offline = 0,

    /// <summary>INIT and STARTUP were sent; it has not reached the kernel yet.</summary>
    Starting = 1,

    /// <summary>Running kernel code on its own tables and stacks.</summary>
    Online = 2,

    /// <summary>Did not reach the kernel within the timeout; skipped.</summary>
    NoAnswer = 3,
}

/// <summary>The per-CPU block (one page): identity, state, GDT and TSS.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4096)]
public unsafe struct CpuBlock
{
    /// <summary>Offset of the word ILC's thread-static access reads through GS; always zero.</summary>
    public const int ThreadStaticSlotOffset = 0x58;

    /// <summary>The block's own virtual address (gs:[0]).</summary>
    [FieldOffset(0x00)] public ulong Self;

    /// <summary>The kernel's index of this CPU (0: the boot CPU).</summary>
    [FieldOffset(0x08)] public int Index;

    /// <summary>The APIC ID the MADT lists for it.</summary>
    [FieldOffset(0x0C)] public uint ApicId;

    /// <summary>A CpuState; written by the CPU itself once it runs, read by others.</summary>
    [FieldOffset(0x10)] public volatile int State;

    /// <summary>The initial APIC ID the CPU reported from CPUID once it ran.</summary>
    [FieldOffset(0x14)] public uint ReportedApicId;

    /// <summary>TSC when the boot CPU sent INIT, and when the CPU reached the kernel.</summary>
    [FieldOffset(0x18)] public ulong StartSentTsc;

    /// <summary>TSC when the CPU reached the kernel (0 before).</summary>
    [FieldOffset(0x20)] public ulong OnlineTsc;

    /// <summary>Top of its kernel stack.</summary>
    [FieldOffset(0x28)] public ulong StackTop;

    /// <summary>Tops of its double-fault, NMI and machine-check stacks.</summary>
    [FieldOffset(0x30)] public ulong DoubleFaultStackTop;

    /// <summary>Top of its NMI stack.</summary>
    [FieldOffset(0x38)] public ulong NmiStackTop;

    /// <summary>Top of its machine-check stack.</summary>
    [FieldOffset(0x40)] public ulong MachineCheckStackTop;

    /// <summary>While stopped for the world (Processors.StopOthers): the interrupted frame its NMI handler saved, else 0.</summary>
    [FieldOffset(0x48)] public ulong StoppedFrame;

    [FieldOffset(ThreadStaticSlotOffset)] private ulong _threadStaticSlot;

    /// <summary>The CPU's GDT (Gdt.EntryCount descriptors).</summary>
    [FieldOffset(0x100)] public fixed ulong Gdt[8];

    /// <summary>The CPU's TSS (Tss.StateBytes).</summary>
    [FieldOffset(0x180)] public fixed byte Tss[128];
}
