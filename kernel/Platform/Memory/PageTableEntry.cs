// x86-64 4-level paging entries (Intel SDM Vol. 3A §4.5, Tables 4-14 to 4-20).
using System;

namespace Kernel.Memory;

/// <summary>Bits of a page-table entry at any level.</summary>
[Flags]
public enum PageFlags : ulong
{
    None = 0,
    Present = 1UL << 0,
    Writable = 1UL << 1,
    User = 1UL << 2,
    WriteThrough = 1UL << 3,
    CacheDisable = 1UL << 4,
    Accessed = 1UL << 5,
    Dirty = 1UL << 6,

    /// <summary>In a PDPT or PD entry: maps a 1 GiB or 2 MiB page. In a PT entry the same bit is PAT.</summary>
    Huge = 1UL << 7,
    Global = 1UL << 8,

    /// <summary>PAT index bit 2 in a 2 MiB or 1 GiB page entry.</summary>
    LargePat = 1UL << 12,
    NoExecute = 1UL << 63,
}

/// <summary>Page sizes the mapper handles.</summary>
public enum PageSize : ulong
{
    Size4KiB = 1UL << 12,
    Size2MiB = 1UL << 21,
    Size1GiB = 1UL << 30,
}

/// <summary>One 64-bit paging entry: a physical address plus flags.</summary>
public readonly struct PageTableEntry
{
    /// <summary>Bits 12..51 hold the physical address (MAXPHYADDR up to 52).</summary>
    public const ulong AddressMask = 0x000F_FFFF_FFFF_F000;

    /// <summary>The flag bits this kernel uses.</summary>
    public const ulong FlagMask = 0x8000_0000_0000_01FF;

    /// <summary>The raw entry.</summary>
    public readonly ulong Value;

    /// <summary>Wraps a raw entry.</summary>
    public PageTableEntry(ulong value) => Value = value;

    /// <summary>Builds an entry.</summary>
    public PageTableEntry(ulong physicalAddress, PageFlags flags) => Value = (physicalAddress & AddressMask) | (ulong)flags;

    /// <summary>The physical address (of the next table or of the page).</summary>
    public ulong Address => Value & AddressMask;

    /// <summary>The flag bits.</summary>
    public PageFlags Flags => (PageFlags)(Value & ~AddressMask);

    /// <summary>Whether the entry is present.</summary>
    public bool IsPresent => (Value & (ulong)PageFlags.Present) != 0;

    /// <summary>Whether the entry maps a huge page (meaningful in PDPT and PD entries).</summary>
    public bool IsHuge => (Value & (ulong)PageFlags.Huge) != 0;

}
