// One step of a generated heap workload, printed the way a shrunk failure should read: "Allocate(24, 16)",
// "Free(#3)", "Reallocate(#0, 500)", "FreeAll". #n picks a live block by index, modulo the live count, so every
// sequence CsCheck generates or shrinks to stays meaningful (a Free with nothing live does nothing).
namespace Kernel.HostTests.Heap;

public abstract record HeapOperation
{
    public sealed record Allocate(ulong Size, ulong Alignment) : HeapOperation
    {
        public override string ToString() => $"Allocate({Size}, {Alignment})";
    }

    public sealed record Free(int Pick) : HeapOperation
    {
        public override string ToString() => $"Free(#{Pick})";
    }

    /// <summary>Resizes a live block to NewSize, or to half its size when Halve is set.</summary>
    public sealed record Reallocate(int Pick, ulong NewSize, bool Halve) : HeapOperation
    {
        public override string ToString() => Halve ? $"Reallocate(#{Pick}, half)" : $"Reallocate(#{Pick}, {NewSize})";
    }

    /// <summary>Frees every live block, and the heap must be back in its starting state.</summary>
    public sealed record FreeAll : HeapOperation
    {
        public override string ToString() => "FreeAll";
    }
}
