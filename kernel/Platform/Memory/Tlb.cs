// The translation lookaside buffer (Intel SDM Vol. 3A §4.10.4): dropped one page at a time with invlpg. Every CPU
// has its own, so once other CPUs run, a mapping that is removed or narrowed is dropped on all of them (a TLB
// shootdown, §4.10.5): the CPUs chapter installs how (Processors.ShootDown); until then only this CPU's is dropped.
using System;
using Kernel.Arch;

namespace Kernel.Memory;

/// <summary>The TLB, flushed one page at a time, on every CPU.</summary>
public sealed class Tlb : ITranslationCache
{
    private static Action<ulong> s_otherCpus;

    /// <summary>Sets how the other CPUs drop a page from their TLBs (and how this one waits for them).</summary>
    public static void SetShootDown(Action<ulong> otherCpus) => s_otherCpus = otherCpus;

    /// <summary>Drops the page at virtualAddress from this CPU's TLB and then from every other CPU's.</summary>
    public void Invalidate(ulong virtualAddress)
    {
        Cpu.InvalidatePage(virtualAddress);
        s_otherCpus?.Invoke(virtualAddress);
    }
}
