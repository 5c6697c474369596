// The bit stream GC info is written in (dotnet/runtime src/coreclr/inc/gcinfodecoder.h, BitStreamReader): bits are
// taken least significant first from consecutive little-endian bytes, a multi-bit field's first bit is its lowest,
// and numbers use a variable-length code of (base + 1)-bit chunks whose top bit says another chunk follows.
using System;

namespace Kernel.Gc;

/// <summary>Reads GC info's bit fields; reading past the end yields zeros and sets Overrun.</summary>
public ref struct GcInfoBitReader
{
    private readonly ReadOnlySpan<byte> _data;

    /// <summary>Reads data from bit position.</summary>
    public GcInfoBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        Position = position;
        Overrun = false;
    }

    /// <summary>The next bit to read, counted from the start of the data.</summary>
    public int Position { get; set; }

    /// <summary>Whether a read went past the end of the data (the blob is truncated or corrupt).</summary>
    public bool Overrun { get; private set; }

    /// <summary>One bit.</summary>
    public bool ReadBit() => Read(1) != 0;

    /// <summary>A field of count bits (0 to 32), first bit lowest.</summary>
    public uint Read(int count)
    {
        uint value = 0;
        for (int i = 0; i < count; i++)
        {
            int bit = Position++;
            int index = bit >> 3;
            if (index >= _data.Length)
            {
                Overrun = true;
                continue;
            }
            value |= (uint)((_data[index] >> (bit & 7)) & 1) << i;
        }
        return value;
    }

    /// <summary>Moves past count bits.</summary>
    public void Skip(int count) => Position += count;

    /// <summary>An unsigned number in chunks of encodingBase bits plus a continuation bit.</summary>
    public uint ReadVarUnsigned(int encodingBase)
    {
        uint result = 0;
        uint more = 1u << encodingBase;
        for (int shift = 0; shift < 32; shift += encodingBase)
        {
            uint chunk = Read(encodingBase + 1);
            result |= (chunk & (more - 1)) << shift;
            if ((chunk & more) == 0 || Overrun)
                return result;
        }
        Overrun = true;
        return result;
    }

    /// <summary>A signed number in the same chunks, sign-extended from its last chunk's top value bit.</summary>
    public int ReadVarSigned(int encodingBase)
    {
        long result = 0;
        uint more = 1u << encodingBase;
        for (int shift = 0; shift < 64; shift += encodingBase)
        {
            uint chunk = Read(encodingBase + 1);
            result |= (long)(chunk & (more - 1)) << shift;
            if ((chunk & more) == 0 || Overrun)
            {
                int bits = shift + encodingBase;
                return bits >= 64 ? (int)result : (int)(result << (64 - bits) >> (64 - bits));
            }
        }
        Overrun = true;
        return (int)result;
    }

    /// <summary>Bits needed for a code offset below limit: ceil(log2(limit)), 0 for limit 1 (CeilOfLog2 in gcinfotypes.h).</summary>
    public static int BitsFor(uint limit)
    {
        int bits = 0;
        while (bits < 32 && (1UL << bits) < limit)
            bits++;
        return bits;
    }
}
