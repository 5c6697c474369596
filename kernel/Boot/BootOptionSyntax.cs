// Lexical helpers for boot options: tokens, names, numbers (no BCL text APIs are available in the kernel).
using System;

namespace Kernel.Boot;

/// <summary>Character-level parsing and formatting used by <see cref="BootOptions"/>.</summary>
public static class BootOptionSyntax
{
    private const int MaxDimensionDigits = 5;
    private const int DecimalBase = 10;
    private const char ReplacementChar = '\uFFFD';
    private const byte FirstNonAsciiByte = 0x80;

    /// <summary>Parses <c>WxH</c> (x or X) with both dimensions inside the accepted bounds.</summary>
    internal static bool TryParseVideoMode(ReadOnlySpan<char> value, out int width, out int height)
    {
        height = 0;
        int separator = 0;
        while (separator < value.Length && value[separator] != 'x' && value[separator] != 'X')
        {
            separator++;
        }

        return TryParseDecimal(value.Slice(0, separator), BootOptions.MinVideoWidth, BootOptions.MaxVideoWidth, out width)
            && separator < value.Length
            && TryParseDecimal(value.Slice(separator + 1), BootOptions.MinVideoHeight, BootOptions.MaxVideoHeight, out height);
    }

    /// <summary>Parses a short unsigned decimal number and checks it lies in [min, max].</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<char> digits, int min, int max, out int result)
    {
        result = 0;
        if (digits.IsEmpty || digits.Length > MaxDimensionDigits)
        {
            return false;
        }

        for (int i = 0; i < digits.Length; i++)
        {
            char c = digits[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            result = result * DecimalBase + (c - '0');
        }

        return result >= min && result <= max;
    }

    /// <summary>Returns 0, 1 or 2 for the name <paramref name="value"/> equals (ignoring ASCII case), else -1.</summary>
    internal static int IndexOfName(ReadOnlySpan<char> value, string name0, string name1, string name2)
    {
        return EqualsIgnoreCase(value, name0) ? 0 : EqualsIgnoreCase(value, name1) ? 1 : EqualsIgnoreCase(value, name2) ? 2 : -1;
    }

    /// <summary>True for 1 to <see cref="BootOptions.MaxTestNameLength"/> characters from [A-Za-z0-9._-].</summary>
    internal static bool IsValidTestName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > BootOptions.MaxTestNameLength)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the token names an EFI image (ends in .efi, any case, quotes allowed).</summary>
    internal static bool IsProgramPath(ReadOnlySpan<char> token, bool quoted)
    {
        if (quoted && token.Length >= 2 && token[token.Length - 1] == '"')
        {
            token = token.Slice(1, token.Length - 2);
        }

        const string Extension = ".efi";
        return token.Length > Extension.Length && EqualsIgnoreCase(token.Slice(token.Length - Extension.Length), Extension);
    }

    /// <summary>True for the characters that separate options.</summary>
    internal static bool IsSeparator(int c)
    {
        // NUL only reaches here from boot.cfg; LoadOptions stop at the first one.
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == '\0';
    }

    /// <summary>Compares with ASCII case folding; option names and keywords are ASCII only.</summary>
    internal static bool EqualsIgnoreCase(ReadOnlySpan<char> text, string expected)
    {
        if (text.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (ToLowerAscii(text[i]) != ToLowerAscii(expected[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lower-cases A-Z and leaves everything else alone.</summary>
    internal static char ToLowerAscii(char c)
    {
        return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
    }

    /// <summary>Widens a boot.cfg token to chars, keeping at most one char more than a token may have.</summary>
    // Option syntax is pure ASCII, so non-ASCII bytes need no decoding: they only have to fail validation
    // and stay visible in the diagnostic.
    internal static ReadOnlySpan<char> ToChars(ReadOnlySpan<byte> bytes)
    {
        char[] chars = new char[Math.Min(bytes.Length, BootOptions.MaxTokenLength + 1)];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = bytes[i] < FirstNonAsciiByte ? (char)bytes[i] : ReplacementChar;
        }

        return new ReadOnlySpan<char>(chars);
    }

    /// <summary>Formats a non-negative number of up to five digits.</summary>
    internal static string FormatDecimal(int value)
    {
        // Only called with validated video dimensions, which are positive.
        char[] digits = new char[MaxDimensionDigits];
        int start = digits.Length;
        do
        {
            digits[--start] = (char)('0' + value % DecimalBase);
            value /= DecimalBase;
        }
        while (value > 0 && start > 0);

        return new string(new ReadOnlySpan<char>(digits, start, digits.Length - start));
    }
}
