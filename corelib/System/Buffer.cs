// Memory copy and fill, plus the helpers ILC binds by name (System.Buffer, System.SpanHelpers).
using System.Runtime.CompilerServices;

namespace System;

/// <summary>Byte-level memory operations.</summary>
public static unsafe class Buffer
{
    /// <summary>Copies length bytes; the ranges may overlap.</summary>
    public static void Memmove(ref byte destination, ref byte source, nuint length)
    {
        fixed (byte* d = &destination)
        fixed (byte* s = &source)
            Memmove(d, s, length);
    }

    /// <summary>Copies length bytes; the ranges may overlap.</summary>
    /// <remarks>Safety: both ranges must be valid for length bytes.</remarks>
    public static void Memmove(byte* destination, byte* source, nuint length)
    {
        if (destination == source || length == 0)
            return;
        if (destination < source || destination >= source + length)
        {
            nuint i = 0;
            for (; i + 8 <= length; i += 8)
                *(ulong*)(destination + i) = *(ulong*)(source + i);
            for (; i < length; i++)
                destination[i] = source[i];
        }
        else
        {
            nuint i = length;
            while (i >= 8)
            {
                i -= 8;
                *(ulong*)(destination + i) = *(ulong*)(source + i);
            }
            while (i > 0)
            {
                i--;
                destination[i] = source[i];
            }
        }
    }

    /// <summary>Copies sourceBytesToCopy bytes (the BCL's signature); the ranges may overlap.</summary>
    /// <remarks>Safety: source must be valid for sourceBytesToCopy bytes, destination for destinationSizeInBytes.</remarks>
    public static void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
    {
        if (sourceBytesToCopy < 0 || sourceBytesToCopy > destinationSizeInBytes)
            throw new ArgumentOutOfRangeException(nameof(sourceBytesToCopy));
        Memmove((byte*)destination, (byte*)source, (nuint)sourceBytesToCopy);
    }

    /// <summary>Sets length bytes to zero.</summary>
    public static void ZeroMemory(ref byte destination, nuint length)
    {
        fixed (byte* d = &destination)
            ZeroMemory(d, length);
    }

    /// <summary>Sets length bytes to zero.</summary>
    /// <remarks>Safety: the range must be valid for length bytes.</remarks>
    public static void ZeroMemory(byte* destination, nuint length) => Fill(destination, 0, length);

    /// <summary>Sets length bytes to value.</summary>
    /// <remarks>Safety: the range must be valid for length bytes.</remarks>
    public static void Fill(byte* destination, byte value, nuint length)
    {
        ulong pattern = value * 0x0101010101010101UL;
        nuint i = 0;
        for (; i + 8 <= length; i += 8)
            *(ulong*)(destination + i) = pattern;
        for (; i < length; i++)
            destination[i] = value;
    }

    // Bound by name by ILC for copies of structs that contain references.
    private static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount) =>
        Memmove(ref destination, ref source, byteCount);
}

/// <summary>Helpers ILC binds by name for span and block operations.</summary>
internal static unsafe class SpanHelpers
{
    public static void Memmove(ref byte destination, ref byte source, nuint length) => Buffer.Memmove(ref destination, ref source, length);

    public static void ClearWithoutReferences(ref byte destination, nuint length) => Buffer.ZeroMemory(ref destination, length);

    public static void ClearWithReferences(ref IntPtr destination, nuint pointerCount) =>
        Buffer.ZeroMemory(ref Unsafe.As<IntPtr, byte>(ref destination), pointerCount * (nuint)sizeof(IntPtr));

    public static void Fill(ref byte destination, byte value, nuint length)
    {
        fixed (byte* d = &destination)
            Buffer.Fill(d, value, length);
    }
}
