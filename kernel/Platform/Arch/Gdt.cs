// The kernel's Global Descriptor Table (Intel SDM Vol. 3A §3.4.5, §5.2, §8.2.3): null, 64-bit kernel code,
// kernel data, and the 16-byte descriptor of the TSS. Replacing the firmware's GDT lets the kernel reuse the
// boot-services memory that held it.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

/// <summary>Segment descriptors for long mode.</summary>
public static class Gdt
{
    /// <summary>Selector of the kernel code segment.</summary>
    public const ushort KernelCodeSelector = 0x08;

    /// <summary>Selector of the kernel data segment.</summary>
    public const ushort KernelDataSelector = 0x10;

    /// <summary>Selector of the task-state segment (a two-entry system descriptor).</summary>
    public const ushort TaskStateSelector = 0x18;

    // System descriptor type 0x9: available 64-bit TSS.
    private const ulong AvailableTss = 0x9UL << 40;

    // Access byte: present, DPL 0, code/data, executable+readable or writable; flags: L (64-bit) for code,
    // G for both (limits are ignored in long mode but this is what a flat descriptor looks like).
    private const ulong Present = 1UL << 47;
    private const ulong CodeOrData = 1UL << 44;
    private const ulong Executable = 1UL << 43;
    private const ulong ReadableWritable = 1UL << 41;
    private const ulong LongMode = 1UL << 53;
    private const ulong Granularity4K = 1UL << 55;
    private const ulong FlatLimit = 0x000F_0000_0000_FFFF;

    /// <summary>Descriptors in a table (null, code, data, and the TSS's two).</summary>
    public const int EntryCount = 5;

    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private struct DescriptorTablePointer
    {
        public ushort Limit;
        public ulong Base;
    }

    private unsafe struct Table
    {
        public fixed ulong Entries[EntryCount];
    }

    private static Table s_table;

    /// <summary>Virtual address of the kernel's descriptor table (what GDTR holds after Install).</summary>
    public static unsafe ulong TableAddress
    {
        get
        {
            fixed (ulong* entries = s_table.Entries)
                return (ulong)entries;
        }
    }

    /// <summary>Points the boot CPU's TSS descriptor at tss and loads the task register.</summary>
    /// <remarks>Safety: tss must stay mapped and unchanged in place for good; call once, after Install.</remarks>
    public static unsafe void LoadTaskState(ulong tssAddress, uint tssSizeInBytes)
    {
        fixed (ulong* entries = s_table.Entries)
            LoadTaskStateAt(entries, tssAddress, tssSizeInBytes);
    }

    /// <summary>Points the TSS descriptor of the table at entries (this CPU's, loaded) at tss and loads the task register.</summary>
    /// <remarks>Safety: entries is the GDT this CPU runs on (InstallAt); tss stays mapped and in place for good. Each
    /// CPU needs its own table: loading the task register marks the descriptor busy.</remarks>
    public static unsafe void LoadTaskStateAt(ulong* entries, ulong tssAddress, uint tssSizeInBytes)
    {
        ulong limit = tssSizeInBytes - 1;
        entries[TaskStateSelector / 8] = (limit & 0xFFFF) | ((tssAddress & 0xFF_FFFF) << 16) | AvailableTss | Present
            | (((limit >> 16) & 0xF) << 48) | (((tssAddress >> 24) & 0xFF) << 56);
        entries[TaskStateSelector / 8 + 1] = tssAddress >> 32;
        Native.LoadTaskRegister(TaskStateSelector);
    }

    /// <summary>Loads the boot CPU's GDT and reloads every segment register from it.</summary>
    /// <remarks>Safety: interrupts must be off, or the IDT must already use KernelCodeSelector.</remarks>
    public static unsafe void Install()
    {
        fixed (ulong* entries = s_table.Entries)
            InstallAt(entries);
    }

    /// <summary>Fills the table at entries (EntryCount descriptors) with the kernel's segments, loads it and reloads the segment registers.</summary>
    /// <remarks>Safety: entries stays mapped and in place for as long as this CPU runs; interrupts off, or the IDT uses KernelCodeSelector.</remarks>
    public static unsafe void InstallAt(ulong* entries)
    {
        entries[0] = 0;
        entries[KernelCodeSelector / 8] = Present | CodeOrData | Executable | ReadableWritable | LongMode | Granularity4K | FlatLimit;
        entries[KernelDataSelector / 8] = Present | CodeOrData | ReadableWritable | Granularity4K | FlatLimit;
        entries[TaskStateSelector / 8] = 0;
        entries[TaskStateSelector / 8 + 1] = 0;
        DescriptorTablePointer pointer;
        pointer.Limit = EntryCount * sizeof(ulong) - 1;
        pointer.Base = (ulong)entries;
        Native.LoadGdt(&pointer, KernelCodeSelector, KernelDataSelector);
    }
}
