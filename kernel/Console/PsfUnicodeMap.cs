// Code point to glyph lookup built from a PSF unicode table (Linux kbd psf notes, "The Unicode table").
using System;

namespace Kernel.Console;

/// <summary>
/// Sorted (code point, glyph) pairs decoded from a PSF1 (UCS-2) or PSF2 (UTF-8) unicode table.
/// Only single-code-point descriptions are kept; combining sequences are validated and skipped,
/// because the console draws one glyph per cell.
/// </summary>
public sealed class PsfUnicodeMap
{
    private const ushort Psf1Separator = 0xFFFF;
    private const ushort Psf1SequenceStart = 0xFFFE;
    private const byte Psf2Separator = 0xFF;
    private const byte Psf2SequenceStart = 0xFE;

    private readonly uint[] _codePoints;
    private readonly ushort[] _glyphs;
    private readonly int _count;

    private PsfUnicodeMap(uint[] codePoints, ushort[] glyphs, int count)
    {
        _codePoints = codePoints;
        _glyphs = glyphs;
        _count = count;
    }

    /// <summary>Number of distinct code points that map to a glyph.</summary>
    public int Count => _count;

    /// <summary>
    /// Decodes <paramref name="table"/>, which must hold one description per glyph. Bytes after the
    /// last glyph's separator are ignored, as the format does not forbid trailing padding.
    /// </summary>
    public static PsfParseStatus TryBuild(ReadOnlySpan<byte> table, int glyphCount, bool isUtf8, out PsfUnicodeMap map)
    {
        map = null;

        // First pass only validates and counts, so the arrays are allocated once at the exact size.
        int entryCount;
        PsfParseStatus status = Walk(table, glyphCount, isUtf8, null, null, out entryCount);
        if (status != PsfParseStatus.Ok)
        {
            return status;
        }

        if (entryCount > PsfFont.MaxUnicodeMapEntries)
        {
            return PsfParseStatus.UnicodeTableTooLarge;
        }

        uint[] codePoints = new uint[entryCount];
        ushort[] glyphs = new ushort[entryCount];
        Walk(table, glyphCount, isUtf8, codePoints, glyphs, out entryCount);

        HeapSort(codePoints, glyphs, entryCount);

        // Fonts occasionally list a code point under two glyphs; the lowest glyph index wins so the
        // choice does not depend on table order.
        int distinct = 0;
        for (int i = 0; i < entryCount; i++)
        {
            if (distinct == 0 || codePoints[distinct - 1] != codePoints[i])
            {
                codePoints[distinct] = codePoints[i];
                glyphs[distinct] = glyphs[i];
                distinct++;
            }
        }

        map = new PsfUnicodeMap(codePoints, glyphs, distinct);
        return PsfParseStatus.Ok;
    }

