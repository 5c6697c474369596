// How ACPI table parsing reaches physical memory (ACPI 6.5 §5.2: tables are found by physical address): the
// kernel implements it over its direct map, host tests over captured table bytes.
using System;

namespace Kernel.Memory;

/// <summary>Copies bytes out of physical memory, refusing addresses that are not backed by readable memory.</summary>
public interface IPhysicalMemoryReader
{
    /// <summary>
    /// Copies <c>destination.Length</c> bytes starting at <paramref name="physicalAddress"/> into
    /// <paramref name="destination"/>. Returns false, leaving the contents of <paramref name="destination"/>
    /// undefined, when any byte of the range is not readable (unmapped, or past the end of memory).
    /// </summary>
    bool TryRead(ulong physicalAddress, Span<byte> destination);
}
