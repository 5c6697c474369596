// How page-table code reaches physical memory: through the kernel's direct map (or the firmware's identity map
// before it), or through a byte array standing in for RAM in host tests.
using System;

namespace Kernel.Memory;

/// <summary>Access to page tables by physical address.</summary>
public interface IPhysicalMemory
{
    /// <summary>The 512 entries of the table in the frame at physicalAddress.</summary>
    Span<ulong> Table(ulong physicalAddress);
}