    /// <summary>Looks up the glyph for <paramref name="codePoint"/> by binary search.</summary>
    public bool TryFind(int codePoint, out int glyph)
    {
        glyph = 0;
        if (codePoint < 0)
        {
            return false;
        }

        uint key = (uint)codePoint;
        int low = 0;
        int high = _count - 1;
        while (low <= high)
        {
            int mid = low + ((high - low) >> 1);
            uint value = _codePoints[mid];
            if (value == key)
            {
                glyph = _glyphs[mid];
                return true;
            }

            if (value < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return false;
    }

    private static PsfParseStatus Walk(
        ReadOnlySpan<byte> table, int glyphCount, bool isUtf8, uint[] codePoints, ushort[] glyphs, out int entryCount)
    {
        entryCount = 0;
        int position = 0;
        int glyph = 0;
        bool inSequence = false;
        while (glyph < glyphCount)
        {
            uint codePoint;
            if (isUtf8)
            {
                if (position >= table.Length)
                {
                    return PsfParseStatus.MalformedUnicodeTable;
                }

                byte lead = table[position];
                if (lead == Psf2Separator || lead == Psf2SequenceStart)
                {
                    position++;
                    inSequence = lead == Psf2SequenceStart;
                    glyph += lead == Psf2Separator ? 1 : 0;
                    continue;
                }

                int length = DecodeUtf8(table.Slice(position), out codePoint);
                if (length == 0)
                {
                    return PsfParseStatus.MalformedUnicodeTable;
                }

                position += length;
            }
            else
            {
                if (position + 2 > table.Length)
                {
                    return PsfParseStatus.MalformedUnicodeTable;
                }

                ushort unit = (ushort)(table[position] | (table[position + 1] << 8));
                position += 2;
                if (unit == Psf1Separator || unit == Psf1SequenceStart)
                {
                    inSequence = unit == Psf1SequenceStart;
                    glyph += unit == Psf1Separator ? 1 : 0;
                    continue;
                }

                codePoint = unit;
            }

            if (inSequence)
            {
                continue;
            }

            if (codePoints != null)
            {
                codePoints[entryCount] = codePoint;
                glyphs[entryCount] = (ushort)glyph;
            }

            entryCount++;
            if (codePoints == null && entryCount > PsfFont.MaxUnicodeMapEntries)
            {
                // Counting further is pointless and an adversarial table could be huge.
                return PsfParseStatus.Ok;
            }
        }

        return PsfParseStatus.Ok;
    }

    /// <summary>
    /// Decodes one UTF-8 scalar value (RFC 3629 table 3-7 well-formed sequences only: no overlongs,
    /// no surrogates, nothing above U+10FFFF). Returns the byte length, or 0 when malformed.
    /// </summary>
    private static int DecodeUtf8(ReadOnlySpan<byte> bytes, out uint codePoint)
    {
        codePoint = 0;
        byte lead = bytes[0];
        if (lead < 0x80)
        {
            codePoint = lead;
            return 1;
        }

        int length;
        byte minSecond = 0x80;
        byte maxSecond = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF)
        {
            length = 2;
            codePoint = (uint)(lead & 0x1F);
        }
        else if (lead >= 0xE0 && lead <= 0xEF)
        {
            length = 3;
            codePoint = (uint)(lead & 0x0F);
            minSecond = lead == 0xE0 ? (byte)0xA0 : (byte)0x80;
            maxSecond = lead == 0xED ? (byte)0x9F : (byte)0xBF;
        }
        else if (lead >= 0xF0 && lead <= 0xF4)
        {
            length = 4;
            codePoint = (uint)(lead & 0x07);
            minSecond = lead == 0xF0 ? (byte)0x90 : (byte)0x80;
            maxSecond = lead == 0xF4 ? (byte)0x8F : (byte)0xBF;
        }
        else
        {
            return 0;
        }

        if (bytes.Length < length)
        {
            return 0;
        }

        for (int i = 1; i < length; i++)
        {
            byte next = bytes[i];
            byte min = i == 1 ? minSecond : (byte)0x80;
            byte max = i == 1 ? maxSecond : (byte)0xBF;
            if (next < min || next > max)
            {
                return 0;
            }

            codePoint = (codePoint << 6) | (uint)(next & 0x3F);
        }

        return length;
    }

    // Heapsort keeps the worst case at O(n log n) without recursion or scratch memory.
    private static void HeapSort(uint[] keys, ushort[] values, int count)
    {
        for (int start = count / 2 - 1; start >= 0; start--)
        {
            SiftDown(keys, values, start, count);
        }

        for (int end = count - 1; end > 0; end--)
        {
            Swap(keys, values, 0, end);
            SiftDown(keys, values, 0, end);
        }
    }

    private static void SiftDown(uint[] keys, ushort[] values, int root, int count)
    {
        while (true)
        {
            int child = root * 2 + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && IsLess(keys, values, child, child + 1))
            {
                child++;
            }

            if (!IsLess(keys, values, root, child))
            {
                return;
            }

            Swap(keys, values, root, child);
            root = child;
        }
    }

    private static bool IsLess(uint[] keys, ushort[] values, int a, int b)
    {
        return keys[a] < keys[b] || (keys[a] == keys[b] && values[a] < values[b]);
    }

    private static void Swap(uint[] keys, ushort[] values, int a, int b)
    {
        uint key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        ushort value = values[a];
        values[a] = values[b];
        values[b] = value;
    }
}
