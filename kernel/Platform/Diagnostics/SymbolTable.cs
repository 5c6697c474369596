// The kernel's symbol table: names for code and type addresses, so a panic can say which method faulted and an
// exception can name its type. The build writes it from lld-link's map (scripts/SymbolTableGen) as kernel.sym
// on the ESP; the kernel reads it before ExitBootServices.
//
// Format (little-endian): "KSYM", u32 version (1), u32 entry count, u32 name bytes; entries sorted by RVA, each
// { u32 rva, u32 name offset, u32 kind }; then the names, ASCII, each NUL-terminated.
using System;

namespace Kernel.Diagnostics;

/// <summary>What a symbol names.</summary>
public enum SymbolKind : uint
{
    /// <summary>A method or native routine.</summary>
    Code = 0,

    /// <summary>A type's MethodTable.</summary>
    Type = 1,

    /// <summary>Other data in the image.</summary>
    Data = 2,
}

/// <summary>Why a symbol table was rejected.</summary>
public enum SymbolTableStatus
{
    Ok,
    TooShort,
    BadMagic,
    UnsupportedVersion,
    Truncated,
    NameOutOfRange,
    NotSorted,
}

/// <summary>A read-only, sorted address-to-name table.</summary>
public sealed class SymbolTable
{
    /// <summary>The current format version.</summary>
    public const uint Version = 1;

    /// <summary>Header size in bytes.</summary>
    public const int HeaderSize = 16;

    /// <summary>Entry size in bytes.</summary>
    public const int EntrySize = 12;

    private readonly byte[] _data;
    private readonly int _count;
    private readonly int _namesStart;

    private SymbolTable(byte[] data, int count, int namesStart)
    {
        _data = data;
        _count = count;
        _namesStart = namesStart;
    }

    /// <summary>Number of symbols.</summary>
    public int Count => _count;

    /// <summary>Why a table was rejected, in words for the boot log.</summary>
    public static string StatusName(SymbolTableStatus status) => status switch
    {
        SymbolTableStatus.Ok => "ok",
        SymbolTableStatus.TooShort => "too short",
        SymbolTableStatus.BadMagic => "bad magic",
        SymbolTableStatus.UnsupportedVersion => "unsupported version",
        SymbolTableStatus.Truncated => "truncated",
        SymbolTableStatus.NameOutOfRange => "name out of range",
        SymbolTableStatus.NotSorted => "not sorted",
        _ => "unknown",
    };

    /// <summary>Validates and copies a table.</summary>
    public static SymbolTableStatus TryParse(ReadOnlySpan<byte> data, out SymbolTable table)
    {
        table = null;
        if (data.Length < HeaderSize)
            return SymbolTableStatus.TooShort;
        if (data[0] != (byte)'K' || data[1] != (byte)'S' || data[2] != (byte)'Y' || data[3] != (byte)'M')
            return SymbolTableStatus.BadMagic;
        if (ReadUInt32(data, 4) != Version)
            return SymbolTableStatus.UnsupportedVersion;
        uint count = ReadUInt32(data, 8);
        uint nameBytes = ReadUInt32(data, 12);
        ulong needed = HeaderSize + (ulong)count * EntrySize + nameBytes;
        if (needed > (ulong)data.Length)
            return SymbolTableStatus.Truncated;
        int namesStart = HeaderSize + (int)count * EntrySize;
        uint previous = 0;
        for (int i = 0; i < (int)count; i++)
        {
            int entry = HeaderSize + i * EntrySize;
            uint rva = ReadUInt32(data, entry);
            uint nameOffset = ReadUInt32(data, entry + 4);
            if (rva < previous)
                return SymbolTableStatus.NotSorted;
            previous = rva;
            if (nameOffset >= nameBytes || data.Slice(namesStart + (int)nameOffset, (int)(nameBytes - nameOffset)).IndexOf((byte)0) < 0)
                return SymbolTableStatus.NameOutOfRange;
        }
        table = new SymbolTable(data.Slice(0, (int)needed).ToArray(), (int)count, namesStart);
        return SymbolTableStatus.Ok;
    }

    /// <summary>The code symbol containing rva (the nearest one at or below it), or -1.</summary>
    public int FindCode(uint rva)
    {
        int found = FindNearest(rva);
        while (found >= 0 && KindAt(found) != SymbolKind.Code)
            found--;
        return found;
    }

    /// <summary>The type symbol exactly at rva, or -1.</summary>
    public int FindType(uint rva)
    {
        int index = FindNearest(rva);
        while (index >= 0 && RvaAt(index) == rva)
        {
            if (KindAt(index) == SymbolKind.Type)
                return index;
            index--;
        }
        return -1;
    }

    /// <summary>The symbol's RVA.</summary>
    public uint RvaAt(int index) => ReadUInt32(_data, HeaderSize + index * EntrySize);

    /// <summary>The symbol's kind.</summary>
    public SymbolKind KindAt(int index) => (SymbolKind)ReadUInt32(_data, HeaderSize + index * EntrySize + 8);

    /// <summary>The symbol's name.</summary>
    public string NameAt(int index)
    {
        int start = _namesStart + (int)ReadUInt32(_data, HeaderSize + index * EntrySize + 4);
        int length = 0;
        while (_data[start + length] != 0)
            length++;
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
            chars[i] = (char)_data[start + i];
        return new string(chars);
    }

    /// <summary>The symbol of any kind at or below rva (the last one of equal addresses), or -1.</summary>
    public int FindNearest(uint rva)
    {
        int low = 0;
        int high = _count - 1;
        int found = -1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            if (RvaAt(middle) <= rva)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        data[offset] | (uint)data[offset + 1] << 8 | (uint)data[offset + 2] << 16 | (uint)data[offset + 3] << 24;
}
