// The translation lookaside buffer (Intel SDM Vol. 3A §4.10.4): dropped one page at a time with invlpg.
using Kernel.Memory;

namespace Kernel.Arch
{
    /// <summary>The TLB, flushed one page at a time.</summary>
    internal sealed class Tlb : ITranslationCache
    {
        public void Invalidate(ulong virtualAddress) => Native.InvalidatePage(virtualAddress);
    }
}
