// The kernel log's storage: a fixed ring of characters and a fixed ring of line records, both allocated once.
// Adding a line copies it in and, when the ring is full, forgets the oldest lines; nothing is allocated per line.
using System;

namespace Kernel.Diagnostics;

/// <summary>
/// Lines of text with a timestamp each, numbered from 0 in the order they were added, of which the newest that fit
/// are kept: at most <see cref="LineCapacity"/> lines and <see cref="CharacterCapacity"/> characters. Lines longer
/// than <see cref="MaxLineLength"/> are cut (and counted); a '\n' inside a line starts a new one.
/// </summary>
public sealed class LogRing
{
    private const ulong MicrosecondsPerSecond = 1_000_000;

    private readonly char[] _characters;
    private readonly ulong[] _timestamps;
    private readonly long[] _starts;
    private readonly int[] _lengths;
    private long _charactersWritten;
    private long _firstLine;
    private long _nextLine;

    /// <summary>Creates an empty ring (capacities of at least 16 characters and 1 line).</summary>
    public LogRing(int characterCapacity, int lineCapacity)
    {
        _characters = new char[Math.Max(characterCapacity, 16)];
        lineCapacity = Math.Max(lineCapacity, 1);
        _timestamps = new ulong[lineCapacity];
        _starts = new long[lineCapacity];
        _lengths = new int[lineCapacity];
    }

    /// <summary>Most characters held.</summary>
    public int CharacterCapacity => _characters.Length;

    /// <summary>Most lines held.</summary>
    public int LineCapacity => _lengths.Length;

    /// <summary>Longest line kept whole: a quarter of the characters, so one line never empties the ring.</summary>
    public int MaxLineLength => _characters.Length / 4;

    /// <summary>Number of the oldest line still held (equal to <see cref="NextLine"/> when empty).</summary>
    public long FirstLine => _firstLine;

    /// <summary>Number the next added line will get; also the count of lines ever added.</summary>
    public long NextLine => _nextLine;

    /// <summary>Lines held now.</summary>
    public int Count => (int)(_nextLine - _firstLine);

    /// <summary>Lines forgotten to make room for newer ones.</summary>
    public long ForgottenLines => _firstLine;

    /// <summary>Lines cut to <see cref="MaxLineLength"/>.</summary>
    public long CutLines { get; private set; }

    /// <summary>Adds text stamped with timestamp, one line per '\n'-separated part (a trailing '\n' adds no empty line).</summary>
    public void Add(ulong timestamp, ReadOnlySpan<char> text)
    {
        while (true)
        {
            int newline = text.IndexOf('\n');
            if (newline < 0)
            {
                AddLine(timestamp, text);
                return;
            }
            AddLine(timestamp, text.Slice(0, newline));
            text = text.Slice(newline + 1);
            if (text.IsEmpty)
                return;
        }
    }

    /// <summary>Whether line number is still held.</summary>
    public bool Holds(long line) => line >= _firstLine && line < _nextLine;

    /// <summary>The timestamp of a held line (0 for one not held).</summary>
    public ulong TimestampOf(long line) => Holds(line) ? _timestamps[Slot(line)] : 0;

    /// <summary>The length of a held line (0 for one not held).</summary>
    public int LengthOf(long line) => Holds(line) ? _lengths[Slot(line)] : 0;

    /// <summary>Copies a held line's text into destination (as much as fits) and returns the characters copied.</summary>
    public int CopyText(long line, Span<char> destination)
    {
        if (!Holds(line))
            return 0;
        int slot = Slot(line);
        int length = Math.Min(_lengths[slot], destination.Length);
        int at = (int)(_starts[slot] % _characters.Length);
        int firstPart = Math.Min(length, _characters.Length - at);
        _characters.AsSpan(at, firstPart).CopyTo(destination);
        _characters.AsSpan(0, length - firstPart).CopyTo(destination.Slice(firstPart));
        return length;
    }

    private void AddLine(ulong timestamp, ReadOnlySpan<char> text)
    {
        if (text.Length > MaxLineLength)
        {
            text = text.Slice(0, MaxLineLength);
            CutLines++;
        }
        if (_nextLine - _firstLine == LineCapacity)
            _firstLine++;
        // Forget the oldest lines whose characters the new one will overwrite.
        long newEnd = _charactersWritten + text.Length;
        while (_firstLine < _nextLine && _starts[Slot(_firstLine)] < newEnd - _characters.Length)
            _firstLine++;
        int at = (int)(_charactersWritten % _characters.Length);
        int firstPart = Math.Min(text.Length, _characters.Length - at);
        text.Slice(0, firstPart).CopyTo(_characters.AsSpan(at, firstPart));
        text.Slice(firstPart).CopyTo(_characters.AsSpan());
        int slot = Slot(_nextLine);
        _timestamps[slot] = timestamp;
        _starts[slot] = _charactersWritten;
        _lengths[slot] = text.Length;
        _charactersWritten = newEnd;
        _nextLine++;
    }

    /// <summary>
    /// A timestamp as seconds with six decimals, right-aligned in 5 digits before the point ("    1.234567"), or
    /// as "cycles N" while the TSC rate is unknown (tscHz 0).
    /// </summary>
    public static string FormatTimestamp(ulong cycles, ulong tscHz)
    {
        if (tscHz == 0)
            return "cycles " + cycles.ToString();
        ulong seconds = cycles / tscHz;
        ulong micros = cycles % tscHz * MicrosecondsPerSecond / tscHz;
        string whole = seconds.ToString();
        string fraction = micros.ToString();
        return new string(' ', Math.Max(0, 5 - whole.Length)) + whole + "." + new string('0', 6 - fraction.Length) + fraction;
    }

    private int Slot(long line) => (int)(line % _lengths.Length);
}
