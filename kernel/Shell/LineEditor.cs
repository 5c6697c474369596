// Line editing for the shell: an editable input line with a cursor, wrapped over as many console rows as it
// needs, and the echo that keeps a VT100-style terminal's picture of the line in step with it.
using System;
using Kernel.Input;

namespace Kernel.Shell;

/// <summary>What a key did to the line.</summary>
public enum LineEditOutcome
{
    /// <summary>The line is still being edited (the key may have changed nothing).</summary>
    Editing,

    /// <summary>Enter: the line is complete and stays in the editor until <see cref="LineEditor.Clear"/>.</summary>
    Submitted,

    /// <summary>Ctrl-C: the line was abandoned and the editor is empty again.</summary>
    Cancelled,
}

/// <summary>
/// The line being typed after the prompt. Each key edits the buffer and returns the characters to write to the
/// console so that afterwards the console shows exactly the prompt and the buffer, wrapped at
/// <see cref="Width"/> columns, with the console's cursor on the cell of <see cref="Cursor"/>.
/// </summary>
/// <remarks>
/// <para>
/// The echo is printable characters, '\n', '\b' (one cell left), BEL, and ECMA-48 control sequences: CUU/CUD
/// (<c>ESC [ n A/B</c>) and CUF/CUB (<c>ESC [ n C/D</c>) to move across rows, ED (<c>ESC [ J</c>) to erase what a
/// shorter line left behind, and for Ctrl-L <c>ESC [ 2 J ESC [ H</c>. The framebuffer console (TextGrid) and
/// VT100/xterm terminals treat all of these alike as long as the cursor is never in the "pending wrap" state
/// (just after a character was written into the last column) when a control comes: xterm and the TextGrid differ
/// in where '\b' goes from there. So whenever printing ends in the last column the echo adds '\n', which takes
/// both to the first column of the next row, the cell the next position of the line is on.
/// </para>
/// <para>
/// Positions: the prompt ends at column <see cref="PromptColumn"/> (the prompt is assumed to start a row), so
/// buffer position p is on the cell PromptColumn + p counted row by row from the prompt's row. Moves are
/// relative, so the arithmetic only needs the width. It assumes every row of the line is on screen: a line
/// taller than the terminal scrolls its first rows away, and moving into them is not possible.
/// </para>
/// <para>
/// A full line refuses further characters: each refused one echoes BEL, and the first of a line also prints a
/// note under the line and redraws the prompt and line below it, so the limit is never silent. Keys the editor
/// has no use for (Up, Down, Tab, Escape, other Ctrl keys) change nothing and echo nothing; the shell acts on
/// them. Nothing here allocates after construction: the echo is built in a buffer made once.
/// </para>
/// </remarks>
public sealed partial class LineEditor
{
    /// <summary>Line length used when none is given.</summary>
    public const int DefaultMaxLength = 4096;

    /// <summary>Largest line length accepted by the constructor; bigger requests are clamped.</summary>
    public const int MaxMaxLength = 65536;

    /// <summary>Console width assumed when none is known (a serial terminal's usual 80 columns).</summary>
    public const int DefaultWidth = 80;

    private const char CursorLeft = '\b';
    private const char Blank = ' ';
    private const char NewLine = '\n';
    private const char Bell = '\u0007';
    private const string ClearScreen = "\u001b[2J\u001b[H";
    private const string CancelMark = "^C";
    private const char FirstPrintable = ' ';
    private const char DeleteCharacter = '\u007F';
    private const char LastC1Control = '\u009F';
    private const char FirstSurrogate = '\uD800';
    private const char LastSurrogate = '\uDFFF';
    private const char Unprintable = '?';
    private const char WordSeparator = ' ';

    // Room for everything an echo holds besides the line itself and the prompt: two moves (each at most two
    // control sequences of ESC [ digits final), the clear-screen sequence, '\n's, BEL, ED, the note's frame.
    private const int EchoOverhead = 64;

    private readonly char[] _buffer;
    private readonly char[] _echo;
    private readonly string _prompt;
    private readonly string _fullNote;
    private int _length;
    private int _cursor;
    private int _echoLength;

    // The buffer position whose cell the console's cursor is on while an echo is being built.
    private int _shown;

    // Whether this line already printed its "line full" note.
    private bool _notedFull;

    /// <summary>An editor for lines of up to <see cref="DefaultMaxLength"/> characters after an empty prompt,
    /// <see cref="DefaultWidth"/> columns wide.</summary>
    public LineEditor()
        : this("", DefaultWidth, DefaultMaxLength)
    {
    }

