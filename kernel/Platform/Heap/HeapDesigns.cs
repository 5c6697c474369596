// Chooses a heap design by the name the heap= boot option uses.
namespace Kernel.Heap;

/// <summary>The heap designs by name: bump, list, block, tlsf (the default).</summary>
public static class HeapDesigns
{
    /// <summary>The design the kernel uses when heap= is not given.</summary>
    public const string Default = "tlsf";

    /// <summary>Whether name is one of the designs Create knows.</summary>
    public static bool IsKnown(string name) => name == "bump" || name == "list" || name == "block" || name == "tlsf";

    /// <summary>A new heap of the named design over [start, start + initialBytes), or null for an unknown name.</summary>
    /// <remarks>Safety: the region must be readable and writable and used by nothing else (see the designs).</remarks>
    public static IHeapAllocator Create(string name, ulong start, ulong initialBytes, IHeapGrowth growth)
    {
        if (name == "tlsf")
            return new TlsfAllocator(start, initialBytes, growth);
        if (name == "bump")
            return new BumpAllocator(start, initialBytes, growth);
        if (name == "list")
            return new LinkedListAllocator(start, initialBytes, growth);
        if (name == "block")
            return new FixedSizeBlockAllocator(start, initialBytes, growth);
        return null;
    }
}
