// Walks and edits x86-64 4-level page tables (Intel SDM Vol. 3A §4.5): translate, map, unmap and change flags
// of 4 KiB, 2 MiB and 1 GiB pages, allocating intermediate tables from a frame source.
using System;

namespace Kernel.Memory;

/// <summary>Outcome of a mapping operation.</summary>
public enum MapResult
{
    Ok,
    AlreadyMapped,
    NotMapped,
    OutOfFrames,
    HugePageInTheWay,
    Misaligned,
    NonCanonical,
}

/// <summary>Page-table operations on one address space (one PML4).</summary>
public sealed class PageTableMapper
{
    private const int EntriesPerTable = 512;
    private const int IndexBits = 9;
    private const int Levels = 4;

    // Intermediate entries grant everything; the leaf decides. NX on an intermediate would forbid execution in
    // its whole subtree.
    private const PageFlags TableFlags = PageFlags.Present | PageFlags.Writable;

    private readonly IPhysicalMemory _memory;
    private readonly IFrameSource _frames;
    private readonly ITranslationCache _tlb;

    /// <summary>Edits the tables rooted at the PML4 in frame rootPhysical.</summary>
    public PageTableMapper(ulong rootPhysical, IPhysicalMemory memory, IFrameSource frames, ITranslationCache tlb)
    {
        Root = rootPhysical;
        _memory = memory;
        _frames = frames;
        _tlb = tlb;
    }

    /// <summary>Physical address of the PML4 (what CR3 holds).</summary>
    public ulong Root { get; }

    /// <summary>Frames this mapper allocated for page tables.</summary>
    public ulong TableFrames { get; private set; }

    /// <summary>Whether bits 63..47 of address all equal bit 47 (§3.3.7.1).</summary>
    public static bool IsCanonical(ulong address)
    {
        ulong upper = address >> 47;
        return upper == 0 || upper == 0x1FFFF;
    }

    /// <summary>Zeroes a fresh table frame.</summary>
    public static void ClearTable(IPhysicalMemory memory, ulong physicalAddress) => memory.Table(physicalAddress).Clear();

    /// <summary>The physical address and flags virtualAddress maps to, following huge pages.</summary>
    public bool Translate(ulong virtualAddress, out ulong physicalAddress, out PageFlags flags, out PageSize size)
    {
        physicalAddress = 0;
        flags = PageFlags.None;
        size = PageSize.Size4KiB;
        if (!IsCanonical(virtualAddress))
            return false;
        ulong table = Root;
        for (int level = Levels; level >= 1; level--)
        {
            PageTableEntry entry = new PageTableEntry(_memory.Table(table)[IndexAt(virtualAddress, level)]);
            if (!entry.IsPresent)
                return false;
            bool leaf = level == 1 || ((level == 2 || level == 3) && entry.IsHuge);
            if (leaf)
            {
                size = LevelPageSize(level);
                physicalAddress = LeafAddress(entry.Value, size) + (virtualAddress & ((ulong)size - 1));
                flags = LeafFlags(entry.Value, size);
                return true;
            }
            table = entry.Address;
        }
        return false;
    }

    /// <summary>Maps the 4 KiB page at virtualAddress to the frame at physicalAddress; never overwrites a mapping.</summary>
    public MapResult Map(ulong virtualAddress, ulong physicalAddress, PageFlags flags) =>
        Map(virtualAddress, physicalAddress, flags, PageSize.Size4KiB);

    /// <summary>Maps one page of the given size. Present is implied; Huge is added for 2 MiB and 1 GiB pages.</summary>
    public MapResult Map(ulong virtualAddress, ulong physicalAddress, PageFlags flags, PageSize size)
    {
        ulong alignment = (ulong)size - 1;
        if ((virtualAddress & alignment) != 0 || (physicalAddress & alignment) != 0 || (physicalAddress & ~PageTableEntry.AddressMask) != 0)
            return MapResult.Misaligned;
        if (!IsCanonical(virtualAddress))
            return MapResult.NonCanonical;
        int leafLevel = LeafLevel(size);
        MapResult walk = WalkToLeafTable(virtualAddress, leafLevel, out ulong table);
        if (walk != MapResult.Ok)
            return walk;
        Span<ulong> entries = _memory.Table(table);
        int index = IndexAt(virtualAddress, leafLevel);
        if (new PageTableEntry(entries[index]).IsPresent)
            return MapResult.AlreadyMapped;
        entries[index] = LeafEntry(physicalAddress, flags, size);
        return MapResult.Ok;
    }

