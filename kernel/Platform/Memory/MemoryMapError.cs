// Why a UEFI memory map (UEFI 2.10 §7.2.3 GetMemoryMap) was rejected, with the offending entry.
namespace Kernel.Memory;

/// <summary>Kinds of fatal memory map problems.</summary>
public enum MemoryMapErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>DescriptorSize is below the 40 bytes of EFI_MEMORY_DESCRIPTOR version 1.</summary>
    DescriptorTooSmall,

    /// <summary>MemoryMapSize is negative or not a whole number of descriptors.</summary>
    SizeNotMultipleOfDescriptor,

    /// <summary>MemoryMapSize is larger than the buffer holding the map.</summary>
    BufferTooSmall,

    /// <summary>The map contains no non-empty region.</summary>
    Empty,

    /// <summary>The map has more entries than <see cref="MemoryMap.MaxEntries"/>.</summary>
    TooManyEntries,

    /// <summary>An entry's PhysicalStart is not 4 KiB aligned.</summary>
    UnalignedStart,

    /// <summary>An entry's range runs past the 52-bit physical address space (or would wrap around).</summary>
    RangeOverflow,

    /// <summary>Two entries describe overlapping ranges.</summary>
    Overlap,
}

/// <summary>A memory map error: its kind, the entries involved (in firmware order) and the offending value.</summary>
public readonly struct MemoryMapError
{
    /// <summary>Creates an error.</summary>
    public MemoryMapError(MemoryMapErrorKind kind, int entryIndex, int otherEntryIndex, ulong value)
    {
        Kind = kind;
        EntryIndex = entryIndex;
        OtherEntryIndex = otherEntryIndex;
        Value = value;
    }

    /// <summary>What went wrong; <see cref="MemoryMapErrorKind.None"/> on success.</summary>
    public MemoryMapErrorKind Kind { get; }

    /// <summary>Index of the offending descriptor in the firmware's order, or -1 when no entry is involved.</summary>
    public int EntryIndex { get; }

    /// <summary>For <see cref="MemoryMapErrorKind.Overlap"/>, the other entry's index; otherwise -1.</summary>
    public int OtherEntryIndex { get; }

    /// <summary>
    /// The offending number: the descriptor size, map size or entry count for size errors, the start address
    /// for <see cref="MemoryMapErrorKind.UnalignedStart"/> and <see cref="MemoryMapErrorKind.Overlap"/>, the page
    /// count for <see cref="MemoryMapErrorKind.RangeOverflow"/>.
    /// </summary>
    public ulong Value { get; }
}
