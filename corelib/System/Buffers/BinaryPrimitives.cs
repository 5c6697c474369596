// The part of the BCL's System.Buffers.Binary.BinaryPrimitives the kernel uses: little-endian reads and writes of
// 16-, 32- and 64-bit integers in spans (device structures: xHCI rings and contexts, USB descriptors). A span too
// short for the value throws ArgumentOutOfRangeException, as in .NET.
namespace System.Buffers.Binary;
/// <summary>Reads and writes integers in byte spans in a stated byte order.</summary>
public static class BinaryPrimitives
{
    /// <summary>Reads a little-endian ushort from the first two bytes.</summary>
    public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> source)
    {
        Check(source.Length, 2);
        return (ushort)(source[0] | source[1] << 8);
    }

    /// <summary>Reads a little-endian uint from the first four bytes.</summary>
    public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> source)
    {
        Check(source.Length, 4);
        return source[0] | (uint)source[1] << 8 | (uint)source[2] << 16 | (uint)source[3] << 24;
    }

    /// <summary>Reads a little-endian ulong from the first eight bytes.</summary>
    public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> source)
    {
        Check(source.Length, 8);
        return ReadUInt32LittleEndian(source) | (ulong)ReadUInt32LittleEndian(source.Slice(4)) << 32;
    }

    /// <summary>Writes value little-endian into the first two bytes.</summary>
    public static void WriteUInt16LittleEndian(Span<byte> destination, ushort value)
    {
        Check(destination.Length, 2);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
    }

    /// <summary>Writes value little-endian into the first four bytes.</summary>
    public static void WriteUInt32LittleEndian(Span<byte> destination, uint value)
    {
        Check(destination.Length, 4);
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
        destination[3] = (byte)(value >> 24);
    }

    /// <summary>Writes value little-endian into the first eight bytes.</summary>
    public static void WriteUInt64LittleEndian(Span<byte> destination, ulong value)
    {
        Check(destination.Length, 8);
        WriteUInt32LittleEndian(destination, (uint)value);
        WriteUInt32LittleEndian(destination.Slice(4), (uint)(value >> 32));
    }

    private static void Check(int length, int needed)
    {
        if (length < needed)
            throw new ArgumentOutOfRangeException("destination");
    }
}
