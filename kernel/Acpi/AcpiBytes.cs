// Little-endian field access, checksums and text for ACPI structures (ACPI 6.5 §5.2: all multi-byte fields are
// little-endian; a table's checksum makes all its bytes sum to zero modulo 256).
using System;

namespace Kernel.Acpi;

/// <summary>Helpers shared by the ACPI table parsers. Every read is bounds-checked by the span.</summary>
public static class AcpiBytes
{
    private const char Unprintable = '?';
    private const byte FirstPrintable = 0x20;
    private const byte LastPrintable = 0x7E;

    /// <summary>The 16-bit little-endian value at <paramref name="offset"/>.</summary>
    public static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) =>
        (ushort)(data[offset] | (data[offset + 1] << 8));

    /// <summary>The 32-bit little-endian value at <paramref name="offset"/>.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        (uint)data[offset] | ((uint)data[offset + 1] << 8) | ((uint)data[offset + 2] << 16) | ((uint)data[offset + 3] << 24);

    /// <summary>The 64-bit little-endian value at <paramref name="offset"/>.</summary>
    public static ulong ReadUInt64(ReadOnlySpan<byte> data, int offset) =>
        ReadUInt32(data, offset) | ((ulong)ReadUInt32(data, offset + 4) << 32);

    /// <summary>Whether the bytes sum to zero modulo 256, the rule every ACPI checksum follows.</summary>
    public static bool ChecksumIsValid(ReadOnlySpan<byte> data)
    {
        byte sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum = (byte)(sum + data[i]);
        }

        return sum == 0;
    }

    /// <summary>Whether <paramref name="data"/> starts with the ASCII text <paramref name="text"/>.</summary>
    public static bool StartsWithAscii(ReadOnlySpan<byte> data, string text)
    {
        if (data.Length < text.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (data[i] != (byte)text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every byte is printable ASCII, as table signatures are.</summary>
    public static bool IsPrintableAscii(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] < FirstPrintable || data[i] > LastPrintable)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The bytes as text with unprintable bytes shown as '?'; with <paramref name="trimPadding"/> trailing spaces
    /// and NULs (how OEM ids are padded) are dropped.
    /// </summary>
    public static string Text(ReadOnlySpan<byte> data, bool trimPadding)
    {
        int length = data.Length;
        while (trimPadding && length > 0 && (data[length - 1] == (byte)' ' || data[length - 1] == 0))
        {
            length--;
        }

        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            byte b = data[i];
            chars[i] = b >= FirstPrintable && b <= LastPrintable ? (char)b : Unprintable;
        }

        return new string(chars);
    }

    /// <summary>"0x" followed by lowercase hex digits, for messages.</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("x");
}
