// A line editor wired to two screens the way the kernel wires it to its consoles: every echo goes to the
// xterm-rule VirtualTerminal and to the kernel's own TextGrid, and after each step both must show exactly the
// prompt and the line, wrapped, with the cursor on the editor's cursor.
using System;
using System.Collections.Generic;
using Kernel.Console;
using Kernel.Input;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

internal sealed class EditorSession
{
    private const uint Foreground = 0xC0C0C0;
    private const uint Background = 0x000000;

    private int _seenScrolls;
    private bool _refusedThisLine;

    /// <summary>A session whose first prompt is written on row <paramref name="startRow"/>.</summary>
    public EditorSession(string prompt, int width, int rows, int maxLength, int startRow = 0)
    {
        Editor = new LineEditor(prompt, width, maxLength);
        Terminal = new VirtualTerminal(Editor.Width, rows);
        Grid = new TextGrid(Editor.Width, rows, Foreground, Background);
        for (int i = 0; i < startRow; i++)
        {
            Write("\n");
        }

        WritePrompt();
    }

    public LineEditor Editor { get; }

    public VirtualTerminal Terminal { get; }

    public TextGrid Grid { get; }

    /// <summary>The row the current prompt starts on.</summary>
    public int AnchorRow { get; private set; }

    /// <summary>Lines submitted with Enter, and lines abandoned with Ctrl-C.</summary>
    public List<string> Submitted { get; } = new List<string>();

    public List<string> Cancelled { get; } = new List<string>();

    /// <summary>Everything echoed so far, for failure messages.</summary>
    public string Transcript => _transcript.ToString();

    private readonly System.Text.StringBuilder _transcript = new System.Text.StringBuilder();

    public string FullNote => "(line full: at most " + Editor.MaxLength + " characters)";

    public void Type(string text)
    {
        foreach (char c in text)
        {
            Press(InputKey.Typed(c));
        }
    }

    public void Press(params InputKey[] keys)
    {
        foreach (InputKey key in keys)
        {
            Press(key);
        }
    }

    /// <summary>Applies a key, writes its echo to both screens and checks them.</summary>
    public LineEditOutcome Press(InputKey key)
    {
        string prompt = Editor.Prompt;
        string before = Editor.Text;
        int refusedBefore = Editor.RefusedCount;
        int anchor = AnchorRow;
        ReadOnlySpan<char> echo = Editor.ApplyEcho(key, out LineEditOutcome outcome);
        Write(echo);
        anchor -= NewScrolls();
        switch (outcome)
        {
            case LineEditOutcome.Submitted:
                ExpectFinishedLine(anchor, prompt + before);
                Submitted.Add(Editor.Text);
                Editor.Clear();
                WritePrompt(anchor, prompt.Length + before.Length);
                break;
            case LineEditOutcome.Cancelled:
                ExpectFinishedLine(anchor, prompt + before + "^C");
                Cancelled.Add(before);
                WritePrompt(anchor, prompt.Length + before.Length + 2);
                break;
            default:
                if (key.IsCtrl('L'))
                {
                    AnchorRow = 0;
                }
                else if (Editor.RefusedCount > refusedBefore && !_refusedThisLine)
                {
                    // The note goes under the line, and prompt and line are drawn again under the note.
                    _refusedThisLine = true;
                    int newAnchor = Terminal.Row - (Editor.PromptColumn + Editor.Cursor) / Editor.Width;
                    int noteRows = (FullNote.Length + Editor.Width - 1) / Editor.Width;
                    Check(Terminal.Read(0, newAnchor - noteRows, FullNote.Length) == FullNote, "the line-full note is not right above the redrawn line");
                    Check(newAnchor - noteRows >= anchor + RowsOf(prompt.Length + before.Length), "the note overlaps the line");
                    AnchorRow = newAnchor;
                }
                else
                {
                    AnchorRow = anchor;
                }

                break;
        }

        AssertShowsLine();
        return outcome;
    }

    /// <summary>Replaces the line as history recall does, and checks the screens.</summary>
    public void SetText(string text)
    {
        Write(Editor.SetTextEcho(text));
        AnchorRow -= NewScrolls();
        AssertShowsLine();
    }

