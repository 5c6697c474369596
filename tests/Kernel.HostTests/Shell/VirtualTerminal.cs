// A model of the terminals the line editor echoes to, written from xterm's documented behaviour rather than from
// the kernel's TextGrid, so the editor's echo is checked against an independent reading of VT100/ECMA-48.
using System;
using System.Text;
using Xunit;

namespace Kernel.HostTests.Shell;

/// <summary>
/// A Columns x Rows screen with xterm's cursor rules: a character written into the last column leaves the cursor
/// there with a wrap pending, and the next printable character wraps (scrolling at the bottom row). Understands
/// printable characters, '\n' (as CR LF: the kernel's serial driver and TextGrid both treat it so), '\r', '\b',
/// BEL (counted), and the control sequences CUU/CUD/CUF/CUB (ESC [ n A/B/C/D), CHA (G), CUP (H), ED (J) and
/// EL (K). Anything else fails the test, and so does a '\b' or a control sequence while a wrap is pending: that
/// is where xterm, the Linux console and the kernel's TextGrid disagree, so an echo must never rely on it.
/// </summary>
internal sealed class VirtualTerminal
{
    private const char Escape = '\u001b';
    private const char Bell = '\u0007';

    private readonly char[,] _cells;

    public VirtualTerminal(int columns, int rows)
    {
        Columns = columns;
        Rows = rows;
        _cells = new char[rows, columns];
        EraseRows(0, rows);
    }

    public int Columns { get; }

    public int Rows { get; }

    public int Column { get; private set; }

    public int Row { get; private set; }

    public bool IsWrapPending { get; private set; }

    /// <summary>Rows scrolled off the top so far.</summary>
    public int ScrollCount { get; private set; }

    /// <summary>BEL characters received.</summary>
    public int Bells { get; private set; }

    public char this[int column, int row] => _cells[row, column];

    public void Write(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == Escape)
            {
                i = ControlSequence(text, i);
                continue;
            }

            switch (c)
            {
                case '\n':
                    Column = 0;
                    IsWrapPending = false;
                    LineFeed();
                    break;
                case '\r':
                    Column = 0;
                    IsWrapPending = false;
                    break;
                case '\b':
                    Assert.False(IsWrapPending, "'\\b' while a wrap is pending: terminals disagree where it goes");
                    Column = Math.Max(Column - 1, 0);
                    break;
                case Bell:
                    Bells++;
                    break;
                default:
                    Assert.True(c >= ' ' && c != '\u007F' && (c < '\u0080' || c > '\u009F'), "unexpected control character " + (int)c + " in the echo");
                    Print(c);
                    break;
            }
        }
    }

    public void Write(string text) => Write(text.AsSpan());

    /// <summary>The characters of <paramref name="count"/> cells from (column, row) on, row after row.</summary>
    public string Read(int column, int row, int count)
    {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            int cell = row * Columns + column + i;
            int r = cell / Columns;
            text.Append(r >= 0 && r < Rows ? _cells[r, cell % Columns] : '\0');
        }

        return text.ToString();
    }

    /// <summary>The screen as text, one line per row, with the cursor marked, for failure messages.</summary>
    public string Dump()
    {
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < Rows; row++)
        {
            text.Append('|');
            for (int column = 0; column < Columns; column++)
            {
                text.Append(_cells[row, column]);
            }

            text.Append('|');
            if (row == Row)
            {
                text.Append(" <- cursor at column " + Column + (IsWrapPending ? " (wrap pending)" : ""));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private void Print(char c)
    {
        if (IsWrapPending)
        {
            Column = 0;
            IsWrapPending = false;
            LineFeed();
        }

        _cells[Row, Column] = c;
        if (Column == Columns - 1)
        {
            IsWrapPending = true;
        }
        else
        {
            Column++;
        }
    }

    private void LineFeed()
    {
        if (Row < Rows - 1)
        {
            Row++;
            return;
        }

        for (int row = 1; row < Rows; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                _cells[row - 1, column] = _cells[row, column];
            }
        }

        EraseRows(Rows - 1, Rows);
        ScrollCount++;
    }

    // Reads ESC [ params final starting at text[start]; returns the index of the final byte.
    private int ControlSequence(ReadOnlySpan<char> text, int start)
    {
        Assert.False(IsWrapPending, "a control sequence while a wrap is pending: terminals disagree where the cursor is");
        Assert.True(start + 1 < text.Length && text[start + 1] == '[', "ESC not followed by '[' in the echo");
        int[] parameters = new int[2];
        int index = 0;
        int i = start + 2;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= '0' && c <= '9')
            {
                parameters[index] = parameters[index] * 10 + (c - '0');
            }
            else if (c == ';' && index == 0)
            {
                index = 1;
            }
            else
            {
                break;
            }
        }

        Assert.True(i < text.Length, "control sequence cut off at the end of an echo");
        int n = Math.Max(parameters[0], 1);
        switch (text[i])
        {
            case 'A':
                Row = Math.Max(Row - n, 0);
                break;
            case 'B':
                Row = Math.Min(Row + n, Rows - 1);
                break;
            case 'C':
                Column = Math.Min(Column + n, Columns - 1);
                break;
            case 'D':
                Column = Math.Max(Column - n, 0);
                break;
            case 'G':
                Column = Math.Min(n, Columns) - 1;
                break;
            case 'H':
                Row = Math.Min(n, Rows) - 1;
                Column = Math.Min(Math.Max(parameters[1], 1), Columns) - 1;
                break;
            case 'J':
                Erase(parameters[0], 0, Rows);
                break;
            case 'K':
                Erase(parameters[0], Row, Row + 1);
                break;
            default:
                Assert.Fail("control sequence with final '" + text[i] + "' is outside the subset the consoles understand");
                break;
        }

        return i;
    }

    // ED/EL: 0 from the cursor on, 1 up to the cursor, 2 everything, within rows [first, end).
    private void Erase(int selector, int first, int end)
    {
        for (int row = first; row < end; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                bool after = row > Row || (row == Row && column >= Column);
                bool before = row < Row || (row == Row && column <= Column);
                if (selector == 2 || (selector == 0 && after) || (selector == 1 && before))
                {
                    _cells[row, column] = ' ';
                }
            }
        }
    }

    private void EraseRows(int first, int end)
    {
        for (int row = first; row < end; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                _cells[row, column] = ' ';
            }
        }
    }
}
