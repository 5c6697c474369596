// Memory a device reads and writes on its own (bus-master DMA: an xHCI ring, a disk's descriptor table): whole
// frames that are contiguous in physical memory, because the device sees physical addresses only, zeroed so no
// stale data reaches it, and placed below 4 GiB for devices that put only 32-bit addresses on the bus (an xHCI
// controller without AC64, xHCI 1.2 §5.3.6). The CPU reaches the frames through the direct map: on x86 a device's
// memory accesses are snooped by the CPU caches (unless it sets PCIe's No Snoop attribute), so the direct map's
// write-back mapping needs no flushing.
using System;
using Kernel.Diagnostics;

namespace Kernel.Memory;

/// <summary>A physically contiguous, zeroed buffer for a device to access by DMA.</summary>
public sealed class DmaBuffer
{
    /// <summary>Devices with 32-bit DMA addresses reach only memory below this.</summary>
    public const ulong FourGiB = 1UL << 32;

    private readonly ulong _frameCount;
    private bool _freed;

    private DmaBuffer(ulong physicalAddress, int sizeInBytes, ulong frameCount)
    {
        PhysicalAddress = physicalAddress;
        SizeInBytes = sizeInBytes;
        _frameCount = frameCount;
    }

    /// <summary>The address the device is given.</summary>
    public ulong PhysicalAddress { get; }

    /// <summary>The size asked for (the buffer owns whole frames; the rest of the last one is zeroed too).</summary>
    public int SizeInBytes { get; }

    /// <summary>Whether <see cref="Free"/> has returned the frames.</summary>
    public bool IsFreed => _freed;

    /// <summary>The buffer's bytes, through the direct map. Using them after <see cref="Free"/> panics: the frames may be someone else's.</summary>
    public Span<byte> Bytes
    {
        get
        {
            if (_freed)
                Panic.Halt("DMA: the buffer at 0x" + PhysicalAddress.ToString("x") + " was used after it was freed");
            return KernelAddressSpace.PhysicalBytes(PhysicalAddress, SizeInBytes);
        }
    }

    /// <summary>
    /// Allocates sizeInBytes of contiguous physical memory starting at a multiple of alignment (a power of two;
    /// anything up to a frame is met by every frame), below 4 GiB when below4GiB, and zeroes it. On failure
    /// buffer is null and the result says why: InvalidCount for a size of 0 or less, Misaligned for an alignment
    /// that is not a power of two, OutOfMemory when no such run is free.
    /// </summary>
    public static FrameError TryAllocate(int sizeInBytes, ulong alignment, bool below4GiB, out DmaBuffer buffer)
    {
        buffer = null;
        if (sizeInBytes <= 0)
            return FrameError.InvalidCount;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            return FrameError.Misaligned;
        ulong frameCount = ((ulong)sizeInBytes + FrameAllocator.FrameSize - 1) / FrameAllocator.FrameSize;
        ulong alignmentFrames = alignment <= FrameAllocator.FrameSize ? 1 : alignment / FrameAllocator.FrameSize;
        FrameError error = KernelAddressSpace.Frames.TryAllocateContiguous(frameCount, alignmentFrames,
            below4GiB ? FourGiB : ulong.MaxValue, out ulong physicalAddress);
        if (error != FrameError.None)
            return error;
        for (ulong frame = 0; frame < frameCount; frame++)
            KernelAddressSpace.PhysicalBytes(physicalAddress + frame * FrameAllocator.FrameSize, (int)FrameAllocator.FrameSize).Clear();
        buffer = new DmaBuffer(physicalAddress, sizeInBytes, frameCount);
        return FrameError.None;
    }

    /// <summary>
    /// Returns the frames to the allocator. A second Free is rejected with DoubleFree and leaves the allocator
    /// alone: by then the frames may have been handed to someone else, so the allocator could not tell.
    /// </summary>
    /// <remarks>The device must have stopped using the buffer (its ring or queue torn down) before this.</remarks>
    public FrameError Free()
    {
        if (_freed)
            return FrameError.DoubleFree;
        FrameError error = KernelAddressSpace.Frames.FreeContiguous(PhysicalAddress, _frameCount);
        if (error == FrameError.None)
            _freed = true;
        return error;
    }
}
