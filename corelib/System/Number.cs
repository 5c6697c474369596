// Integer-to-text formatting: decimal and fixed-width hexadecimal, without allocation beyond the result.
namespace System;

/// <summary>Formats integers as decimal or hexadecimal text.</summary>
internal static class Number
{
    private const int MaxDecimalDigits = 20;

    /// <summary>Signed decimal.</summary>
    public static string Format(long value)
    {
        if (value >= 0)
            return Format((ulong)value);
        Span<char> buffer = stackalloc char[MaxDecimalDigits + 1];
        int start = WriteDecimal(buffer, 0 - (ulong)value);
        buffer[--start] = '-';
        return new string(buffer.Slice(start));
    }

    /// <summary>Unsigned decimal.</summary>
    public static string Format(ulong value)
    {
        Span<char> buffer = stackalloc char[MaxDecimalDigits];
        int start = WriteDecimal(buffer, value);
        return new string(buffer.Slice(start));
    }

    /// <summary>Signed: hex of the two's complement in bits bits for "x"/"X" formats, else signed decimal.</summary>
    public static string Format(long value, string format, int bits) =>
        IsHex(format) ? Format((ulong)value, format, bits) : Format(value);

    /// <summary>
    /// "x"/"X" (optionally followed by a minimum digit count, e.g. "x8") gives hex; anything else decimal.
    /// </summary>
    public static string Format(ulong value, string format, int bits)
    {
        if (!IsHex(format))
            return Format(value);
        int minDigits = 1;
        if (format.Length > 1)
        {
            minDigits = 0;
            for (int i = 1; i < format.Length && format[i] >= '0' && format[i] <= '9'; i++)
                minDigits = minDigits * 10 + (format[i] - '0');
        }
        if (bits < 64)
            value &= (1UL << bits) - 1;
        Span<char> buffer = stackalloc char[32];
        int digits = WriteHex(buffer, value, minDigits > 32 ? 32 : minDigits, format[0] == 'X');
        return new string(buffer.Slice(buffer.Length - digits));
    }

    private static bool IsHex(string format) => format != null && format.Length > 0 && (format[0] == 'x' || format[0] == 'X');

    /// <summary>Writes decimal digits right-aligned into buffer; returns the index of the first digit.</summary>
    public static int WriteDecimal(Span<char> buffer, ulong value)
    {
        int i = buffer.Length;
        do
        {
            buffer[--i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);
        return i;
    }

    /// <summary>Writes hex digits right-aligned into buffer; returns the digit count.</summary>
    public static int WriteHex(Span<char> buffer, ulong value, int minDigits, bool upperCase)
    {
        int letterBase = upperCase ? 'A' - 10 : 'a' - 10;
        int count = 0;
        int i = buffer.Length;
        while ((value != 0 || count < minDigits) && i > 0)
        {
            int nibble = (int)(value & 0xF);
            buffer[--i] = (char)(nibble < 10 ? '0' + nibble : letterBase + nibble);
            value >>= 4;
            count++;
        }
        if (count == 0)
        {
            buffer[--i] = '0';
            count = 1;
        }
        return count;
    }
}
