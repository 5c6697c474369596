// The address space UEFI runtime services run in (as Linux's efi_mm): the kernel's mappings plus the runtime
// regions mapped identity, loaded into CR3 only for the length of a runtime-services call. The kernel's own tables
// then hold no firmware mapping at all, and the firmware's writable and executable pages (when its memory
// attributes table cannot rule them out) exist only while the firmware runs.
//
// Top-level (PML4) slots that hold runtime regions are private: a deep copy of the kernel's subtree there (the
// kernel image, its loader data, the framebuffer: what a handler needs), with the runtime pages added. Every other
// slot points at the kernel's own lower tables and is copied again before each call (ShareKernelEntries), so the
// heap, the direct map, MMIO and the kernel and interrupt stacks are seen as they are at that moment, even when
// the kernel created their top-level entry after this space was built. A private slot is a snapshot: the kernel
// maps nothing new in the low identity slot after boot.
using System;
using System.Collections.Generic;

namespace Kernel.Memory;

/// <summary>The page tables runtime services run on: the kernel's plus the runtime regions, identity-mapped.</summary>
public sealed class FirmwareAddressSpace
{
    private const int EntriesPerTable = 512;
    private const int TopLevelShift = 39;
    private const int Levels = 4;
    private const ulong PageSize = 4096;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    private const ulong PresentAndHuge = (ulong)(PageFlags.Present | PageFlags.Huge);

    private readonly IPhysicalMemory _memory;
    private readonly ulong _kernelRoot;
    private readonly bool[] _privateSlots = new bool[EntriesPerTable];

    private FirmwareAddressSpace(IPhysicalMemory memory, ulong kernelRoot, PageTableMapper mapper)
    {
        _memory = memory;
        _kernelRoot = kernelRoot;
        Mapper = mapper;
    }

    /// <summary>The space's page tables.</summary>
    public PageTableMapper Mapper { get; }

    /// <summary>Physical address of its PML4 (what CR3 holds during a runtime call).</summary>
    public ulong Root => Mapper.Root;

    /// <summary>Table frames copied from the kernel's private slots.</summary>
    public int CopiedTables { get; private set; }

    /// <summary>
    /// Builds the space over kernel's tables: copies the subtrees of the top-level slots the mappings touch, maps each
    /// mapping identity (never a page below nullGuardBytes), shares every other slot. noExecute is the NX flag, or
    /// None when the CPU lacks it. On failure space is null and the frames taken so far are not returned.
    /// </summary>
    public static MapResult TryBuild(PageTableMapper kernel, IPhysicalMemory memory, IFrameSource frames, ITranslationCache tlb,
        List<RuntimeMapping> mappings, PageFlags noExecute, ulong nullGuardBytes, out FirmwareAddressSpace space)
    {
        space = null;
        if (!frames.TryAllocateFrame(out ulong root))
            return MapResult.OutOfFrames;
        PageTableMapper.ClearTable(memory, root);
        var built = new FirmwareAddressSpace(memory, kernel.Root, new PageTableMapper(root, memory, frames, tlb));
        for (int i = 0; i < mappings.Count; i++)
        {
            RuntimeMapping mapping = mappings[i];
            if (mapping.EndExclusive > 1UL << 47)
                return MapResult.NonCanonical; // identity mappings must stay in the lower half
            for (ulong slot = mapping.PhysicalStart >> TopLevelShift; slot <= (mapping.EndExclusive - 1) >> TopLevelShift; slot++)
                built._privateSlots[slot] = true;
        }
        Span<ulong> kernelTop = memory.Table(kernel.Root);
        for (int slot = 0; slot < EntriesPerTable; slot++)
        {
            ulong entry = kernelTop[slot];
            if (!built._privateSlots[slot] || (entry & (ulong)PageFlags.Present) == 0)
                continue;
            MapResult copied = built.CopyTable(entry & AddressMask, Levels - 1, frames, out ulong copy);
            if (copied != MapResult.Ok)
                return copied;
            memory.Table(root)[slot] = copy | (entry & ~AddressMask);
            kernelTop = memory.Table(kernel.Root);
        }
        built.ShareKernelEntries();
        for (int i = 0; i < mappings.Count; i++)
        {
            MapResult mapped = built.MapIdentity(mappings[i], noExecute, nullGuardBytes);
            if (mapped != MapResult.Ok)
                return mapped;
        }
        space = built;
        return MapResult.Ok;
    }

    /// <summary>Copies the kernel's current top-level entries into every slot that is not private. Call before each switch.</summary>
    public void ShareKernelEntries()
    {
        Span<ulong> kernelTop = _memory.Table(_kernelRoot);
        Span<ulong> top = _memory.Table(Root);
        for (int slot = 0; slot < EntriesPerTable; slot++)
        {
            if (!_privateSlots[slot])
                top[slot] = kernelTop[slot];
        }
    }

    /// <summary>Whether top-level slot holds this space's own tables rather than the kernel's.</summary>
    public bool IsPrivateSlot(int slot) => _privateSlots[slot];

    private MapResult MapIdentity(in RuntimeMapping mapping, PageFlags noExecute, ulong nullGuardBytes)
    {
        PageFlags flags = (mapping.Writable ? PageFlags.Writable : PageFlags.None) | (mapping.Executable ? PageFlags.None : noExecute)
            | (mapping.Device ? PageFlags.CacheDisable | PageFlags.WriteThrough : PageFlags.None);
        for (ulong page = mapping.PhysicalStart; page < mapping.EndExclusive; page += PageSize)
        {
            if (page < nullGuardBytes)
                continue;
            MapResult result = Mapper.Map(page, page, flags);
            // A page the kernel maps there too (never expected) keeps the kernel's rights.
            if (result != MapResult.Ok && result != MapResult.AlreadyMapped)
                return result;
        }
        return MapResult.Ok;
    }

    // Copies the table at source (level 3 = PDPT .. 1 = PT) and every table below it; leaf entries are copied as
    // they are, so both spaces map the same frames with the same rights.
    private MapResult CopyTable(ulong source, int level, IFrameSource frames, out ulong copy)
    {
        if (!frames.TryAllocateFrame(out copy))
            return MapResult.OutOfFrames;
        CopiedTables++;
        _memory.Table(source).CopyTo(_memory.Table(copy));
        if (level == 1)
            return MapResult.Ok;
        for (int i = 0; i < EntriesPerTable; i++)
        {
            ulong entry = _memory.Table(copy)[i];
            if ((entry & (ulong)PageFlags.Present) == 0 || (entry & PresentAndHuge) == PresentAndHuge)
                continue;
            MapResult result = CopyTable(entry & AddressMask, level - 1, frames, out ulong child);
            if (result != MapResult.Ok)
                return result;
            _memory.Table(copy)[i] = child | (entry & ~AddressMask);
        }
        return MapResult.Ok;
    }
}
