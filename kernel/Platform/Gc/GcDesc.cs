// How the collector reads an object (RUNTIME-NOTES A3; dotnet/runtime src/coreclr/gc/gcdesc.h and
// src/coreclr/tools/Common/Internal/Runtime/GCDescEncoder.cs): the MethodTable's flags and base size give the
// object's size, and the GCDesc in front of the MethodTable lists where its references are. Reads raw memory only,
// so the host tests run it over synthetic MethodTables.
namespace Kernel.Gc;

/// <summary>Receives each reference slot of an object.</summary>
public interface IReferenceVisitor
{
    /// <summary>A slot holding a reference (or null).</summary>
    /// <remarks>Safety: slot points into the object being visited and stays valid for the call.</remarks>
    unsafe void Visit(ulong* slot);
}

/// <summary>Object size and reference layout from a MethodTable (ILC 10.0.12 layout).</summary>
public static unsafe class GcDesc
{
    /// <summary>Flag: the component size is in the low 16 bits of the flags (arrays, strings).</summary>
    public const uint HasComponentSizeFlag = 0x80000000;

    /// <summary>Flag: instances hold references, and a GCDesc precedes the MethodTable.</summary>
    public const uint HasPointersFlag = 0x01000000;

    /// <summary>Flag: the type has a finalizer (RhpNewFinalizable; refused by this kernel).</summary>
    public const uint HasFinalizerFlag = 0x00100000;

    /// <summary>Bytes of the header word in front of every object.</summary>
    public const ulong ObjectHeaderBytes = 8;

    private const int BaseSizeOffset = 4;
    private const int ArrayLengthOffset = 8;
    private const ulong SeriesBytes = 16;

    /// <summary>
    /// Bytes an object occupies counting its header word: align8(BaseSize + length x ComponentSize); the object
    /// (its MethodTable word) starts 8 bytes into them.
    /// </summary>
    /// <remarks>Safety: obj must point at a readable object whose MethodTable is readable.</remarks>
    public static ulong ObjectSize(ulong obj)
    {
        ulong mt = *(ulong*)obj;
        uint flags = *(uint*)mt;
        ulong size = *(uint*)(mt + BaseSizeOffset);
        if ((flags & HasComponentSizeFlag) != 0)
            size += (ulong)*(uint*)(obj + ArrayLengthOffset) * (flags & 0xFFFF);
        return (size + 7) & ~7UL;
    }

    /// <summary>Whether the object's type holds references.</summary>
    /// <remarks>Safety: as for ObjectSize.</remarks>
    public static bool HasPointers(ulong obj) => (*(uint*)*(ulong*)obj & HasPointersFlag) != 0;

    /// <summary>
    /// Calls the visitor for every reference slot of obj, in address order within each series. A positive series
    /// count lists (size - objectSize, offset) pairs below MT[-1]; a negative one describes arrays of structs: MT[-2]
    /// is the first element's offset and each (pointer count, skip) half-word pair below it repeats per element.
    /// </summary>
    /// <remarks>Safety: as for ObjectSize; the visitor must not free the object.</remarks>
    public static void VisitReferences<TVisitor>(ulong obj, ref TVisitor visitor) where TVisitor : struct, IReferenceVisitor
    {
        ulong mt = *(ulong*)obj;
        if ((*(uint*)mt & HasPointersFlag) == 0)
            return;
        long seriesCount = *(long*)(mt - 8);
        ulong size = ObjectSize(obj);
        if (seriesCount > 0)
        {
            for (long i = 0; i < seriesCount; i++)
            {
                ulong series = mt - 8 - SeriesBytes * (ulong)(i + 1);
                ulong offset = *(ulong*)(series + 8);
                ulong bytes = *(ulong*)series + size;
                for (ulong slot = obj + offset; slot < obj + offset + bytes; slot += 8)
                    visitor.Visit((ulong*)slot);
            }
            return;
        }
        // Arrays of structs with references: the highest series holds the start offset and the first item.
        ulong highest = mt - 8 - SeriesBytes;
        ulong cursor = obj + *(ulong*)(highest + 8);
        uint elements = *(uint*)(obj + ArrayLengthOffset);
        for (uint element = 0; element < elements; element++)
        {
            for (long item = 0; item > seriesCount; item--)
            {
                ulong itemAddress = highest + (ulong)(item * 8);
                uint pointers = *(uint*)itemAddress;
                uint skip = *(uint*)(itemAddress + 4);
                for (uint p = 0; p < pointers; p++, cursor += 8)
                    visitor.Visit((ulong*)cursor);
                cursor += skip;
            }
        }
    }
}
