// Serial terminal input decoder: the bytes a VT100/xterm-style terminal sends for keys (ECMA-48 control
// functions: C0 controls, CSI "ESC [" and SS3 "ESC O" sequences) turned into shell input keys.

namespace Kernel.Input;

/// <summary>
/// A state machine fed one received byte at a time. It understands printable ASCII, Enter (CR or LF, with CR LF
/// counting once), Backspace (DEL 0x7F and BS 0x08), Tab, Ctrl+letter, and the cursor keys terminals send:
/// ESC [ A/B/C/D, ESC [ H/F, ESC [ 1~ 4~ 7~ 8~ (Home/End in their VT220 and rxvt spellings), ESC [ 3~ (Delete)
/// and the application-mode forms ESC O A/B/C/D/H/F. Other complete sequences (function keys, Page Up,
/// modified arrows such as ESC [ 1;5C) are dropped whole and counted in <see cref="DroppedSequences"/>, so
/// their parameter bytes never leak in as typed text.
/// </summary>
/// <remarks>
/// <para>
/// A sequence broken by a byte that cannot occur inside it (a control character, another ESC, a non-ASCII
/// byte) is counted as dropped and that byte is then decoded afresh, so an Enter or the start of the next
/// sequence is not lost to a line-noise fragment.
/// </para>
/// <para>
/// The Escape key itself sends a bare ESC, which looks like the start of a sequence until the next byte comes.
/// Without a clock the decoder resolves it thus: ESC ESC reports Escape for the first one; ESC followed by an
/// ordinary byte is what xterm sends for Alt+key, and as there is no Alt here the byte is decoded as if typed
/// alone (the ESC is ignored, not counted as dropped). The decoder has no clock: the caller calls
/// <see cref="Flush"/> once no byte has arrived for a while, which turns a bare ESC into the Escape key at once
/// (terminals send a whole sequence in one burst, so a few tens of milliseconds is plenty; at 115200 baud a
/// byte takes 87 microseconds). The kernel's reader does so after ConsoleInput.EscapeTimeoutMilliseconds of
/// silence.
/// </para>
/// </remarks>
public sealed class AnsiInputDecoder
{
    // Decoder states between bytes.
    private const int Ground = 0;
    private const int AfterEscape = 1;
    private const int InCsi = 2;
    private const int AfterSs3 = 3;

    private const byte Escape = 0x1B;
    private const byte CarriageReturn = 0x0D;
    private const byte LineFeed = 0x0A;
    private const byte BackspaceByte = 0x08;
    private const byte TabByte = 0x09;
    private const byte DeleteByte = 0x7F;
    private const byte CtrlA = 0x01;
    private const byte CtrlZ = 0x1A;
    private const byte FirstPrintable = 0x20;
    private const byte LastPrintable = 0x7E;
    private const byte CsiIntroducer = (byte)'[';
    private const byte Ss3Introducer = (byte)'O';

    // ECMA-48 §5.4: a control sequence is parameter bytes 0x30-0x3F, then intermediate bytes 0x20-0x2F, then
    // one final byte 0x40-0x7E. Digits are the only parameter bytes the recognised keys use.
    private const byte FirstParameterByte = 0x30;
    private const byte LastParameterByte = 0x3F;
    private const byte FirstIntermediateByte = 0x20;
    private const byte LastIntermediateByte = 0x2F;
    private const byte FirstFinalByte = 0x40;
    private const byte LastFinalByte = 0x7E;

    // Parameters are saturated here: every recognised key has a one-digit parameter, so any larger value is
    // simply "unknown" and need not be exact.
    private const int ParameterLimit = 10000;

    // VT220 and rxvt "ESC [ n ~" key numbers.
    private const int TildeHome = 1;
    private const int TildeDelete = 3;
    private const int TildeEnd = 4;
    private const int TildeRxvtHome = 7;
    private const int TildeRxvtEnd = 8;

    private int _state;
    private bool _lastWasCarriageReturn;
    private int _parameter;
    private int _parameterDigits;
    private bool _unusualSequence;

    /// <summary>Escape sequences dropped: unknown keys and sequences broken off by an unexpected byte.</summary>
    public int DroppedSequences { get; private set; }

    /// <summary>Single bytes that are no key: NUL, the C0 controls without a Ctrl+letter, and non-ASCII bytes.</summary>
    public int IgnoredBytes { get; private set; }

    /// <summary>Whether bytes of an unfinished escape sequence (or a bare ESC) are being held.</summary>
    public bool IsInsideSequence => _state != Ground;

    /// <summary>
    /// Consumes one byte. Returns true with <paramref name="key"/> set when the byte completes a key; false
    /// when it was part of a sequence, the LF of a CR LF pair, or dropped.
    /// </summary>
    public bool Feed(byte b, out InputKey key)
    {
        bool afterCarriageReturn = _lastWasCarriageReturn;
        _lastWasCarriageReturn = false;
        switch (_state)
        {
            case AfterEscape:
                return FeedAfterEscape(b, afterCarriageReturn, out key);
            case InCsi:
                return FeedCsi(b, afterCarriageReturn, out key);
            case AfterSs3:
                return FeedSs3(b, afterCarriageReturn, out key);
            default:
                return FeedGround(b, afterCarriageReturn, out key);
        }
    }

