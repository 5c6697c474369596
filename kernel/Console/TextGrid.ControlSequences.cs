// The ECMA-48 control sequences the text grid obeys (ECMA-48 5th edition §5.4 syntax, §8.3 functions): the few a
// line editor needs to move over wrapped rows and to erase, which VT100/xterm terminals on the serial line obey
// too, so one echo serves both consoles.
using System;

namespace Kernel.Console;

// Understood, with n a decimal parameter (missing or 0 meaning 1) and p a selector (missing meaning 0):
// CUU ESC [ n A (up), CUD ESC [ n B (down), CUF ESC [ n C (right), CUB ESC [ n D
// (left), all stopping at the grid's edge without scrolling; CHA ESC [ n G (to column n, 1-based);
// CUP ESC [ row ; column H (also f; 1-based, missing meaning 1); ED ESC [ p J (erase to the
// end of the screen, 1 from its start, 2 all of it) and EL ESC [ p K (the same within the cursor's row).
// Erasing writes spaces in the current colors and never moves the cursor.
//
// Every other well-formed sequence (private ones such as ESC [ ? 25 l, ones with intermediate bytes,
// unknown final bytes) and every two-byte escape (ESC 7, ESC ( B) is read whole and ignored, so
// its bytes never show as text. A control character inside a sequence cancels the sequence and acts as usual,
// an ESC starts a new one.
//
// A pending wrap (IsWrapPending) is left the way xterm leaves it: the cursor counts as being on
// the last column, so CUB 1 lands one column left of it and ED/EL erase from it, and each of these sequences
// cancels the pending wrap. (The grid's '\b' differs: it leaves a pending wrap onto the last column itself.)
public sealed partial class TextGrid
{
    private const int EscapeCharacter = 0x1B;
    private const int ControlSequenceIntroducer = '[';

    // ECMA-48 §5.4: parameter bytes 0x30-0x3F (digits, ':' ';' and the private markers '<' '=' '>' '?'),
    // intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E.
    private const int FirstParameterByte = 0x30;
    private const int LastParameterByte = 0x3F;
    private const int ParameterSeparator = ';';
    private const int FirstIntermediateByte = 0x20;
    private const int LastIntermediateByte = 0x2F;
    private const int FirstFinalByte = 0x40;
    private const int LastFinalByte = 0x7E;

    // Final bytes of the functions understood (ECMA-48 §8.3).
    private const int CursorUp = 'A';
    private const int CursorDown = 'B';
    private const int CursorForward = 'C';
    private const int CursorBackward = 'D';
    private const int CursorCharacterAbsolute = 'G';
    private const int CursorPosition = 'H';
    private const int CharacterAndLinePosition = 'f';
    private const int EraseInDisplay = 'J';
    private const int EraseInLine = 'K';

    // Erase selectors of ED and EL.
    private const int EraseToEnd = 0;
    private const int EraseFromStart = 1;
    private const int EraseAll = 2;

    // CUP has two parameters; later ones are read and ignored. Values saturate: nothing is that far away.
    private const int MaxParameters = 2;
    private const int ParameterLimit = 9999;

    private enum SequenceState
    {
        Ground,
        Escape,
        ControlSequence,
    }

    private readonly int[] _parameters = new int[MaxParameters];
    private SequenceState _sequenceState;
    private int _parameterIndex;
    private bool _ignoreSequence;

    // Returns true when the code point was part of an escape or control sequence (and so is not written).
    private bool ConsumeControlSequence(int codePoint)
    {
        switch (_sequenceState)
        {
            case SequenceState.Escape:
                return ConsumeAfterEscape(codePoint);
            case SequenceState.ControlSequence:
                return ConsumeInControlSequence(codePoint);
            default:
                if (codePoint != EscapeCharacter)
                {
                    return false;
                }

                _sequenceState = SequenceState.Escape;
                return true;
        }
    }

    private bool ConsumeAfterEscape(int codePoint)
    {
        if (codePoint == ControlSequenceIntroducer)
        {
            _sequenceState = SequenceState.ControlSequence;
            _parameterIndex = 0;
            _parameters[0] = 0;
            _parameters[1] = 0;
            _ignoreSequence = false;
            return true;
        }

        if (codePoint == EscapeCharacter || (codePoint >= FirstIntermediateByte && codePoint <= LastIntermediateByte))
        {
            // Another ESC restarts; intermediates (ESC ( B) wait for their final byte.
            return true;
        }

        _sequenceState = SequenceState.Ground;
        // A two-byte escape (ESC 7, ESC c, ...) is ignored whole; a control character or a non-ASCII code point
        // cancels the escape and acts as usual.
        return codePoint >= FirstParameterByte && codePoint <= LastFinalByte;
    }