    /// <summary>An editor for lines of up to <paramref name="maxLength"/> characters after an empty prompt,
    /// <see cref="DefaultWidth"/> columns wide.</summary>
    public LineEditor(int maxLength)
        : this("", DefaultWidth, maxLength)
    {
    }

    /// <summary>
    /// An editor for lines of up to <paramref name="maxLength"/> characters (1 .. <see cref="MaxMaxLength"/>)
    /// after <paramref name="prompt"/>, on a console <paramref name="width"/> columns wide (raised to one more than
    /// the prompt's length). The prompt is printable text the shell writes at the start of a row.
    /// </summary>
    public LineEditor(string prompt, int width, int maxLength)
    {
        _prompt = prompt ?? "";
        Width = width > _prompt.Length ? width : _prompt.Length + 1;
        PromptColumn = _prompt.Length;
        int length = maxLength < 1 ? 1 : maxLength > MaxMaxLength ? MaxMaxLength : maxLength;
        _buffer = new char[length];
        _fullNote = "(line full: at most " + length.ToString() + " characters)";
        _echo = new char[length + _prompt.Length + _fullNote.Length + EchoOverhead];
    }

    /// <summary>Most characters the line can hold.</summary>
    public int MaxLength => _buffer.Length;

    /// <summary>Columns of the console the echo is laid out for.</summary>
    public int Width { get; }

    /// <summary>The column the line starts on: the prompt's length.</summary>
    public int PromptColumn { get; }

    /// <summary>The prompt written before the line (by the shell, and by the editor when it redraws).</summary>
    public string Prompt => _prompt;

    /// <summary>Characters in the line.</summary>
    public int Length => _length;

    /// <summary>Cursor position: 0 is before the first character, <see cref="Length"/> after the last.</summary>
    public int Cursor => _cursor;

    /// <summary>Characters refused because the line was full.</summary>
    public int RefusedCount { get; private set; }

    /// <summary>The line as a new string.</summary>
    public string Text => _length == 0 ? "" : new string(TextSpan);

    /// <summary>The line without allocating; valid until the next edit.</summary>
    public ReadOnlySpan<char> TextSpan => new ReadOnlySpan<char>(_buffer, 0, _length);

    /// <summary>Empties the line without echoing (for a fresh prompt after a submitted line).</summary>
    public void Clear()
    {
        _length = 0;
        _cursor = 0;
        _notedFull = false;
    }

    /// <summary>
    /// Applies one key and returns the echo for it ("" when nothing changed on screen). Enter ends with the cursor
    /// at the start of the row under the line and reports <see cref="LineEditOutcome.Submitted"/>; Ctrl-C writes
    /// "^C" after the line, empties it and reports <see cref="LineEditOutcome.Cancelled"/>.
    /// </summary>
    public string Apply(InputKey key, out LineEditOutcome outcome) => ToEchoString(ApplyEcho(key, out outcome));

    /// <summary>
    /// As <see cref="Apply"/>, but the echo is returned in an internal buffer (valid until the next call) so
    /// typing allocates nothing (no garbage per key for the collector to sweep).
    /// </summary>
    public ReadOnlySpan<char> ApplyEcho(InputKey key, out LineEditOutcome outcome)
    {
        outcome = LineEditOutcome.Editing;
        BeginEcho();
        switch (key.Kind)
        {
            case InputKeyKind.Character:
                Insert(key.Character);
                break;
            case InputKeyKind.Enter:
                outcome = LineEditOutcome.Submitted;
                LeaveLine();
                break;
            case InputKeyKind.Backspace:
                if (_cursor > 0)
                {
                    Remove(_cursor - 1, 1);
                }

                break;
            case InputKeyKind.Delete:
                Remove(_cursor, _cursor < _length ? 1 : 0);
                break;
            case InputKeyKind.Left:
                MoveCursor(_cursor - 1);
                break;
            case InputKeyKind.Right:
                MoveCursor(_cursor + 1);
                break;
            case InputKeyKind.Home:
                MoveCursor(0);
                break;
            case InputKeyKind.End:
                MoveCursor(_length);
                break;
            case InputKeyKind.Control:
                outcome = ApplyControl(key.Character);
                break;
        }

        return EchoSpan();
    }

    /// <summary>
    /// Replaces the line with <paramref name="text"/> (cut to <see cref="MaxLength"/>, control characters shown
    /// as '?', null meaning empty), cursor at the end, as for history recall. Returns the echo that redraws the
    /// line in place.
    /// </summary>
    public string SetText(string text) => ToEchoString(SetTextEcho(text));

