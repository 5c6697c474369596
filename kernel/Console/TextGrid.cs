// Text console cell grid with VT-style cursor semantics and a few ECMA-48 control sequences
// (TextGrid.ControlSequences.cs), independent of any pixel format.
using System;

namespace Kernel.Console;

/// <summary>
/// A Columns x Rows grid of <see cref="Cell"/>s with a cursor, line wrap, tabs, backspace, scrolling and the
/// cursor-movement and erase control sequences listed in TextGrid.ControlSequences.cs.
/// Rows changed since the renderer last called <see cref="MarkClean"/> are reported by <see cref="IsRowDirty"/>,
/// with the changed columns of each row, so a framebuffer never has to be read back and a renderer redraws
/// only the cells that changed.
/// </summary>
/// <remarks>
/// Wrapping is deferred like a VT100: writing the last column leaves the cursor there with
/// <see cref="IsWrapPending"/> set, and only the next printable character moves to a new line. That way
/// a line exactly <see cref="Columns"/> wide followed by '\n' does not leave an empty line behind.
/// </remarks>
public sealed partial class TextGrid
{
    /// <summary>Tab stops are every this many columns.</summary>
    public const int TabWidth = 8;

    private const int Space = ' ';
    private const int ReplacementCharacter = 0xFFFD;
    private const int MaxCodePoint = 0x10FFFF;
    private const int FirstC1Control = 0x80;
    private const int LastC1Control = 0x9F;
    private const int Delete = 0x7F;
    private const char HighSurrogateStart = '\uD800';
    private const char LowSurrogateStart = '\uDC00';
    private const char LowSurrogateEnd = '\uDFFF';
    private const int SurrogateBits = 10;
    private const int SupplementaryPlaneStart = 0x10000;

    private readonly int[] _codePoints;
    private readonly uint[] _foregrounds;
    private readonly uint[] _backgrounds;
    // Per row, the changed columns [start, end); start == end means clean.
    private readonly int[] _dirtyStart;
    private readonly int[] _dirtyEnd;

    // Scrolling rotates the row origin instead of moving every cell.
    private int _firstRow;

    // May equal Columns, meaning a wrap is pending.
    private int _column;
    private int _row;
    private char _pendingHighSurrogate;

    // SaveCursor's copy: the raw column keeps a pending wrap.
    private int _savedColumn;
    private int _savedRow;

    /// <summary>Creates a grid filled with spaces in the given colors; sizes below 1 are raised to 1.</summary>
    public TextGrid(int columns, int rows, uint foreground, uint background)
    {
        Columns = Math.Max(columns, 1);
        Rows = Math.Max(rows, 1);
        Foreground = foreground;
        Background = background;
        _codePoints = new int[Columns * Rows];
        _foregrounds = new uint[Columns * Rows];
        _backgrounds = new uint[Columns * Rows];
        _dirtyStart = new int[Rows];
        _dirtyEnd = new int[Rows];
        Clear();
    }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Cursor column, 0-based; stays on the last column while a wrap is pending.</summary>
    public int CursorColumn => Math.Min(_column, Columns - 1);

    /// <summary>Cursor row, 0-based.</summary>
    public int CursorRow => _row;

    /// <summary>True after the last column was written and before the next character wraps to a new line.</summary>
    public bool IsWrapPending => _column >= Columns;

    /// <summary>Foreground color (0xRRGGBB) for newly written characters.</summary>
    public uint Foreground { get; private set; }

    /// <summary>Background color (0xRRGGBB) for newly written characters, cleared screens and scrolled-in rows.</summary>
    public uint Background { get; private set; }

    /// <summary>Total number of single-row scrolls since creation.</summary>
    public long ScrollCount { get; private set; }

