// Builds the kernel's own 4-level page tables after ExitBootServices and switches to them (the seed's
// "Paging Implementation", adapted to UEFI): a direct map of all physical memory in the higher half, the kernel
// image mapped section by section with W^X, identity mappings only for what must stay where the firmware put
// it, an unmapped page 0, and a fresh kernel stack with an unmapped guard page. The UEFI runtime regions are not
// in these tables: they live in a separate address space used only during runtime-services calls
// (FirmwareAddressSpace), so no page here is both writable and executable.
using System;
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Firmware;

namespace Kernel.Memory;

/// <summary>The kernel's address space: its frame allocator and page tables.</summary>
public static class KernelAddressSpace
{
    private const ulong PageSize = 4096;
    private const ulong FourGiB = 1UL << 32;
    private const ulong LargePageSize = 2UL << 20;
    private const ulong GigaPageSize = 1UL << 30;

    // How much of the firmware's stack region stays mapped until the switch to the kernel stack.
    private const ulong FirmwareStackBelowBytes = 256 * 1024;
    private const ulong FirmwareStackAboveBytes = 1024 * 1024;

    private static PhysicalMemoryAccess s_memory;
    private static PageFlags s_noExecute;
    private static ulong s_firmwareStackStart;
    private static ulong s_firmwareStackEnd;
    private static ulong s_nextMmio = AddressSpaceLayout.MmioBase;
    private static Action s_continuation;
    private static byte[] s_memoryAttributes;
    private static FirmwareAddressSpace s_firmwareSpace;
    private static string s_firmwareSpaceSummary;

    /// <summary>The physical frame allocator.</summary>
    public static FrameAllocator Frames { get; private set; }

    /// <summary>The kernel's page tables.</summary>
    public static PageTableMapper Mapper { get; private set; }

    /// <summary>Top of the boot CPU's kernel stack (the guard page lies below its bottom).</summary>
    public static ulong KernelStackTop { get; private set; }

    /// <summary>Whether the direct map uses 1 GiB pages (else 2 MiB).</summary>
    public static bool UsesGigabytePages { get; private set; }

    /// <summary>Bytes of physical memory reachable through the direct map.</summary>
    public static ulong DirectMapBytes { get; private set; }

    /// <summary>Whether the firmware's map reaches past the largest direct map this layout allows (that part is unused).</summary>
    public static bool DirectMapTruncated { get; private set; }

    /// <summary>
    /// Builds the tables, switches CR3, then continues in next on the new kernel stack; never returns.
    /// </summary>
    /// <remarks>Safety: call once, after ExitBootServices, with interrupts off. next must not return.</remarks>
    public static unsafe void SwitchTo(BootInfo info, MemoryMap map, Action next)
    {
        s_continuation = next;
        s_memoryAttributes = info.MemoryAttributesTable;
        // Boot-services memory still holds the running stack and the firmware's page tables: hand it out only
        // after the switch (see ReleaseBootServicesMemory).
        Frames = FrameAllocator.FromMemoryMap(map, includeBootServices: false);
        s_memory = new PhysicalMemoryAccess(0);
        s_noExecute = CpuFeatures.NoExecute ? PageFlags.NoExecute : PageFlags.None;
        // Below 4 GiB: application processors load CR3 from 32-bit code on their way to long mode (ApTrampoline).
        if (Frames.TryAllocateContiguous(1, 1, FourGiB, out ulong root) != FrameError.None)
            Panic.Halt("paging: no frame below 4 GiB for the top-level page table");
        PageTableMapper.ClearTable(s_memory, root);
        Mapper = new PageTableMapper(root, s_memory, Frames, new Tlb());

        MapDirect(map);
        MapKernelImage(info.ImageBase);
        MapIdentityRegions(map, info.ImageBase, info.ImageSize);
        MapFramebuffer(info.Framebuffer);
        MapFirmwareStack(map);
        MapKernelStack();

        if (s_noExecute != PageFlags.None)
            ControlRegisters.EnableNoExecute();
        if (CpuFeatures.PageAttributeTable)
            ControlRegisters.EnableWriteCombiningSlot();
        ControlRegisters.EnableWriteProtect();
        ControlRegisters.LoadPageTableRoot(root);
        s_memory.UseOffset(AddressSpaceLayout.PhysicalMemoryOffset);
        Native.RunOnStack(KernelStackTop, &ContinueOnKernelStack);
    }