    private bool ConsumeInControlSequence(int codePoint)
    {
        if (codePoint >= '0' && codePoint <= '9')
        {
            if (_parameterIndex < MaxParameters && _parameters[_parameterIndex] < ParameterLimit)
            {
                _parameters[_parameterIndex] = _parameters[_parameterIndex] * 10 + (codePoint - '0');
            }

            return true;
        }

        if (codePoint == ParameterSeparator)
        {
            _parameterIndex++;
            if (_parameterIndex < MaxParameters)
            {
                _parameters[_parameterIndex] = 0;
            }

            return true;
        }

        if ((codePoint >= FirstParameterByte && codePoint <= LastParameterByte)
            || (codePoint >= FirstIntermediateByte && codePoint <= LastIntermediateByte))
        {
            // Private markers, ':' sub-parameters and intermediates: valid, but no function understood here has them.
            _ignoreSequence = true;
            return true;
        }

        if (codePoint >= FirstFinalByte && codePoint <= LastFinalByte)
        {
            _sequenceState = SequenceState.Ground;
            if (!_ignoreSequence)
            {
                Perform(codePoint);
            }

            return true;
        }

        if (codePoint == EscapeCharacter)
        {
            _sequenceState = SequenceState.Escape;
            return true;
        }

        _sequenceState = SequenceState.Ground;
        return false;
    }

    private void Perform(int final)
    {
        // From a pending wrap the cursor counts as on the last column (xterm); every function here ends it.
        int column = CursorColumn;
        switch (final)
        {
            case CursorUp:
                _column = column;
                _row = Math.Max(_row - Count(0), 0);
                break;
            case CursorDown:
                _column = column;
                _row = Math.Min(_row + Count(0), Rows - 1);
                break;
            case CursorForward:
                _column = Math.Min(column + Count(0), Columns - 1);
                break;
            case CursorBackward:
                _column = Math.Max(column - Count(0), 0);
                break;
            case CursorCharacterAbsolute:
                _column = Math.Min(Count(0), Columns) - 1;
                break;
            case CursorPosition:
            case CharacterAndLinePosition:
                _row = Math.Min(Count(0), Rows) - 1;
                _column = Math.Min(Count(1), Columns) - 1;
                break;
            case EraseInDisplay:
                _column = column;
                EraseDisplay(_parameters[0]);
                break;
            case EraseInLine:
                _column = column;
                EraseLine(_parameters[0]);
                break;
        }
    }

    // Parameter i as a count or position: missing or 0 means 1.
    private int Count(int i)
    {
        int value = i <= _parameterIndex ? _parameters[i] : 0;
        return value == 0 ? 1 : value;
    }

    private void EraseDisplay(int selector)
    {
        switch (selector)
        {
            case EraseToEnd:
                EraseCells(_column, _row, Columns);
                for (int row = _row + 1; row < Rows; row++)
                {
                    EraseCells(0, row, Columns);
                }

                break;
            case EraseFromStart:
                for (int row = 0; row < _row; row++)
                {
                    EraseCells(0, row, Columns);
                }

                EraseCells(0, _row, _column + 1);
                break;
            case EraseAll:
                for (int row = 0; row < Rows; row++)
                {
                    EraseCells(0, row, Columns);
                }

                break;
        }
    }

    private void EraseLine(int selector)
    {
        switch (selector)
        {
            case EraseToEnd:
                EraseCells(_column, _row, Columns);
                break;
            case EraseFromStart:
                EraseCells(0, _row, _column + 1);
                break;
            case EraseAll:
                EraseCells(0, _row, Columns);
                break;
        }
    }

    // Blanks columns [start, end) of a row in the current colors.
    private void EraseCells(int start, int row, int end)
    {
        if (start >= end)
        {
            return;
        }

        for (int column = start; column < end; column++)
        {
            int index = IndexOf(column, row);
            _codePoints[index] = Space;
            _foregrounds[index] = Foreground;
            _backgrounds[index] = Background;
        }

        MarkCellDirty(start, row);
        MarkCellDirty(end - 1, row);
    }
}
