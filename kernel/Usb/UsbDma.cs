// DMA memory for the USB stack: a DmaBuffer from the frame allocator (contiguous, zeroed, below 4 GiB when the
// controller cannot address more), seen through the IDmaMemory the rings and contexts are written against.
using System;
using Kernel.Memory;

namespace Kernel.Usb;

/// <summary>A DmaBuffer as IDmaMemory.</summary>
public sealed class UsbDma : IDmaMemory
{
    private readonly DmaBuffer _buffer;

    private UsbDma(DmaBuffer buffer) => _buffer = buffer;

    /// <inheritdoc/>
    public ulong PhysicalAddress => _buffer.PhysicalAddress;

    /// <inheritdoc/>
    public Span<byte> Bytes => _buffer.Bytes;

    /// <summary>
    /// sizeInBytes of zeroed DMA memory aligned to alignment (which never crosses a 4 KiB boundary when it fits in one
    /// page, as xHCI requires of rings and contexts: every allocation starts on a frame); throws OutOfMemoryException when none is free.
    /// </summary>
    public static UsbDma Allocate(int sizeInBytes, ulong alignment, bool below4GiB)
    {
        FrameError error = DmaBuffer.TryAllocate(sizeInBytes, alignment, below4GiB, out DmaBuffer buffer);
        if (error != FrameError.None)
            throw new OutOfMemoryException();
        return new UsbDma(buffer);
    }

    /// <summary>Gives the frames back; the controller must no longer use them.</summary>
    public void Free() => _buffer.Free();
}
