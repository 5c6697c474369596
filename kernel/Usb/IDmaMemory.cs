// Memory shared with a USB host controller: what the CPU sees (the bytes) and what the controller is given (the
// physical address). In the kernel it is a DmaBuffer (UsbDma); host tests give plain arrays with made-up addresses.
using System;

namespace Kernel.Usb;

/// <summary>A block of memory the controller reads and writes by DMA.</summary>
public interface IDmaMemory
{
    /// <summary>The address the controller uses.</summary>
    ulong PhysicalAddress { get; }

    /// <summary>The bytes, as the CPU reaches them.</summary>
    Span<byte> Bytes { get; }
}
