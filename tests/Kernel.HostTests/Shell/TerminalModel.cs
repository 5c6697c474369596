// A minimal model of the consoles the line editor echoes to: one row of cells and a cursor, where printable
// characters overwrite the cell under the cursor and advance, '\b' moves left without erasing (stopping at
// column 0), '\r' returns to column 0 and '\n' starts a fresh row. The framebuffer console (TextGrid) and VT100
// terminals treat these the same way while a line fits in one row.
using System.Collections.Generic;
using System.Text;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

internal sealed class TerminalModel
{
    private const int Width = 4096;

    private readonly char[] _row = new char[Width];

    // One past the rightmost cell ever written on this row: everything from here on is still blank.
    private int _used;

    public TerminalModel(string prompt = "")
    {
        ClearRow();
        Prompt = prompt;
        WritePrompt();
    }

    public string Prompt { get; }

    public int Column { get; private set; }

    /// <summary>Rows finished with '\n', trailing blanks removed.</summary>
    public List<string> CompletedRows { get; } = new List<string>();

    /// <summary>The leftmost column the cursor reached on the current row after the prompt was drawn.</summary>
    public int LowestColumnSinceNewLine { get; private set; }

    public void Write(string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\b':
                    if (Column > 0)
                    {
                        Column--;
                    }

                    break;
                case '\r':
                    Column = 0;
                    break;
                case '\n':
                    CompletedRows.Add(CurrentRow());
                    ClearRow();
                    Column = 0;
                    break;
                default:
                    if (c < ' ' || c == '\u007F')
                    {
                        Assert.Fail("echo contains the unexpected control character " + (int)c);
                    }

                    _row[Column++] = c;
                    _used = System.Math.Max(_used, Column);
                    break;
            }

            LowestColumnSinceNewLine = c == '\n' ? 0 : System.Math.Min(LowestColumnSinceNewLine, Column);
        }
    }

    /// <summary>Draws the prompt, as the shell does at the start of each line.</summary>
    public void WritePrompt()
    {
        Write(Prompt);
        LowestColumnSinceNewLine = Column;
    }

    /// <summary>The current row without trailing blanks.</summary>
    public string CurrentRow() => new string(_row, 0, _used).TrimEnd(' ');

    /// <summary>
    /// Asserts the row shows the prompt, then exactly the editor's line with nothing left over after it, with
    /// the cursor at the editor's cursor, and that no echo ever stepped back into the prompt.
    /// </summary>
    public void AssertShows(LineEditor editor)
    {
        string text = editor.Text;
        string expectedRow = Prompt + text;
        string shown = new string(_row, 0, expectedRow.Length);
        Assert.Equal(expectedRow, shown);
        for (int i = expectedRow.Length; i < _used; i++)
        {
            if (_row[i] != ' ')
            {
                Assert.Fail("stale character '" + _row[i] + "' left at column " + i);
            }
        }

        Assert.Equal(Prompt.Length + editor.Cursor, Column);
        Assert.True(LowestColumnSinceNewLine >= Prompt.Length, "the echo moved the cursor into the prompt");
    }

    private void ClearRow()
    {
        System.Array.Fill(_row, ' ');
        _used = 0;
    }
}