    /// <summary>True if any row needs redrawing.</summary>
    public bool AnyRowDirty
    {
        get
        {
            for (int row = 0; row < Rows; row++)
            {
                if (_dirtyStart[row] < _dirtyEnd[row])
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Sets the colors used by subsequent writes; existing cells keep theirs.</summary>
    public void SetColors(uint foreground, uint background)
    {
        Foreground = foreground;
        Background = background;
    }

    /// <summary>Moves the cursor, clamping to the grid, and cancels any pending wrap.</summary>
    public void SetCursor(int column, int row)
    {
        _column = Math.Min(Math.Max(column, 0), Columns - 1);
        _row = Math.Min(Math.Max(row, 0), Rows - 1);
    }

    /// <summary>
    /// Remembers the cursor, pending wrap included, for <see cref="RestoreCursor"/> (as VT100's DECSC), so text drawn
    /// elsewhere (a status field) does not disturb where the next character of the main text lands.
    /// </summary>
    public void SaveCursor()
    {
        _savedColumn = _column;
        _savedRow = _row;
    }

    /// <summary>Puts the cursor back where <see cref="SaveCursor"/> found it, pending wrap included.</summary>
    public void RestoreCursor()
    {
        _column = Math.Min(Math.Max(_savedColumn, 0), Columns);
        _row = Math.Min(Math.Max(_savedRow, 0), Rows - 1);
    }

    /// <summary>
    /// Fills the grid with spaces in the current colors, homes the cursor, forgets any half-read control sequence
    /// and marks every row dirty.
    /// </summary>
    public void Clear()
    {
        for (int i = 0; i < _codePoints.Length; i++)
        {
            _codePoints[i] = Space;
            _foregrounds[i] = Foreground;
            _backgrounds[i] = Background;
        }

        _firstRow = 0;
        _column = 0;
        _row = 0;
        _pendingHighSurrogate = '\0';
        _sequenceState = SequenceState.Ground;
        MarkAllDirty();
    }

    /// <summary>Writes every UTF-16 unit of <paramref name="text"/>; a null string writes nothing.</summary>
    public void Write(string text)
    {
        if (text == null)
        {
            return;
        }

        for (int i = 0; i < text.Length; i++)
        {
            Write(text[i]);
        }
    }

    /// <summary>
    /// Writes one UTF-16 unit. Surrogate pairs are joined across calls; an unpaired surrogate shows as U+FFFD.
    /// </summary>
    public void Write(char value)
    {
        if (_pendingHighSurrogate != '\0')
        {
            char high = _pendingHighSurrogate;
            _pendingHighSurrogate = '\0';
            if (value >= LowSurrogateStart && value <= LowSurrogateEnd)
            {
                WriteCodePoint(SupplementaryPlaneStart + ((high - HighSurrogateStart) << SurrogateBits) + (value - LowSurrogateStart));
                return;
            }

            WriteCodePoint(ReplacementCharacter);
        }

        if (value >= HighSurrogateStart && value < LowSurrogateStart)
        {
            _pendingHighSurrogate = value;
            return;
        }

        WriteCodePoint(value);
    }

    /// <summary>
    /// Writes one code point: '\n' (carriage return plus line feed), '\r', '\t', '\b' and the control sequences
    /// of TextGrid.ControlSequences.cs are interpreted, other C0/C1 controls and DEL are ignored, invalid code
    /// points show as U+FFFD, everything else fills a cell.
    /// </summary>
    public void WriteCodePoint(int codePoint)
    {
        if (ConsumeControlSequence(codePoint))
        {
            return;
        }

        switch (codePoint)
        {
            case '\n':
                _column = 0;
                LineFeed();
                return;
            case '\r':
                _column = 0;
                return;
            case '\t':
                AdvanceToTabStop();
                return;
            case '\b':
                // Leaving a pending wrap lands on the last column, so "\b \b" erases the character just written.
                if (_column > 0)
                {
                    _column--;
                }

                return;
        }

        if (codePoint < Space || codePoint == Delete || (codePoint >= FirstC1Control && codePoint <= LastC1Control))
        {
            return;
        }

        if (codePoint > MaxCodePoint || (codePoint >= HighSurrogateStart && codePoint <= LowSurrogateEnd))
        {
            codePoint = ReplacementCharacter;
        }

        if (_column >= Columns)
        {
            _column = 0;
            LineFeed();
        }

        int index = IndexOf(_column, _row);
        _codePoints[index] = codePoint;
        _foregrounds[index] = Foreground;
        _backgrounds[index] = Background;
        MarkCellDirty(_column, _row);
        _column++;
    }

    /// <summary>Returns the cell at (<paramref name="column"/>, <paramref name="row"/>), or a default cell when outside the grid.</summary>
    public Cell GetCell(int column, int row)
    {
        if (column < 0 || column >= Columns || row < 0 || row >= Rows)
        {
            return default;
        }

        int index = IndexOf(column, row);
        return new Cell(_codePoints[index], _foregrounds[index], _backgrounds[index]);
    }

    /// <summary>True if <paramref name="row"/> changed since it was last marked clean; false outside the grid.</summary>
    public bool IsRowDirty(int row)
    {
        return row >= 0 && row < Rows && _dirtyStart[row] < _dirtyEnd[row];
    }

    /// <summary>First changed column of <paramref name="row"/> (meaningful when the row is dirty).</summary>
    public int DirtyColumnStart(int row) => row >= 0 && row < Rows ? _dirtyStart[row] : 0;

    /// <summary>One past the last changed column of <paramref name="row"/>; equals the start when clean.</summary>
    public int DirtyColumnEnd(int row) => row >= 0 && row < Rows ? _dirtyEnd[row] : 0;

    /// <summary>Marks one row as drawn.</summary>
    public void MarkRowClean(int row)
    {
        if (row >= 0 && row < Rows)
        {
            _dirtyStart[row] = 0;
            _dirtyEnd[row] = 0;
        }
    }

    /// <summary>Marks every row as drawn.</summary>
    public void MarkClean()
    {
        for (int row = 0; row < Rows; row++)
        {
            _dirtyStart[row] = 0;
            _dirtyEnd[row] = 0;
        }
    }

    /// <summary>Marks every row for redrawing, e.g. after the framebuffer was changed behind the grid's back.</summary>
    public void MarkAllDirty()
    {
        for (int row = 0; row < Rows; row++)
        {
            _dirtyStart[row] = 0;
            _dirtyEnd[row] = Columns;
        }
    }

    private void MarkCellDirty(int column, int row)
    {
        if (_dirtyStart[row] == _dirtyEnd[row])
        {
            _dirtyStart[row] = column;
            _dirtyEnd[row] = column + 1;
            return;
        }

        _dirtyStart[row] = Math.Min(_dirtyStart[row], column);
        _dirtyEnd[row] = Math.Max(_dirtyEnd[row], column + 1);
    }

    private int IndexOf(int column, int row)
    {
        int physicalRow = _firstRow + row;
        if (physicalRow >= Rows)
        {
            physicalRow -= Rows;
        }

        return physicalRow * Columns + column;
    }

    private void AdvanceToTabStop()
    {
        // A tab stop past the last column wraps to the start of the next line.
        int nextStop = (_column / TabWidth + 1) * TabWidth;
        if (nextStop >= Columns)
        {
            _column = 0;
            LineFeed();
        }
        else
        {
            _column = nextStop;
        }
    }

    private void LineFeed()
    {
        if (_row + 1 < Rows)
        {
            _row++;
            return;
        }

        // The old top row becomes the new bottom row and is blanked.
        _firstRow = _firstRow + 1 == Rows ? 0 : _firstRow + 1;
        int start = IndexOf(0, Rows - 1);
        for (int i = start; i < start + Columns; i++)
        {
            _codePoints[i] = Space;
            _foregrounds[i] = Foreground;
            _backgrounds[i] = Background;
        }

        ScrollCount++;
        MarkAllDirty();
    }
}
