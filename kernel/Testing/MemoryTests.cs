#if KERNEL_TESTS
// In-kernel tests of the kernel's own page tables, frame allocator and DMA buffers: what is mapped, with which
// rights, and that faults are reported (the faulting tests panic, so each runs in its own boot).
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Firmware;
using Kernel.Memory;
namespace Kernel.Testing;

public static class MemoryTests
{
    // An unused low-half address for test mappings (below the kernel heap).
    private const ulong ScratchPage = AddressSpaceLayout.TestScratchPage;

    public static void RunsOnOwnPageTables()
    {
        Expect.Equal(KernelAddressSpace.Mapper.Root, Cpu.PageTableRoot & PageTableEntry.AddressMask, "CR3 holds the kernel's PML4");
        Expect.True(ControlRegisters.NoExecuteEnabled == (KernelAddressSpace.NoExecute != PageFlags.None), "EFER.NXE matches NX use");
        Expect.True(ControlRegisters.WriteProtectEnabled, "CR0.WP is set");
        Expect.Equal((ulong)Gdt.KernelCodeSelector, Cpu.CodeSegment, "CS is the kernel's own code selector");
    }

    public static unsafe void KernelCodeIsExecutableAndReadOnly()
    {
        delegate*<void> code = &KernelCodeIsExecutableAndReadOnly;
        Expect.True(KernelAddressSpace.Translate((ulong)code, out ulong physical, out PageFlags flags), "code is mapped");
        Expect.Equal((ulong)code, physical, "the image is mapped where it was loaded");
        Expect.True((flags & PageFlags.Writable) == 0, "code is not writable");
        Expect.True((flags & PageFlags.NoExecute) == 0, "code is executable");
    }

    public static unsafe void KernelDataIsWritableAndNotExecutable()
    {
        fixed (ulong* data = &s_dataProbe)
        {
            Expect.True(KernelAddressSpace.Translate((ulong)data, out _, out PageFlags flags), "static data is mapped");
            Expect.True((flags & PageFlags.Writable) != 0, "data is writable");
            Expect.True((flags & PageFlags.NoExecute) == KernelAddressSpace.NoExecute, "data is NX");
        }
    }

    public static unsafe void StackIsTheKernelStack()
    {
        ulong local = 1;
        ulong address = (ulong)&local;
        Expect.True(address < KernelAddressSpace.KernelStackTop && address >= KernelAddressSpace.KernelStackTop - AddressSpaceLayout.KernelStackBytes,
            "running on the kernel stack");
        Expect.True(KernelAddressSpace.Translate(address, out _, out PageFlags flags), "stack is mapped");
        Expect.True((flags & PageFlags.Writable) != 0 && (flags & PageFlags.NoExecute) == KernelAddressSpace.NoExecute, "stack is RW and NX");
        ulong guard = KernelAddressSpace.KernelStackTop - AddressSpaceLayout.KernelStackBytes - 1;
        Expect.True(!KernelAddressSpace.Translate(guard, out _, out _), "the guard page below the stack is unmapped");
    }

    public static void FramebufferIsMappedWriteCombining()
    {
        if (!Terminal.HasScreen)
            return;
        ulong framebuffer = TestRunner.Boot.Info.Framebuffer.Base;
        Expect.True(KernelAddressSpace.Translate(framebuffer, out ulong physical, out PageFlags flags), "framebuffer is mapped");
        Expect.Equal(framebuffer, physical, "framebuffer is identity-mapped");
        Expect.True((flags & PageFlags.Writable) != 0, "framebuffer is writable");
        if (CpuFeatures.PageAttributeTable)
            Expect.True((flags & PageFlags.WriteThrough) != 0, "framebuffer uses the write-combining PAT slot");
    }