    /// <summary>Both screens show the prompt and the line from the anchor on, blanks after, the cursor in place.</summary>
    public void AssertShowsLine()
    {
        AssertScreensAgree();
        string expected = Editor.Prompt + Editor.Text;
        Check(AnchorRow >= 0, "the prompt scrolled off the screen (make the test screen taller)");
        Check(Terminal.Read(0, AnchorRow, expected.Length) == expected, "the screen does not show the prompt and the line");
        int cells = Terminal.Rows * Terminal.Columns;
        Check(Terminal.Read(0, AnchorRow, cells - AnchorRow * Terminal.Columns).Substring(expected.Length).Trim(' ').Length == 0,
            "something is left on the screen after the line");
        int cursorCell = AnchorRow * Terminal.Columns + Editor.PromptColumn + Editor.Cursor;
        Check(!Terminal.IsWrapPending, "the echo left a wrap pending");
        Check(Terminal.Row * Terminal.Columns + Terminal.Column == cursorCell,
            "the screen's cursor is not on the editor's cursor (" + Editor.Cursor + ")");
    }

    private void AssertScreensAgree()
    {
        for (int row = 0; row < Terminal.Rows; row++)
        {
            for (int column = 0; column < Terminal.Columns; column++)
            {
                if (Grid.GetCell(column, row).CodePoint != Terminal[column, row])
                {
                    Check(false, "TextGrid differs from the xterm model at column " + column + ", row " + row);
                }
            }
        }

        Check((Grid.CursorColumn, Grid.CursorRow, Grid.IsWrapPending) == (Terminal.Column, Terminal.Row, Terminal.IsWrapPending),
            "TextGrid's cursor (" + Grid.CursorColumn + ", " + Grid.CursorRow + (Grid.IsWrapPending ? ", wrap pending" : "") + ") differs from the xterm model's");
        Check(Grid.ScrollCount == Terminal.ScrollCount, "TextGrid scrolled differently from the xterm model");
    }

    // A line finished with Enter or Ctrl-C: its text stays at the anchor and the cursor is ready for a new row.
    private void ExpectFinishedLine(int anchor, string shown)
    {
        AssertScreensAgree();
        Check(Terminal.Read(0, anchor, shown.Length) == shown, "the finished line does not read '" + shown + "'");
    }

    // The shell's prompt after a finished line that started at previousAnchor and took previousEnd cells.
    private void WritePrompt(int previousAnchor, int previousEnd)
    {
        int scrolls = WritePrompt();
        Check(AnchorRow == previousAnchor + RowsOf(previousEnd) - scrolls, "the new prompt is not on the row right under the finished line");
    }

    // Returns the rows the prompt scrolled.
    private int WritePrompt()
    {
        Write(Editor.Prompt);
        int scrolls = NewScrolls();
        AnchorRow = Terminal.Row;
        _refusedThisLine = false;
        Check(Terminal.Column == Editor.PromptColumn, "the prompt did not start a row");
        return scrolls;
    }

    // Rows a prompt and line `cells` long take (an empty one still takes its row).
    private int RowsOf(int cells) => Math.Max(1, (cells + Editor.Width - 1) / Editor.Width);

    private int NewScrolls()
    {
        int scrolls = Terminal.ScrollCount - _seenScrolls;
        _seenScrolls = Terminal.ScrollCount;
        return scrolls;
    }

    private void Write(ReadOnlySpan<char> echo)
    {
        _transcript.Append(echo);
        Terminal.Write(echo);
        foreach (char c in echo)
        {
            Grid.Write(c);
        }
    }

    private void Check(bool condition, string problem)
    {
        if (!condition)
        {
            Assert.Fail(problem + "\nline \"" + Editor.Text + "\", cursor " + Editor.Cursor + ", width " + Editor.Width
                + ", anchor row " + AnchorRow + "\n" + Terminal.Dump() + "echo so far: " + Escape(Transcript));
        }
    }

    internal static string Escape(string text) =>
        text.Replace("\u001b", "\\e").Replace("\b", "\\b").Replace("\n", "\\n").Replace("\u0007", "\\a");
}