    /// <summary>Removes the mapping of the page at virtualAddress (any size) and returns what it mapped.</summary>
    public MapResult Unmap(ulong virtualAddress, out ulong physicalAddress, out PageSize size)
    {
        physicalAddress = 0;
        size = PageSize.Size4KiB;
        MapResult found = FindLeaf(virtualAddress, out ulong table, out int level);
        if (found != MapResult.Ok)
            return found;
        Span<ulong> entries = _memory.Table(table);
        int index = IndexAt(virtualAddress, level);
        size = LevelPageSize(level);
        physicalAddress = LeafAddress(entries[index], size);
        entries[index] = 0;
        _tlb.Invalidate(virtualAddress);
        return MapResult.Ok;
    }

    /// <summary>Replaces the flags of the page at virtualAddress, keeping its frame (and its size).</summary>
    public MapResult UpdateFlags(ulong virtualAddress, PageFlags flags)
    {
        MapResult found = FindLeaf(virtualAddress, out ulong table, out int level);
        if (found != MapResult.Ok)
            return found;
        Span<ulong> entries = _memory.Table(table);
        int index = IndexAt(virtualAddress, level);
        PageSize size = LevelPageSize(level);
        entries[index] = LeafEntry(LeafAddress(entries[index], size), flags, size);
        _tlb.Invalidate(virtualAddress);
        return MapResult.Ok;
    }

    /// <summary>A short description of a result, for logs and panics.</summary>
    public static string Describe(MapResult result) => result switch
    {
        MapResult.Ok => "ok",
        MapResult.AlreadyMapped => "the page is already mapped",
        MapResult.NotMapped => "the page is not mapped",
        MapResult.OutOfFrames => "no frame for a page table",
        MapResult.HugePageInTheWay => "a huge page already covers the address",
        MapResult.Misaligned => "address not aligned to the page size",
        MapResult.NonCanonical => "non-canonical virtual address",
        _ => "unknown mapping error",
    };

    private MapResult FindLeaf(ulong virtualAddress, out ulong table, out int level)
    {
        table = Root;
        level = Levels;
        if (!IsCanonical(virtualAddress))
            return MapResult.NonCanonical;
        for (; level >= 1; level--)
        {
            PageTableEntry entry = new PageTableEntry(_memory.Table(table)[IndexAt(virtualAddress, level)]);
            if (!entry.IsPresent)
                return MapResult.NotMapped;
            if (level == 1 || ((level == 2 || level == 3) && entry.IsHuge))
                return MapResult.Ok;
            table = entry.Address;
        }
        return MapResult.NotMapped;
    }

    private MapResult WalkToLeafTable(ulong virtualAddress, int leafLevel, out ulong table)
    {
        table = Root;
        for (int level = Levels; level > leafLevel; level--)
        {
            Span<ulong> entries = _memory.Table(table);
            int index = IndexAt(virtualAddress, level);
            PageTableEntry entry = new PageTableEntry(entries[index]);
            if (entry.IsPresent && entry.IsHuge)
                return MapResult.HugePageInTheWay;
            if (!entry.IsPresent)
            {
                if (!_frames.TryAllocateFrame(out ulong frame))
                    return MapResult.OutOfFrames;
                ClearTable(_memory, frame);
                TableFrames++;
                entries = _memory.Table(table);
                entries[index] = new PageTableEntry(frame, TableFlags).Value;
                entry = new PageTableEntry(entries[index]);
            }
            table = entry.Address;
        }
        return MapResult.Ok;
    }

    // In a 2 MiB or 1 GiB entry, bit 12 is the PAT bit and the address starts at the page size; in a 4 KiB
    // entry bit 7 is PAT and there is no Huge flag. Flags outside the known set are dropped.
    private static ulong LeafEntry(ulong physicalAddress, PageFlags flags, PageSize size)
    {
        ulong value = physicalAddress | ((ulong)flags & PageTableEntry.FlagMask) | (ulong)PageFlags.Present;
        if (size != PageSize.Size4KiB)
            value |= (ulong)PageFlags.Huge | ((ulong)flags & (ulong)PageFlags.LargePat);
        return value;
    }

    private static ulong LeafAddress(ulong entry, PageSize size) => entry & PageTableEntry.AddressMask & ~((ulong)size - 1);

    private static PageFlags LeafFlags(ulong entry, PageSize size) =>
        (PageFlags)(entry & (PageTableEntry.FlagMask | (size != PageSize.Size4KiB ? (ulong)PageFlags.LargePat : 0)));

    private static int IndexAt(ulong virtualAddress, int level) =>
        (int)((virtualAddress >> (12 + IndexBits * (level - 1))) & (EntriesPerTable - 1));

    private static int LeafLevel(PageSize size) => size == PageSize.Size1GiB ? 3 : size == PageSize.Size2MiB ? 2 : 1;

    private static PageSize LevelPageSize(int level) => level == 3 ? PageSize.Size1GiB : level == 2 ? PageSize.Size2MiB : PageSize.Size4KiB;
}
