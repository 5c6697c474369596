// Where page tables get frames for new tables: the frame allocator in the kernel, a fake in host tests.
namespace Kernel.Memory;

/// <summary>A supply of zero-or-garbage physical frames.</summary>
public interface IFrameSource
{
    /// <summary>One 4 KiB frame, or false when there is none.</summary>
    bool TryAllocateFrame(out ulong physicalAddress);
}
