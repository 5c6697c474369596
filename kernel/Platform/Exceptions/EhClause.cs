// A method's EH clause table as NativeAOT's compiler writes it (the __ehinfo_<method> blob the .xdata trailer points
// to; read by the runtime's CoffNativeCodeManager::EHEnumNext): a clause count, then per clause the try start,
// (try length << 2) | kind, the handler's offset, and for a typed catch the caught type's MethodTable RVA (4 bytes)
// or for a filter the filter funclet's offset. Numbers use NativeAOT's variable-length encoding (see ReadUnsigned).
// Clauses come innermost first; offsets count from the start of the method body.
using System;

namespace Kernel.Exceptions;

/// <summary>What a clause does.</summary>
public enum EhClauseKind
{
    /// <summary>catch (T): TypeRva names T's MethodTable.</summary>
    Typed = 0,

    /// <summary>finally or fault: runs in the second pass.</summary>
    Fault = 1,

    /// <summary>catch when (...): FilterOffset is the filter funclet.</summary>
    Filter = 2,
}

/// <summary>One protected region and its handler.</summary>
public readonly struct EhClause
{
    /// <summary>Describes a clause.</summary>
    public EhClause(EhClauseKind kind, uint tryStart, uint tryEnd, uint handlerOffset, uint typeRva, uint filterOffset)
    {
        Kind = kind;
        TryStart = tryStart;
        TryEnd = tryEnd;
        HandlerOffset = handlerOffset;
        TypeRva = typeRva;
        FilterOffset = filterOffset;
    }

    /// <summary>Typed catch, finally/fault or filter.</summary>
    public EhClauseKind Kind { get; }

    /// <summary>First code offset of the protected region.</summary>
    public uint TryStart { get; }

    /// <summary>Code offset just past the protected region.</summary>
    public uint TryEnd { get; }

    /// <summary>Code offset of the handler funclet.</summary>
    public uint HandlerOffset { get; }

    /// <summary>RVA of the caught type's MethodTable (typed clauses only).</summary>
    public uint TypeRva { get; }

    /// <summary>Code offset of the filter funclet (filter clauses only).</summary>
    public uint FilterOffset { get; }

    /// <summary>Whether the protected region contains codeOffset.</summary>
    public bool Contains(uint codeOffset) => codeOffset >= TryStart && codeOffset < TryEnd;

    /// <summary>Whether other has the same protected region (sibling handlers of one try).</summary>
    public bool SameTry(EhClause other) => TryStart == other.TryStart && TryEnd == other.TryEnd;
}

/// <summary>Reads the clauses of one EH info blob in order.</summary>
public ref struct EhClauseReader
{
    private readonly ReadOnlySpan<byte> _image;
    private uint _at;
    private int _left;

    private EhClauseReader(ReadOnlySpan<byte> image, uint at, int count)
    {
        _image = image;
        _at = at;
        _left = count;
        Count = count;
        Failed = false;
    }

    /// <summary>How many clauses the blob holds.</summary>
    public int Count { get; }

    /// <summary>Whether a clause ran past the image or used an unknown kind or encoding.</summary>
    public bool Failed { get; private set; }

    /// <summary>Starts reading the blob at ehInfoRva of image (a span indexed by RVA).</summary>
    public static bool TryOpen(ReadOnlySpan<byte> image, uint ehInfoRva, out EhClauseReader reader)
    {
        reader = default;
        uint at = ehInfoRva;
        if (!ReadUnsigned(image, ref at, out uint count) || count > 0xFFFF)
            return false;
        reader = new EhClauseReader(image, at, (int)count);
        return true;
    }

    /// <summary>The next clause, or false at the end (or on a malformed blob: then Failed is set).</summary>
    public bool Next(out EhClause clause)
    {
        clause = default;
        if (_left == 0 || Failed)
            return false;
        _left--;
        uint typeRva = 0;
        uint filter = 0;
        if (!ReadUnsigned(_image, ref _at, out uint tryStart) || !ReadUnsigned(_image, ref _at, out uint lengthAndKind)
            || !ReadUnsigned(_image, ref _at, out uint handler))
            return Fail();
        var kind = (EhClauseKind)(lengthAndKind & 3);
        if (kind == EhClauseKind.Typed)
        {
            if (!ReadUInt32(_image, _at, out typeRva))
                return Fail();
            _at += 4;
        }
        else if (kind == EhClauseKind.Filter)
        {
            if (!ReadUnsigned(_image, ref _at, out filter))
                return Fail();
        }
        else if (kind != EhClauseKind.Fault)
        {
            return Fail();
        }
        clause = new EhClause(kind, tryStart, tryStart + (lengthAndKind >> 2), handler, typeRva, filter);
        return true;
    }

    /// <summary>
    /// NativeAOT's unsigned encoding: the low bits of the first byte say the length. x0: 7 bits in one byte;
    /// x01: 14 bits in two; x011: 21 in three; x0111: 28 in four; 01111: a full 32-bit value in the next four bytes.
    /// </summary>
    public static bool ReadUnsigned(ReadOnlySpan<byte> data, ref uint at, out uint value)
    {
        value = 0;
        if (at >= (uint)data.Length)
            return false;
        uint first = data[(int)at];
        int length = (first & 1) == 0 ? 1 : (first & 2) == 0 ? 2 : (first & 4) == 0 ? 3 : (first & 8) == 0 ? 4 : (first & 16) == 0 ? 5 : 0;
        if (length == 0 || (ulong)at + (ulong)length > (ulong)data.Length)
            return false;
        int i = (int)at;
        value = length switch
        {
            1 => first >> 1,
            2 => (first >> 2) | (uint)data[i + 1] << 6,
            3 => (first >> 3) | (uint)data[i + 1] << 5 | (uint)data[i + 2] << 13,
            4 => (first >> 4) | (uint)data[i + 1] << 4 | (uint)data[i + 2] << 12 | (uint)data[i + 3] << 20,
            _ => data[i + 1] | (uint)data[i + 2] << 8 | (uint)data[i + 3] << 16 | (uint)data[i + 4] << 24,
        };
        at += (uint)length;
        return true;
    }

    private static bool ReadUInt32(ReadOnlySpan<byte> data, uint at, out uint value)
    {
        value = 0;
        if ((ulong)at + 4 > (ulong)data.Length)
            return false;
        int i = (int)at;
        value = data[i] | (uint)data[i + 1] << 8 | (uint)data[i + 2] << 16 | (uint)data[i + 3] << 24;
        return true;
    }

    private bool Fail()
    {
        Failed = true;
        return false;
    }
}
