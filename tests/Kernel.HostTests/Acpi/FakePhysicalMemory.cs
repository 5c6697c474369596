// Physical memory for ACPI host tests: separate byte regions at physical addresses, everything else unreadable.
using System;
using System.Collections.Generic;
using Kernel.Acpi;
using Kernel.Memory;

namespace Kernel.HostTests.Acpi;

/// <summary>An <see cref="IPhysicalMemoryReader"/> over regions of bytes; a read must fall inside one region.</summary>
public sealed class FakePhysicalMemory : IPhysicalMemoryReader
{
    private readonly SortedDictionary<ulong, byte[]> _regions = new();

    /// <summary>Number of TryRead calls, successful or not.</summary>
    public int Reads { get; private set; }

    /// <summary>Places bytes at a physical address (replacing a region that starts there).</summary>
    public FakePhysicalMemory Add(ulong address, byte[] bytes)
    {
        _regions[address] = bytes;
        return this;
    }

    /// <summary>The region starting at address (tests corrupt tables through it).</summary>
    public byte[] RegionAt(ulong address) => _regions[address];

    public bool TryRead(ulong physicalAddress, Span<byte> destination)
    {
        Reads++;
        foreach (KeyValuePair<ulong, byte[]> region in _regions)
        {
            ulong start = region.Key;
            ulong end = start + (ulong)region.Value.Length;
            if (physicalAddress >= start && physicalAddress < end && (ulong)destination.Length <= end - physicalAddress)
            {
                region.Value.AsSpan((int)(physicalAddress - start), destination.Length).CopyTo(destination);
                return true;
            }
        }

        return false;
    }
}
