// The translation lookaside buffer (Intel SDM Vol. 3A §4.10.4): dropped one page at a time with invlpg.
using Kernel.Arch;

namespace Kernel.Memory;

/// <summary>The TLB, flushed one page at a time.</summary>
public sealed class Tlb : ITranslationCache
{
    public void Invalidate(ulong virtualAddress) => Cpu.InvalidatePage(virtualAddress);
}