    /// <summary>
    /// Ends whatever is pending because no more bytes are coming soon: a bare ESC becomes the Escape key
    /// (returns true); an unfinished sequence is dropped and counted. Returns false when nothing was pending.
    /// </summary>
    public bool Flush(out InputKey key)
    {
        key = default;
        int state = _state;
        _state = Ground;
        if (state == AfterEscape)
        {
            key = InputKey.Of(InputKeyKind.Escape);
            return true;
        }

        if (state != Ground)
        {
            DroppedSequences++;
        }

        return false;
    }

    private bool FeedGround(byte b, bool afterCarriageReturn, out InputKey key)
    {
        key = default;
        if (b >= FirstPrintable && b <= LastPrintable)
        {
            key = InputKey.Typed((char)b);
            return true;
        }

        switch (b)
        {
            case Escape:
                _state = AfterEscape;
                return false;
            case CarriageReturn:
                _lastWasCarriageReturn = true;
                key = InputKey.Of(InputKeyKind.Enter);
                return true;
            case LineFeed:
                // Terminals in "newline" mode send CR LF for Enter: the LF belongs to the CR's key.
                if (afterCarriageReturn)
                {
                    return false;
                }

                key = InputKey.Of(InputKeyKind.Enter);
                return true;
            case BackspaceByte:
            case DeleteByte:
                // Most terminals send DEL for the Backspace key; some (and Ctrl+H) send BS.
                key = InputKey.Of(InputKeyKind.Backspace);
                return true;
            case TabByte:
                key = InputKey.Of(InputKeyKind.Tab);
                return true;
        }

        if (b >= CtrlA && b <= CtrlZ)
        {
            key = InputKey.Ctrl((char)('A' + (b - CtrlA)));
            return true;
        }

        IgnoredBytes++;
        return false;
    }

    private bool FeedAfterEscape(byte b, bool afterCarriageReturn, out InputKey key)
    {
        key = default;
        if (b == CsiIntroducer)
        {
            _state = InCsi;
            _parameter = 0;
            _parameterDigits = 0;
            _unusualSequence = false;
            return false;
        }

        if (b == Ss3Introducer)
        {
            _state = AfterSs3;
            return false;
        }

        if (b == Escape)
        {
            // The first ESC had nothing after it: it was the Escape key. The second may start a sequence.
            key = InputKey.Of(InputKeyKind.Escape);
            return true;
        }

        // ESC + byte is xterm's Alt+key; without Alt, the byte counts as typed on its own.
        _state = Ground;
        return FeedGround(b, afterCarriageReturn, out key);
    }

    private bool FeedCsi(byte b, bool afterCarriageReturn, out InputKey key)
    {
        key = default;
        if (b >= '0' && b <= '9')
        {
            if (_parameter < ParameterLimit)
            {
                _parameter = _parameter * 10 + (b - '0');
            }

            _parameterDigits++;
            return false;
        }

        if ((b >= FirstParameterByte && b <= LastParameterByte)
            || (b >= FirstIntermediateByte && b <= LastIntermediateByte))
        {
            // ';' separators, private markers ('?'), intermediates: valid, but no key this decoder knows has them.
            _unusualSequence = true;
            return false;
        }

        if (b < FirstFinalByte || b > LastFinalByte)
        {
            return AbandonSequence(b, afterCarriageReturn, out key);
        }

        // The final byte ends the sequence, known or not.
        _state = Ground;
        InputKeyKind kind = InputKeyKind.Character;
        bool known = !_unusualSequence
            && (_parameterDigits == 0 ? CursorKey(b, out kind) : b == '~' && TildeKey(_parameter, out kind));
        if (!known)
        {
            DroppedSequences++;
            return false;
        }

        key = InputKey.Of(kind);
        return true;
    }

    private bool FeedSs3(byte b, bool afterCarriageReturn, out InputKey key)
    {
        key = default;
        if (b < FirstFinalByte || b > LastFinalByte)
        {
            return AbandonSequence(b, afterCarriageReturn, out key);
        }

        _state = Ground;
        if (CursorKey(b, out InputKeyKind kind))
        {
            key = InputKey.Of(kind);
            return true;
        }

        // ESC O P..S (F1..F4) and the application keypad.
        DroppedSequences++;
        return false;
    }

    // A byte that cannot continue the sequence: drop what was collected, then decode the byte itself.
    private bool AbandonSequence(byte b, bool afterCarriageReturn, out InputKey key)
    {
        DroppedSequences++;
        _state = Ground;
        return FeedGround(b, afterCarriageReturn, out key);
    }

    // The final byte of the cursor keys, shared by "ESC [" (normal mode) and "ESC O" (application mode).
    private static bool CursorKey(byte final, out InputKeyKind kind)
    {
        switch (final)
        {
            case (byte)'A': kind = InputKeyKind.Up; return true;
            case (byte)'B': kind = InputKeyKind.Down; return true;
            case (byte)'C': kind = InputKeyKind.Right; return true;
            case (byte)'D': kind = InputKeyKind.Left; return true;
            case (byte)'H': kind = InputKeyKind.Home; return true;
            case (byte)'F': kind = InputKeyKind.End; return true;
            default: kind = InputKeyKind.Character; return false;
        }
    }

    private static bool TildeKey(int parameter, out InputKeyKind kind)
    {
        switch (parameter)
        {
            case TildeHome: case TildeRxvtHome: kind = InputKeyKind.Home; return true;
            case TildeEnd: case TildeRxvtEnd: kind = InputKeyKind.End; return true;
            case TildeDelete: kind = InputKeyKind.Delete; return true;
            default: kind = InputKeyKind.Character; return false;
        }
    }
}
