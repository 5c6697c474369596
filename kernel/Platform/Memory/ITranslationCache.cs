// The TLB: cached translations that must be dropped after a page-table change (Intel SDM Vol. 3A §4.10.4).
namespace Kernel.Memory;

/// <summary>Invalidates cached translations after a change.</summary>
public interface ITranslationCache
{
    /// <summary>Drops the TLB entry for virtualAddress (invlpg).</summary>
    void Invalidate(ulong virtualAddress);
}
