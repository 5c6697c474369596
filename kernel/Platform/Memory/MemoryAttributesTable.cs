// The EFI Memory Attributes Table (UEFI 2.10 §4.6.4, EFI_MEMORY_ATTRIBUTES_TABLE): for each range of runtime code
// and data, whether the OS may map it read-only (EFI_MEMORY_RO) or non-executable (EFI_MEMORY_XP). The firmware
// publishes it in the configuration table; it is validated here against the memory map's runtime regions.
using System;

namespace Kernel.Memory;

/// <summary>Why a memory attributes table was refused.</summary>
public enum MemoryAttributesStatus
{
    Ok,
    TooShort,
    UnsupportedVersion,
    DescriptorTooSmall,
    TooManyEntries,
    Truncated,
    EmptyEntry,
    Misaligned,
    NotRuntimeType,
    OutsideRuntimeRegions,
    Overlapping,
}

/// <summary>A validated memory attributes table: its entries sorted by address, each inside the map's runtime regions.</summary>
public sealed class MemoryAttributesTable
{
    /// <summary>Version, NumberOfEntries, DescriptorSize, Flags: four UINT32s before the descriptors.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Most entries accepted (one per section of each runtime driver; OVMF has a few dozen).</summary>
    public const int MaxEntries = 1024;

    /// <summary>EFI_MEMORY_XP (§7.2.3): the range may be mapped non-executable.</summary>
    public const ulong ExecuteProtect = 0x4000;

    /// <summary>EFI_MEMORY_RO (§7.2.3): the range may be mapped read-only.</summary>
    public const ulong ReadOnly = 0x20000;

    /// <summary>EFI_MEMORY_ATTRIBUTES_FLAGS_RT_FORWARD_CONTROL_FLOW_GUARD (version 2): runtime code has CET-IBT landing pads.</summary>
    public const uint ForwardControlFlowGuardFlag = 1;

    private readonly MemoryRegion[] _entries;

    private MemoryAttributesTable(uint version, uint flags, MemoryRegion[] entries)
    {
        Version = version;
        Flags = flags;
        _entries = entries;
    }

    /// <summary>The table's version, 1 or 2.</summary>
    public uint Version { get; }

    /// <summary>The header's Flags (zero in version 1, where the field was reserved).</summary>
    public uint Flags { get; }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Length;

    /// <summary>Entry index in ascending address order.</summary>
    public MemoryRegion this[int index] => _entries[index];

    /// <summary>
    /// Parses and validates the table in bytes against map. On failure table is null and badEntry names the entry at
    /// fault (or -1 for the header).
    /// </summary>
    public static MemoryAttributesStatus TryParse(ReadOnlySpan<byte> bytes, MemoryMap map, out MemoryAttributesTable table, out int badEntry)
    {
        table = null;
        badEntry = -1;
        if (bytes.Length < HeaderBytes)
            return MemoryAttributesStatus.TooShort;
        uint version = ReadUInt32(bytes, 0);
        uint count = ReadUInt32(bytes, 4);
        uint descriptorSize = ReadUInt32(bytes, 8);
        uint flags = ReadUInt32(bytes, 12);
        if (version != 1 && version != 2)
            return MemoryAttributesStatus.UnsupportedVersion;
        if (descriptorSize < MemoryMap.MinDescriptorSize)
            return MemoryAttributesStatus.DescriptorTooSmall;
        // Checked before multiplying, so count * descriptorSize cannot wrap.
        if (count > MaxEntries)
            return MemoryAttributesStatus.TooManyEntries;
        if ((ulong)count * descriptorSize > (ulong)(bytes.Length - HeaderBytes))
            return MemoryAttributesStatus.Truncated;

        var entries = new MemoryRegion[count];
        for (int i = 0; i < (int)count; i++)
        {
            badEntry = i;
            ReadOnlySpan<byte> descriptor = bytes.Slice(HeaderBytes + i * (int)descriptorSize, MemoryMap.MinDescriptorSize);
            var entry = new MemoryRegion(ReadUInt32(descriptor, 0), ReadUInt64(descriptor, 8), ReadUInt64(descriptor, 24), ReadUInt64(descriptor, 32));
            MemoryAttributesStatus status = Check(entry, map);
            if (status != MemoryAttributesStatus.Ok)
                return status;
            entries[i] = entry;
        }

        SortByAddress(entries);
        for (int i = 1; i < entries.Length; i++)
        {
            if (entries[i].PhysicalStart < entries[i - 1].EndExclusive)
            {
                badEntry = i;
                return MemoryAttributesStatus.Overlapping;
            }
        }
        badEntry = -1;
        table = new MemoryAttributesTable(version, version >= 2 ? flags : 0, entries);
        return MemoryAttributesStatus.Ok;
    }