    /// <summary>As <see cref="SetText"/>, with the echo in an internal buffer valid until the next call.</summary>
    public ReadOnlySpan<char> SetTextEcho(string text)
    {
        BeginEcho();
        MoveTo(0);
        int oldLength = _length;
        int newLength = text == null ? 0 : text.Length > MaxLength ? MaxLength : text.Length;
        for (int i = 0; i < newLength; i++)
        {
            // A control character would move the console's cursor and break the echo arithmetic.
            _buffer[i] = IsPrintable(text[i]) ? text[i] : Unprintable;
        }

        _length = newLength;
        _cursor = newLength;
        PrintTail(0, oldLength);
        return EchoSpan();
    }

    /// <summary>
    /// The echo that moves the console's cursor from the line to the start of the row under it, for a message
    /// printed while a line is being edited; <see cref="RedrawEcho"/> brings the line back afterwards.
    /// </summary>
    public ReadOnlySpan<char> LeaveLineEcho()
    {
        BeginEcho();
        LeaveLine();
        return EchoSpan();
    }

    /// <summary>
    /// The echo that draws the prompt and the whole line from the start of a row (after a message, or a cleared
    /// screen) and leaves the console's cursor on the editor's cursor.
    /// </summary>
    public ReadOnlySpan<char> RedrawEcho()
    {
        BeginEcho();
        Redraw();
        return EchoSpan();
    }

    // Emacs/readline bindings that terminals without Home/End keys still have; other Ctrl keys belong to the shell.
    private LineEditOutcome ApplyControl(char letter)
    {
        switch (letter)
        {
            case 'A':
                MoveCursor(0);
                break;
            case 'E':
                MoveCursor(_length);
                break;
            case 'K':
                Remove(_cursor, _length - _cursor);
                break;
            case 'U':
                Remove(0, _cursor);
                break;
            case 'W':
                int wordStart = WordStart();
                Remove(wordStart, _cursor - wordStart);
                break;
            case 'L':
                Emit(ClearScreen);
                Redraw();
                break;
            case 'C':
                MoveTo(_length);
                Emit(CancelMark);
                Emit(NewLine);
                Clear();
                return LineEditOutcome.Cancelled;
        }

        return LineEditOutcome.Editing;
    }

    private void Insert(char c)
    {
        if (!IsPrintable(c))
        {
            return;
        }

        if (_length == MaxLength)
        {
            Refuse();
            return;
        }

        for (int i = _length; i > _cursor; i--)
        {
            _buffer[i] = _buffer[i - 1];
        }

        _buffer[_cursor] = c;
        _length++;

        // Draw the new character and everything after it, then come back to just after the new character.
        PrintTail(_cursor, _length);
        _cursor++;
        MoveTo(_cursor);
    }

    private void Refuse()
    {
        RefusedCount++;
        Emit(Bell);
        if (_notedFull)
        {
            return;
        }

        _notedFull = true;
        LeaveLine();
        Emit(_fullNote);
        Emit(NewLine);
        Redraw();
    }

    // Removes count characters from start; the cursor ends at start.
    private void Remove(int start, int count)
    {
        if (count <= 0)
        {
            MoveCursor(start);
            return;
        }

        MoveTo(start);
        for (int i = start + count; i < _length; i++)
        {
            _buffer[i - count] = _buffer[i];
        }

        int oldLength = _length;
        _length -= count;
        _cursor = start;
        PrintTail(start, oldLength);
        MoveTo(_cursor);
    }

    // readline's unix-word-rubout: the spaces before the cursor, then the word before them.
    private int WordStart()
    {
        int start = _cursor;
        while (start > 0 && _buffer[start - 1] == WordSeparator)
        {
            start--;
        }

        while (start > 0 && _buffer[start - 1] != WordSeparator)
        {
            start--;
        }

        return start;
    }

    private void MoveCursor(int position)
    {
        if (position < 0 || position > _length)
        {
            return;
        }

        _cursor = position;
        MoveTo(position);
    }

    // One console cell each: not C0 controls, DEL or C1 controls (the console ignores those without moving) and
    // not surrogates (half a character draws nothing).
    private static bool IsPrintable(char c) =>
        c >= FirstPrintable && (c < DeleteCharacter || c > LastC1Control) && (c < FirstSurrogate || c > LastSurrogate);

    private static string ToEchoString(ReadOnlySpan<char> echo) => echo.Length == 0 ? "" : new string(echo);
}
