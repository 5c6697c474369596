// Line editing for the shell: an editable input line with a cursor, and the echo that keeps a dumb terminal's
// picture of the line in step with it.
using System;
using Kernel.Input;

namespace Kernel.Shell;

/// <summary>
/// The line being typed at the prompt. Each key edits the buffer and returns the characters to write to the
/// console so that afterwards the screen shows exactly the buffer after the prompt, with the console's cursor
/// at <see cref="Cursor"/>. The echo uses only three things every console here understands: printable
/// characters (drawn at the cursor, which moves right), spaces (to blank cells a shorter line left behind) and
/// '\b' (cursor left one cell without erasing, as the framebuffer console and VT100 terminals treat it).
/// No ANSI sequences, so the same bytes work on the screen and on serial.
/// </summary>
/// <remarks>
/// The echo assumes the line fits on one console row after the prompt: '\b' does not move back up across a
/// wrapped row on either console. Keys an editor has no use for (Up, Down, Tab, Escape, most Ctrl keys) change
/// nothing and echo nothing; the shell acts on them itself. Characters typed when the line is full are refused
/// and counted in <see cref="RefusedCount"/>.
/// </remarks>
public sealed class LineEditor
{
    /// <summary>Line length used by the parameterless constructor.</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>Largest line length accepted by the constructor; bigger requests are clamped.</summary>
    public const int MaxMaxLength = 4096;

    private const char CursorLeft = '\b';
    private const char Blank = ' ';
    private const char NewLine = '\n';
    private const char FirstPrintable = ' ';
    private const char DeleteCharacter = '\u007F';
    private const char LastC1Control = '\u009F';
    private const char FirstSurrogate = '\uD800';
    private const char LastSurrogate = '\uDFFF';
    private const char Unprintable = '?';

    // The longest echo is replacing the whole line (SetText): back over up to MaxLength cells, draw up to
    // MaxLength characters, blank up to MaxLength leftovers and step back over them again.
    private const int EchoPerCharacter = 4;

    private readonly char[] _buffer;
    private readonly char[] _echo;
    private int _length;
    private int _cursor;
    private int _echoLength;

    /// <summary>Creates an empty editor for lines of up to <see cref="DefaultMaxLength"/> characters.</summary>
    public LineEditor()
        : this(DefaultMaxLength)
    {
    }

    /// <summary>Creates an empty editor for lines of up to <paramref name="maxLength"/> characters (1 ..
    /// <see cref="MaxMaxLength"/>).</summary>
    public LineEditor(int maxLength)
    {
        int length = maxLength < 1 ? 1 : maxLength > MaxMaxLength ? MaxMaxLength : maxLength;
        _buffer = new char[length];
        _echo = new char[length * EchoPerCharacter + 1];
    }

