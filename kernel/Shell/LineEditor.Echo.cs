// The line editor's echo (the rest is in LineEditor.cs): laying the line out over rows of Width columns and
// the bytes that move the console's cursor and redraw, erase and leave the line.
using System;

namespace Kernel.Shell;

public sealed partial class LineEditor
{
    private const char Escape = '\u001b';
    private const char ControlSequenceIntroducer = '[';
    private const char CursorUpFinal = 'A';
    private const char CursorDownFinal = 'B';
    private const char CursorForwardFinal = 'C';
    private const char CursorBackwardFinal = 'D';
    private const string EraseBelow = "\u001b[J";

    // Leftovers of a shorter line are blanked with spaces (then stepped back over) when there are at most this many
    // on the row, cheaper than ED on a slow serial line for the common Backspace at the end.
    private const int MostBlanksToErase = 4;

    // With the console's cursor on start: draws the line from there to its end and erases what is left of a line
    // that ended at oldEnd. The console's cursor ends on the line's end.
    private void PrintTail(int start, int oldEnd)
    {
        for (int i = start; i < _length; i++)
        {
            Emit(_buffer[i]);
        }

        if (_length > start)
        {
            EndPrint(PromptColumn + _length);
        }

        _shown = _length;
        int leftover = oldEnd - _length;
        if (leftover <= 0)
        {
            return;
        }

        int column = (PromptColumn + _length) % Width;
        if (leftover <= MostBlanksToErase && column + leftover < Width)
        {
            for (int i = 0; i < leftover; i++)
            {
                Emit(Blank);
            }

            for (int i = 0; i < leftover; i++)
            {
                Emit(CursorLeft);
            }
        }
        else
        {
            Emit(EraseBelow);
        }
    }

    // The prompt and the line from the start of a row, then the cursor where the editor has it.
    private void Redraw()
    {
        Emit(_prompt);
        _shown = 0;
        PrintTail(0, 0);
        MoveTo(_cursor);
    }

    // From the line to the start of the row under its end. ('\n' always goes to the start of the next row, from a
    // pending wrap too: the console turns it into CR LF, and CR ends the pending wrap on the same row.)
    private void LeaveLine()
    {
        MoveTo(_length);
        int end = PromptColumn + _length;
        if (end == 0 || end % Width != 0)
        {
            Emit(NewLine);
        }

        // Otherwise EndPrint's '\n' already put the console's cursor at the start of the row under the line.
    }

    // Printing that just filled cell end - 1: if that was the last column, the console waits to wrap; '\n' takes
    // it to the start of the next row now, before any control can find it in that state.
    private void EndPrint(int end)
    {
        if (end % Width == 0)
        {
            Emit(NewLine);
        }
    }

    // Moves the console's cursor from position _shown to `position` with relative moves.
    private void MoveTo(int position)
    {
        int from = PromptColumn + _shown;
        int to = PromptColumn + position;
        _shown = position;
        int rows = to / Width - from / Width;
        int columns = to % Width - from % Width;
        if (rows < 0)
        {
            EmitControl(-rows, CursorUpFinal);
        }
        else if (rows > 0)
        {
            EmitControl(rows, CursorDownFinal);
        }

        if (columns == -1)
        {
            Emit(CursorLeft);
        }
        else if (columns < 0)
        {
            EmitControl(-columns, CursorBackwardFinal);
        }
        else if (columns > 0)
        {
            EmitControl(columns, CursorForwardFinal);
        }
    }

    private void BeginEcho()
    {
        _echoLength = 0;
        _shown = _cursor;
    }

    private ReadOnlySpan<char> EchoSpan() => new ReadOnlySpan<char>(_echo, 0, _echoLength);

    private void Emit(char c) => _echo[_echoLength++] = c;

    private void Emit(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            _echo[_echoLength++] = text[i];
        }
    }

    // ESC [ count final, the count left out when 1 (its default).
    private void EmitControl(int count, char final)
    {
        Emit(Escape);
        Emit(ControlSequenceIntroducer);
        if (count != 1)
        {
            int digits = 1;
            for (int rest = count / 10; rest > 0; rest /= 10)
            {
                digits++;
            }

            for (int i = digits - 1; i >= 0; i--)
            {
                _echo[_echoLength + i] = (char)('0' + count % 10);
                count /= 10;
            }

            _echoLength += digits;
        }

        Emit(final);
    }
}
