// Lets pure table parsers (ACPI) read physical memory through the kernel's direct map.
using System;

namespace Kernel.Memory;

/// <summary>Copies physical memory out of the direct map, refusing addresses it does not cover.</summary>
public sealed class DirectMapReader : IPhysicalMemoryReader
{
    public bool TryRead(ulong physicalAddress, Span<byte> destination)
    {
        ulong end = physicalAddress + (ulong)destination.Length;
        if (end < physicalAddress || end > KernelAddressSpace.DirectMapBytes)
            return false;
        KernelAddressSpace.PhysicalBytes(physicalAddress, destination.Length).CopyTo(destination);
        return true;
    }
}
