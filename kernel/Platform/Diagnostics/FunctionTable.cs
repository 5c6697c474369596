// The image's exception directory (.pdata, Microsoft PE/COFF "The .pdata Section"): one RUNTIME_FUNCTION
// {BeginAddress, EndAddress, UnwindInfoAddress} per function, sorted by address. ILC writes one per managed method
// and one per funclet, each funclet after its method; shim/*.asm adds hand-written ones for its frames.
using System;

namespace Kernel.Diagnostics;

/// <summary>One RUNTIME_FUNCTION: a function's code range and its unwind record, all image-relative.</summary>
public readonly struct RuntimeFunction
{
    /// <summary>Describes a function.</summary>
    public RuntimeFunction(uint begin, uint end, uint unwindRva)
    {
        Begin = begin;
        End = end;
        UnwindRva = unwindRva;
    }

    /// <summary>RVA of the first instruction.</summary>
    public uint Begin { get; }

    /// <summary>RVA just past the last instruction.</summary>
    public uint End { get; }

    /// <summary>RVA of the UNWIND_INFO.</summary>
    public uint UnwindRva { get; }
}

/// <summary>Lookups in the sorted .pdata table of an image (the image given as a span indexed by RVA).</summary>
public readonly struct FunctionTable
{
    private const int EntryBytes = 12;

    /// <summary>Describes the table at tableRva (sizeInBytes long) and the range holding managed code.</summary>
    public FunctionTable(uint tableRva, uint sizeInBytes, uint managedStart, uint managedEnd)
    {
        TableRva = tableRva;
        Count = (int)(sizeInBytes / EntryBytes);
        ManagedStart = managedStart;
        ManagedEnd = managedEnd;
    }

    /// <summary>Where the table starts.</summary>
    public uint TableRva { get; }

    /// <summary>Number of entries.</summary>
    public int Count { get; }

    /// <summary>Start of the section ILC's code is in (.managed): only its records carry NativeAOT's trailer.</summary>
    public uint ManagedStart { get; }

    /// <summary>End of that section.</summary>
    public uint ManagedEnd { get; }

    /// <summary>Whether rva is in managed code.</summary>
    public bool IsManaged(uint rva) => rva >= ManagedStart && rva < ManagedEnd;

    /// <summary>The entry at index.</summary>
    public RuntimeFunction At(ReadOnlySpan<byte> image, int index)
    {
        uint at = TableRva + (uint)(index * EntryBytes);
        UnwindRecord.TryReadUInt32(image, at, out uint begin);
        UnwindRecord.TryReadUInt32(image, at + 4, out uint end);
        UnwindRecord.TryReadUInt32(image, at + 8, out uint unwind);
        return new RuntimeFunction(begin, end, unwind);
    }

    /// <summary>The index of the function containing rva, or -1 (then the code has no unwind record: a leaf, or not code).</summary>
    public int IndexOf(ReadOnlySpan<byte> image, uint rva)
    {
        if ((ulong)TableRva + (ulong)Count * EntryBytes > (ulong)image.Length)
            return -1;
        int low = 0;
        int high = Count - 1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            RuntimeFunction entry = At(image, middle);
            if (rva < entry.Begin)
                high = middle - 1;
            else if (rva >= entry.End)
                low = middle + 1;
            else
                return middle;
        }
        return -1;
    }

    /// <summary>
    /// The method body a managed funclet belongs to: the nearest root entry at or before index (funclets follow
    /// their method), or -1 when the records cannot be read.
    /// </summary>
    public int RootOf(ReadOnlySpan<byte> image, int index)
    {
        for (int i = index; i >= 0; i--)
        {
            RuntimeFunction entry = At(image, i);
            if (!IsManaged(entry.Begin))
                return -1;
            if (UnwindRecord.TryReadManaged(image, entry.UnwindRva, out UnwindRecord record) != UnwindStatus.Ok)
                return -1;
            if (record.Kind == FunctionKind.Root)
                return i;
        }
        return -1;
    }
}