    public static void NullPageIsUnmapped()
    {
        Expect.True(!KernelAddressSpace.Translate(0, out _, out _), "page 0 is not mapped");
        Expect.True(!KernelAddressSpace.Translate(AddressSpaceLayout.NullGuardBytes - 1, out _, out _), "nothing below 32 KiB is mapped");
        Expect.True(!KernelAddressSpace.Translate(AddressSpaceLayout.NullGuardBytes / 2, out _, out _), "nor in the middle of the null guard");
    }

    public static void DirectMapReachesPhysicalMemory()
    {
        ulong physical = KernelAddressSpace.Mapper.Root;
        Expect.True(KernelAddressSpace.Translate(AddressSpaceLayout.PhysicalToVirtual(physical), out ulong back, out PageFlags flags), "direct map covers the PML4");
        Expect.Equal(physical, back, "direct map translates to the same physical address");
        Expect.True((flags & PageFlags.NoExecute) == KernelAddressSpace.NoExecute, "direct map is NX");
    }

    public static unsafe void MapWriteReadUnmap()
    {
        FrameAllocator frames = KernelAddressSpace.Frames;
        Expect.True(frames.TryAllocate(out ulong frame) == FrameError.None, "a frame");
        PageTableMapper mapper = KernelAddressSpace.Mapper;
        Expect.True(mapper.Map(ScratchPage, frame, PageFlags.Writable | KernelAddressSpace.NoExecute) == MapResult.Ok, "map the scratch page");
        Expect.True(mapper.Map(ScratchPage, frame, PageFlags.Writable) == MapResult.AlreadyMapped, "mapping twice is refused");
        ulong* page = (ulong*)ScratchPage;
        page[0] = 0x1234_5678_9ABC_DEF0;
        page[511] = 42;
        Span<byte> direct = KernelAddressSpace.PhysicalBytes(frame, 4096);
        Expect.Equal(0xF0, direct[0], "the write is visible through the direct map");
        Expect.Equal(42, direct[511 * 8], "the last word too");
        Expect.True(mapper.Unmap(ScratchPage, out ulong unmapped, out _) == MapResult.Ok && unmapped == frame, "unmap returns the frame");
        Expect.True(!KernelAddressSpace.Translate(ScratchPage, out _, out _), "gone after unmap");
        Expect.True(frames.Free(frame) == FrameError.None, "free the frame");
    }

    public static void FrameAllocatorRejectsBadFrees()
    {
        FrameAllocator frames = KernelAddressSpace.Frames;
        ulong freeBefore = frames.FreeFrames;
        Expect.True(frames.TryAllocate(out ulong frame) == FrameError.None, "a frame");
        Expect.True(frames.Free(frame) == FrameError.None, "first free");
        Expect.True(frames.Free(frame) == FrameError.DoubleFree, "double free is detected");
        Expect.Equal(freeBefore, frames.FreeFrames, "counts unchanged by the rejected free");
        ulong kernelImage = TestRunner.Boot.Info.ImageBase;
        Expect.True(frames.Free(kernelImage) == FrameError.NotOwned, "the kernel image is not the allocator's to free");
    }

    public static void BootServicesMemoryWasReclaimed()
    {
        ulong bootServices = TestRunner.Boot.MemoryMap.BootServicesBytes / FrameAllocator.FrameSize;
        ulong conventional = TestRunner.Boot.MemoryMap.ConventionalBytes / FrameAllocator.FrameSize;
        // The early heap's unused pages (loader data) are the allocator's too.
        ulong earlyHeap = RuntimeStartup.EarlyHeapBytesReleased / FrameAllocator.FrameSize;
        Expect.True(KernelAddressSpace.Frames.TotalFrames > conventional + earlyHeap, "boot services frames were added after the switch");
        Expect.True(KernelAddressSpace.Frames.TotalFrames <= conventional + bootServices + earlyHeap,
            "never more than the usable regions and the early heap's unused pages");
    }

