// How the unwinder reads the stack: saved registers and return addresses. The kernel reads its own stacks; the
// host tests read a byte array standing in for one.
namespace Kernel.Diagnostics;

/// <summary>Reads 64-bit values from a stack being unwound.</summary>
public interface IUnwindMemory
{
    /// <summary>The 8 bytes at address, or false when they may not be read (unmapped, outside the stack).</summary>
    bool TryRead(ulong address, out ulong value);
}