    /// <summary>A short description of a status, for the boot log.</summary>
    public static string Describe(MemoryAttributesStatus status) => status switch
    {
        MemoryAttributesStatus.Ok => "ok",
        MemoryAttributesStatus.TooShort => "shorter than its header",
        MemoryAttributesStatus.UnsupportedVersion => "unknown version (1 and 2 are understood)",
        MemoryAttributesStatus.DescriptorTooSmall => "descriptor size below 40 bytes",
        MemoryAttributesStatus.TooManyEntries => "more than 1024 entries",
        MemoryAttributesStatus.Truncated => "entries run past the table's end",
        MemoryAttributesStatus.EmptyEntry => "an entry of zero pages",
        MemoryAttributesStatus.Misaligned => "an entry not aligned to 4 KiB",
        MemoryAttributesStatus.NotRuntimeType => "an entry that is neither runtime code nor runtime data",
        MemoryAttributesStatus.OutsideRuntimeRegions => "an entry outside the memory map's runtime regions",
        MemoryAttributesStatus.Overlapping => "overlapping entries",
        _ => "unknown problem",
    };

    private static MemoryAttributesStatus Check(in MemoryRegion entry, MemoryMap map)
    {
        if (entry.PageCount == 0)
            return MemoryAttributesStatus.EmptyEntry;
        if ((entry.PhysicalStart & (MemoryRegion.PageSize - 1)) != 0)
            return MemoryAttributesStatus.Misaligned;
        if (entry.Type != MemoryType.RuntimeServicesCode && entry.Type != MemoryType.RuntimeServicesData)
            return MemoryAttributesStatus.NotRuntimeType;
        if (entry.PhysicalStart >= MemoryMap.PhysicalAddressLimit
            || entry.PageCount > (MemoryMap.PhysicalAddressLimit - entry.PhysicalStart) / MemoryRegion.PageSize)
            return MemoryAttributesStatus.OutsideRuntimeRegions;
        return IsInsideRuntimeRegions(entry.PhysicalStart, entry.EndExclusive, map) ? MemoryAttributesStatus.Ok : MemoryAttributesStatus.OutsideRuntimeRegions;
    }

    // An entry may span adjacent runtime regions (the firmware splits and merges them as it likes), never a gap or
    // another type: the map is sorted, so one pass that follows the entry from start to end suffices.
    private static bool IsInsideRuntimeRegions(ulong start, ulong end, MemoryMap map)
    {
        ulong cursor = start;
        for (int i = 0; i < map.Count && cursor < end; i++)
        {
            MemoryRegion region = map[i];
            if (region.EndExclusive <= cursor)
                continue;
            if (region.PhysicalStart > cursor || !IsRuntime(region.Type))
                return false;
            cursor = region.EndExclusive;
        }
        return cursor >= end;
    }

    /// <summary>Whether regions of type t belong to the runtime services.</summary>
    public static bool IsRuntime(MemoryType t) => t == MemoryType.RuntimeServicesCode || t == MemoryType.RuntimeServicesData;

    private static void SortByAddress(MemoryRegion[] entries)
    {
        for (int i = 1; i < entries.Length; i++)
        {
            MemoryRegion entry = entries[i];
            int j = i - 1;
            for (; j >= 0 && entries[j].PhysicalStart > entry.PhysicalStart; j--)
                entries[j + 1] = entries[j];
            entries[j + 1] = entry;
        }
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, int offset) =>
        (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);

    private static ulong ReadUInt64(ReadOnlySpan<byte> bytes, int offset) => ReadUInt32(bytes, offset) | (ulong)ReadUInt32(bytes, offset + 4) << 32;
}