    public static void DmaBufferIsContiguousAlignedZeroedAndFreedOnce()
    {
        const int size = 3 * 4096 + 100; // four frames
        const ulong alignment = 64 * 1024;
        const byte stale = 0xA5;
        FrameAllocator frames = KernelAddressSpace.Frames;
        ulong freeBefore = frames.FreeFrames;

        // Dirty the frames first, so the second buffer (the same lowest fit) shows the zeroing.
        Expect.True(DmaBuffer.TryAllocate(size, alignment, below4GiB: true, out DmaBuffer dirty) == FrameError.None, "a first buffer");
        dirty.Bytes.Fill(stale);
        Expect.True(dirty.Free() == FrameError.None, "free the first buffer");

        Expect.True(DmaBuffer.TryAllocate(size, alignment, below4GiB: true, out DmaBuffer buffer) == FrameError.None, "a buffer");
        Expect.Equal(dirty.PhysicalAddress, buffer.PhysicalAddress, "the same frames again");
        Expect.Equal(0UL, buffer.PhysicalAddress % alignment, "aligned to 64 KiB");
        Expect.True(buffer.PhysicalAddress + 4 * FrameAllocator.FrameSize <= DmaBuffer.FourGiB, "below 4 GiB");
        Expect.Equal((long)size, buffer.SizeInBytes, "size as asked");
        Expect.Equal(freeBefore - 4, frames.FreeFrames, "four frames in use");
        for (ulong frame = 0; frame < 4; frame++)
            Expect.True(!frames.IsFree(buffer.PhysicalAddress + frame * FrameAllocator.FrameSize), "each frame of the run is in use");

        Span<byte> bytes = buffer.Bytes;
        Span<byte> tail = KernelAddressSpace.PhysicalBytes(buffer.PhysicalAddress + (ulong)size, 4 * 4096 - size);
        bool zeroed = true;
        for (int i = 0; i < bytes.Length; i++)
            zeroed &= bytes[i] == 0;
        for (int i = 0; i < tail.Length; i++)
            zeroed &= tail[i] == 0;
        Expect.True(zeroed, "zeroed, the rest of the last frame too");

        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 7 + 1);
        Span<byte> view = KernelAddressSpace.PhysicalBytes(buffer.PhysicalAddress, size);
        bool same = true;
        for (int i = 0; i < view.Length; i++)
            same &= view[i] == (byte)(i * 7 + 1);
        Expect.True(same, "what was written reads back through a second direct-map view");

        Expect.True(buffer.Free() == FrameError.None, "free");
        Expect.True(buffer.IsFreed, "freed");
        Expect.Equal(freeBefore, frames.FreeFrames, "free count back where it was");
        Expect.True(buffer.Free() == FrameError.DoubleFree, "double free is caught");
        Expect.Equal(freeBefore, frames.FreeFrames, "the double free changed nothing");

        Expect.True(DmaBuffer.TryAllocate(0, 1, below4GiB: false, out DmaBuffer none) == FrameError.InvalidCount && none == null, "size 0 is refused");
        Expect.True(DmaBuffer.TryAllocate(16, 48, below4GiB: false, out none) == FrameError.Misaligned && none == null, "alignment 48 is refused");
        Expect.Equal(freeBefore, frames.FreeFrames, "refusals take nothing");
    }

    public static unsafe void NullReadPanics()
    {
        long* nothing = null;
        Expect.True(*nothing == 1, "unreachable");
    }

    public static unsafe void WriteToCodePanics()
    {
        delegate*<void> code = &WriteToCodePanics;
        *(byte*)code = 0xC3;
    }

    public static unsafe void ExecuteDataPanics()
    {
        // A 'ret' in a writable static: executing it must fault on the NX bit.
        fixed (ulong* data = &s_dataProbe)
        {
            *(byte*)data = 0xC3;
            ((delegate*<void>)data)();
        }
    }

    public static unsafe void UnmappedAddressPanics()
    {
        long* unmapped = (long*)0xDEADBEEF;
        Expect.True(*unmapped == 1, "unreachable");
    }

    private static ulong s_dataProbe = 1;
}
#endif