    // The shim switches stacks and calls a plain function pointer; the delegate is kept in a static for it.
    private static void ContinueOnKernelStack()
    {
        s_continuation();
        Panic.Halt("paging: the code started on the kernel stack returned");
    }

    /// <summary>
    /// On the kernel stack: drops the firmware stack's identity mapping, gives all boot-services memory (its stack,
    /// page tables, GDT, pools) to the frame allocator, then builds the address space runtime services run in.
    /// </summary>
    public static void ReleaseBootServicesMemory(MemoryMap map)
    {
        for (ulong page = s_firmwareStackStart; page < s_firmwareStackEnd; page += PageSize)
            Mapper.Unmap(page, out _, out _);
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            if (region.Type == MemoryType.BootServicesCode || region.Type == MemoryType.BootServicesData)
                Frames.Release(region);
        }
        BuildFirmwareSpace(map);
    }

    /// <summary>Pages the runtime services' space maps writable and executable by plan (runtime code no table describes).</summary>
    public static ulong FirmwareWritableExecutablePages { get; private set; }

    /// <summary>Physical address of the runtime services' PML4, or 0 when they have no address space.</summary>
    public static ulong FirmwareSpaceRoot => s_firmwareSpace != null ? s_firmwareSpace.Root : 0;

    /// <summary>What virtualAddress maps to in the runtime services' address space (with its shared entries refreshed).</summary>
    public static bool TranslateInFirmwareSpace(ulong virtualAddress, out ulong physicalAddress, out PageFlags flags)
    {
        physicalAddress = 0;
        flags = PageFlags.None;
        if (s_firmwareSpace == null)
            return false;
        s_firmwareSpace.ShareKernelEntries();
        return s_firmwareSpace.Mapper.Translate(virtualAddress, out physicalAddress, out flags, out _);
    }

    /// <summary>Walks the tables under root (a PML4's physical address) for writable and executable pages.</summary>
    public static PageTableAudit AuditWritableExecutable(ulong root, int keepRanges) =>
        PageTableAudit.Run(s_memory, root, s_noExecute != PageFlags.None, keepRanges);

    /// <summary>
    /// Maps device registers at [physicalAddress, +bytes) uncached (PCD and PWT: PAT slot 3, UC) in the MMIO window
    /// and returns the virtual address of physicalAddress. The direct map's write-back mapping is never used for devices.
    /// </summary>
    public static ulong MapMmio(ulong physicalAddress, ulong bytes)
    {
        ulong first = physicalAddress & ~(PageSize - 1);
        ulong end = (physicalAddress + bytes + PageSize - 1) & ~(PageSize - 1);
        ulong virtualBase = s_nextMmio;
        for (ulong page = first; page < end; page += PageSize)
        {
            Check(Mapper.Map(s_nextMmio, page, PageFlags.Writable | PageFlags.CacheDisable | PageFlags.WriteThrough | s_noExecute), "MMIO window", page);
            s_nextMmio += PageSize;
        }
        return virtualBase + (physicalAddress - first);
    }

    /// <summary>The physical address virtualAddress maps to, or false.</summary>
    public static bool Translate(ulong virtualAddress, out ulong physicalAddress, out PageFlags flags) =>
        Mapper.Translate(virtualAddress, out physicalAddress, out flags, out _);

    /// <summary>Physical memory as bytes, through the direct map.</summary>
    public static Span<byte> PhysicalBytes(ulong physicalAddress, int count) => s_memory.Bytes(physicalAddress, count);

    /// <summary>The NX flag when the CPU has it, else nothing.</summary>
    public static PageFlags NoExecute => s_noExecute;

    /// <summary>The boot log's paging lines: frames, page tables, the direct map, NX, and what is reserved.</summary>
    public static string[] Summary()
    {
        FrameAllocator frames = Frames;
        string tables = "mem: " + frames.FreeFrames.ToString() + " of " + frames.TotalFrames.ToString() + " frames free ("
            + Mebibytes(frames.FreeFrames * FrameAllocator.FrameSize) + " MiB), " + Mapper.TableFrames.ToString()
            + " page-table frames, direct map " + Mebibytes(DirectMapBytes) + " MiB in "
            + (UsesGigabytePages ? "1 GiB" : "2 MiB") + " pages, NX " + (NoExecute != PageFlags.None ? "on" : "unavailable");
        string reserved = "mem: reserved " + Kibibytes(frames.ReservedBytes(MemoryType.LoaderCode) + frames.ReservedBytes(MemoryType.LoaderData)) + " KiB kernel and loader, "
            + Kibibytes(frames.ReservedBytes(MemoryType.RuntimeServicesCode) + frames.ReservedBytes(MemoryType.RuntimeServicesData)) + " KiB UEFI runtime, "
            + Kibibytes(frames.ReservedBytes(MemoryType.AcpiReclaim) + frames.ReservedBytes(MemoryType.AcpiNvs)) + " KiB ACPI, "
            + Kibibytes(frames.ReservedBytes(MemoryType.Reserved) + frames.ReservedBytes(MemoryType.MemoryMappedIo)) + " KiB reserved and MMIO";
        string firmware = s_firmwareSpaceSummary ?? "efi: runtime services have no address space yet";
        if (!DirectMapTruncated)
            return new[] { tables, reserved, firmware };
        return new[] { tables, reserved, firmware, "paging: physical addresses above " + (AddressSpaceLayout.MaximumDirectMapBytes >> 40).ToString() + " TiB are not in the direct map" };
    }

    private static string Mebibytes(ulong bytes) => (bytes >> 20).ToString();

    private static string Kibibytes(ulong bytes) => (bytes >> 10).ToString();

    private static void MapDirect(MemoryMap map)
    {
        UsesGigabytePages = CpuFeatures.GigabytePages;
        ulong step = UsesGigabytePages ? GigaPageSize : LargePageSize;
        ulong top = map.HighestAddressExclusive > AddressSpaceLayout.MinimumDirectMapBytes ? map.HighestAddressExclusive : AddressSpaceLayout.MinimumDirectMapBytes;
        top = (top + step - 1) & ~(step - 1);
        if (top > AddressSpaceLayout.MaximumDirectMapBytes)
        {
            DirectMapTruncated = true;
            top = AddressSpaceLayout.MaximumDirectMapBytes;
        }
        DirectMapBytes = top;
        PageFlags flags = PageFlags.Writable | PageFlags.Global | s_noExecute;
        PageSize size = UsesGigabytePages ? Memory.PageSize.Size1GiB : Memory.PageSize.Size2MiB;
        for (ulong physical = 0; physical < top; physical += step)
            Check(Mapper.Map(AddressSpaceLayout.PhysicalToVirtual(physical), physical, flags, size), "direct map", physical);
    }

    // The image runs where the firmware loaded it, so it is mapped in place: headers read-only, each section
    // with the rights its characteristics name, and never writable and executable at once.
    private static unsafe void MapKernelImage(ulong imageBase)
    {
        PeImageStatus status = PeImage.TryParse(new ReadOnlySpan<byte>((void*)imageBase, (int)PageSize), out PeImage image);
        if (status != PeImageStatus.Ok)
            Panic.Halt("paging: cannot read the kernel's own PE headers", status.ToString());
        MapIdentity(imageBase, image.SizeOfHeaders, s_noExecute);
        for (int i = 0; i < image.SectionCount; i++)
        {
            PeSection section = image.Section(i);
            PageFlags flags = section.IsExecutable ? PageFlags.None : s_noExecute;
            if (section.IsWritable && !section.IsExecutable)
                flags |= PageFlags.Writable;
            MapIdentity(imageBase + section.VirtualAddress, section.VirtualSize, flags);
        }
    }

    // Loader data (early heap, memory map, pools) keeps its identity addresses: objects already point there.
    // Runtime-services regions are left out: they are mapped only in the firmware's address space.
    private static void MapIdentityRegions(MemoryMap map, ulong imageBase, ulong imageSize)
    {
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            PageFlags flags;
            if (region.Type == MemoryType.LoaderData)
                flags = PageFlags.Writable | s_noExecute;
            else if (region.Type == MemoryType.LoaderCode && (region.EndExclusive <= imageBase || region.PhysicalStart >= imageBase + imageSize))
                flags = PageFlags.Writable | s_noExecute;
            else
                continue;
            MapIdentity(region.PhysicalStart, region.SizeInBytes, flags);
        }
    }

    // Runtime services stay at their physical addresses (the kernel never calls SetVirtualAddressMap), so the
    // firmware's space maps them identity (UEFI 2.10 §2.3.4), with the rights RuntimeMappings plans. Built after
    // the firmware stack is unmapped, so the copy of the low slot holds only what the kernel keeps there.
    private static void BuildFirmwareSpace(MemoryMap map)
    {
        MemoryAttributesTable table = null;
        string source = "no memory attributes table, rights by type (code RWX)";
        if (s_memoryAttributes != null)
        {
            MemoryAttributesStatus status = MemoryAttributesTable.TryParse(s_memoryAttributes, map, out table, out int badEntry);
            source = status == MemoryAttributesStatus.Ok
                ? "rights from the memory attributes table v" + table.Version.ToString() + " (" + table.Count.ToString() + " entries)"
                : "memory attributes table refused: " + MemoryAttributesTable.Describe(status)
                    + (badEntry >= 0 ? " (entry " + badEntry.ToString() + ")" : "") + ", rights by type (code RWX)";
        }
        List<RuntimeMapping> plan = RuntimeMappings.Plan(map, table);
        MapResult result = FirmwareAddressSpace.TryBuild(Mapper, s_memory, Frames, new Tlb(), plan, s_noExecute, AddressSpaceLayout.NullGuardBytes,
            out FirmwareAddressSpace space);
        if (result != MapResult.Ok)
        {
            s_firmwareSpaceSummary = "efi: runtime services disabled: cannot build their address space (" + PageTableMapper.Describe(result) + ")";
            return;
        }
        s_firmwareSpace = space;
        FirmwareRuntime.UseAddressSpace(space.Root, space.ShareKernelEntries);
        s_firmwareSpaceSummary = "efi: runtime services in their own address space: " + DescribeRights(plan) + "; " + source;
    }

    private static string DescribeRights(List<RuntimeMapping> plan)
    {
        ulong readExecute = 0, readWrite = 0, readOnly = 0, writeExecute = 0, device = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            RuntimeMapping mapping = plan[i];
            if (mapping.Device)
                device += mapping.PageCount;
            else if (mapping.Writable && mapping.Executable)
                writeExecute += mapping.PageCount;
            else if (mapping.Executable)
                readExecute += mapping.PageCount;
            else if (mapping.Writable)
                readWrite += mapping.PageCount;
            else
                readOnly += mapping.PageCount;
        }
        FirmwareWritableExecutablePages = writeExecute;
        return readExecute.ToString() + " pages RX, " + readWrite.ToString() + " RW+NX, " + readOnly.ToString() + " R+NX, "
            + writeExecute.ToString() + " RWX, " + device.ToString() + " MMIO";
    }

    private static void MapFramebuffer(in FramebufferInfo framebuffer)
    {
        if (framebuffer.Base == 0)
            return;
        // PWT alone selects PAT slot 1, which ControlRegisters turns into write-combining.
        PageFlags caching = CpuFeatures.PageAttributeTable ? PageFlags.WriteThrough : PageFlags.None;
        MapIdentity(framebuffer.Base, framebuffer.SizeInBytes, PageFlags.Writable | s_noExecute | caching);
    }

    private static unsafe void MapFirmwareStack(MemoryMap map)
    {
        ulong local = 0;
        ulong stackPointer = (ulong)&local;
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            if (stackPointer < region.PhysicalStart || stackPointer >= region.EndExclusive)
                continue;
            ulong page = stackPointer & ~(PageSize - 1);
            s_firmwareStackStart = Math.Max(region.PhysicalStart, page > FirmwareStackBelowBytes ? page - FirmwareStackBelowBytes : 0);
            s_firmwareStackEnd = Math.Min(region.EndExclusive, page + FirmwareStackAboveBytes);
            MapIdentity(s_firmwareStackStart, s_firmwareStackEnd - s_firmwareStackStart, PageFlags.Writable | s_noExecute);
            return;
        }
        Panic.Halt("paging: the running stack is outside the firmware's memory map", "rsp " + stackPointer.ToString("x"));
    }

    /// <summary>
    /// Maps the page at physical address page at the same virtual address, read-only and executable: the start-up
    /// code application processors run while they turn paging on (it is written through the direct map).
    /// </summary>
    /// <remarks>Safety: page is a frame the kernel reserved for that code, below 1 MiB and above the null guard.</remarks>
    public static void MapStartupCode(ulong page)
    {
        if (page < AddressSpaceLayout.NullGuardBytes || (page & (PageSize - 1)) != 0)
            Panic.Halt("paging: the start-up code page 0x" + page.ToString("x") + " is misaligned or in the null guard");
        // Loader data is identity-mapped writable and not executable; this page becomes the opposite.
        if (Translate(page, out _, out _))
        {
            Check(Mapper.Unmap(page, out _, out PageSize size), "start-up code mapping", page);
            if (size != Kernel.Memory.PageSize.Size4KiB)
                Panic.Halt("paging: the start-up code page 0x" + page.ToString("x") + " sits in a large page");
        }
        Check(Mapper.Map(page, page, PageFlags.None), "start-up code mapping", page);
        Cpu.InvalidatePage(page);
    }

    private static void MapKernelStack() => KernelStackTop = MapStack(0, AddressSpaceLayout.KernelStackBytes);

    /// <summary>
    /// Maps a stack of bytes in stack slot slot, above the slot's guard page, and returns its top. The guard page
    /// stays unmapped: running into it faults instead of corrupting memory.
    /// </summary>
    public static ulong MapStack(int slot, ulong bytes)
    {
        ulong bottom = AddressSpaceLayout.KernelStacksBase + (ulong)slot * AddressSpaceLayout.StackSlotBytes + AddressSpaceLayout.GuardPageBytes;
        for (ulong page = bottom; page < bottom + bytes; page += PageSize)
        {
            FrameError error = Frames.TryAllocate(out ulong frame);
            if (error != FrameError.None)
                Panic.Halt("paging: no memory for a kernel stack", FrameAllocator.Describe(error));
            Check(Mapper.Map(page, frame, PageFlags.Writable | s_noExecute), "kernel stack", page);
        }
        return bottom + bytes;
    }

    private static void MapIdentity(ulong start, ulong bytes, PageFlags flags)
    {
        ulong first = start & ~(PageSize - 1);
        ulong end = (start + bytes + PageSize - 1) & ~(PageSize - 1);
        for (ulong page = first; page < end; page += PageSize)
        {
            // Page 0 stays unmapped whatever claims it: that is what makes null dereferences fault.
            if (page < AddressSpaceLayout.NullGuardBytes)
                continue;
            MapResult result = Mapper.Map(page, page, flags);
            if (result != MapResult.AlreadyMapped)
                Check(result, "identity map", page);
        }
    }

    private static void Check(MapResult result, string what, ulong address)
    {
        if (result != MapResult.Ok)
            Panic.Halt("paging: cannot build the " + what + " at 0x" + address.ToString("x"), PageTableMapper.Describe(result));
    }
}