    /// <summary>Most characters the line can hold.</summary>
    public int MaxLength => _buffer.Length;

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
    }

    /// <summary>
    /// Applies one key and returns the echo for it ("" when nothing changed on screen). Enter returns "\n" and
    /// sets <paramref name="submitted"/>; the line stays in the buffer until <see cref="Clear"/>.
    /// </summary>
    public string Apply(InputKey key, out bool submitted) => ToEchoString(ApplyEcho(key, out submitted));

    /// <summary>
    /// As <see cref="Apply"/>, but the echo is returned in an internal buffer (valid until the next call) so
    /// typing allocates nothing; the kernel heap has no garbage collector.
    /// </summary>
    public ReadOnlySpan<char> ApplyEcho(InputKey key, out bool submitted)
    {
        submitted = false;
        _echoLength = 0;
        switch (key.Kind)
        {
            case InputKeyKind.Character:
                Insert(key.Character);
                break;
            case InputKeyKind.Enter:
                submitted = true;
                Emit(NewLine);
                break;
            case InputKeyKind.Backspace:
                if (MoveLeft())
                {
                    DeleteAtCursor();
                }

                break;
            case InputKeyKind.Delete:
                DeleteAtCursor();
                break;
            case InputKeyKind.Left:
                MoveLeft();
                break;
            case InputKeyKind.Right:
                if (_cursor < _length)
                {
                    // Redrawing the character under the cursor is how a dumb terminal moves right.
                    EmitBuffer(_cursor, _cursor + 1);
                    _cursor++;
                }

                break;
            case InputKeyKind.Home:
                MoveHome();
                break;
            case InputKeyKind.End:
                MoveEnd();
                break;
            case InputKeyKind.Control:
                ApplyControl(key.Character);
                break;
        }

        return new ReadOnlySpan<char>(_echo, 0, _echoLength);
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
        _echoLength = 0;
        int oldLength = _length;
        EmitRepeated(CursorLeft, _cursor);
        int newLength = text == null ? 0 : text.Length > MaxLength ? MaxLength : text.Length;
        for (int i = 0; i < newLength; i++)
        {
            // A control character would move the console's cursor and break the echo arithmetic.
            _buffer[i] = IsPrintable(text[i]) ? text[i] : Unprintable;
        }

        _length = newLength;
        _cursor = newLength;
        EmitBuffer(0, newLength);
        EraseTail(oldLength - newLength);
        return new ReadOnlySpan<char>(_echo, 0, _echoLength);
    }

    // Emacs-style bindings that terminals without Home/End keys still have; other Ctrl keys belong to the shell.
    private void ApplyControl(char letter)
    {
        switch (letter)
        {
            case 'A':
                MoveHome();
                break;
            case 'E':
                MoveEnd();
                break;
            case 'K':
                EraseFromCursor();
                break;
            case 'U':
                EraseBeforeCursor();
                break;
        }
    }

    private void Insert(char c)
    {
        if (!IsPrintable(c))
        {
            return;
        }

        if (_length == MaxLength)
        {
            RefusedCount++;
            return;
        }

        for (int i = _length; i > _cursor; i--)
        {
            _buffer[i] = _buffer[i - 1];
        }

        _buffer[_cursor] = c;
        _length++;

        // Draw the new character and everything after it, then come back to just after the new character.
        EmitBuffer(_cursor, _length);
        _cursor++;
        EmitRepeated(CursorLeft, _length - _cursor);
    }

    // Removes the character under the cursor; the rest of the line is redrawn one cell further left.
    private void DeleteAtCursor()
    {
        if (_cursor == _length)
        {
            return;
        }

        for (int i = _cursor; i < _length - 1; i++)
        {
            _buffer[i] = _buffer[i + 1];
        }

        _length--;
        EraseTail(1);
    }

    private void EraseFromCursor()
    {
        int removed = _length - _cursor;
        _length = _cursor;
        EraseTail(removed);
    }

    private void EraseBeforeCursor()
    {
        int removed = _cursor;
        if (removed == 0)
        {
            return;
        }

        EmitRepeated(CursorLeft, removed);
        for (int i = removed; i < _length; i++)
        {
            _buffer[i - removed] = _buffer[i];
        }

        _length -= removed;
        _cursor = 0;
        EraseTail(removed);
    }

    private bool MoveLeft()
    {
        if (_cursor == 0)
        {
            return false;
        }

        _cursor--;
        Emit(CursorLeft);
        return true;
    }

    private void MoveHome()
    {
        EmitRepeated(CursorLeft, _cursor);
        _cursor = 0;
    }

    private void MoveEnd()
    {
        EmitBuffer(_cursor, _length);
        _cursor = _length;
    }

    // With the console's cursor at _cursor: redraws the rest of the line, blanks the `count` cells after it
    // (left over from the longer line before an erase) and steps back to _cursor.
    private void EraseTail(int count)
    {
        if (count <= 0)
        {
            return;
        }

        int toEnd = _length - _cursor;
        EmitBuffer(_cursor, _length);
        EmitRepeated(Blank, count);
        EmitRepeated(CursorLeft, count + toEnd);
    }

    private void Emit(char c) => _echo[_echoLength++] = c;

    private void EmitBuffer(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            _echo[_echoLength++] = _buffer[i];
        }
    }

    private void EmitRepeated(char c, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _echo[_echoLength++] = c;
        }
    }

    // One console cell each: not C0 controls, DEL or C1 controls (the console ignores those without moving) and
    // not surrogates (half a character draws nothing).
    private static bool IsPrintable(char c) =>
        c >= FirstPrintable && (c < DeleteCharacter || c > LastC1Control) && (c < FirstSurrogate || c > LastSurrogate);

    private static string ToEchoString(ReadOnlySpan<char> echo) => echo.Length == 0 ? "" : new string(echo);
}
