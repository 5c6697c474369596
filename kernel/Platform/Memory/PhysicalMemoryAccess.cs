// Reaching page tables by physical address: through the firmware's identity map before the switch, through the
// kernel's direct map after it (kernel/Platform/Memory/AddressSpaceLayout.cs).
using System;

namespace Kernel.Memory;

/// <summary>Page tables seen at physical address + a fixed offset.</summary>
public sealed class PhysicalMemoryAccess : IPhysicalMemory
{
    private const int EntriesPerTable = 512;

    private ulong _offset;

    /// <summary>Accesses physical memory at virtual = physical + offset.</summary>
    /// <remarks>Safety: every frame handed to Table must be mapped at that offset, writable.</remarks>
    public PhysicalMemoryAccess(ulong offset) => _offset = offset;

    /// <summary>The offset in use.</summary>
    public ulong Offset => _offset;

    /// <summary>Moves to another mapping of physical memory (after the CR3 switch: the direct map).</summary>
    public void UseOffset(ulong offset) => _offset = offset;

    /// <remarks>Safety: the frame at physicalAddress must be mapped at the current offset and be a page table the caller owns.</remarks>
    public unsafe Span<ulong> Table(ulong physicalAddress) => new Span<ulong>((void*)(_offset + physicalAddress), EntriesPerTable);

    /// <summary>A view of count bytes of physical memory.</summary>
    /// <remarks>Safety: [physicalAddress, +count) must be mapped at the current offset.</remarks>
    public unsafe Span<byte> Bytes(ulong physicalAddress, int count) => new Span<byte>((void*)(_offset + physicalAddress), count);
}
