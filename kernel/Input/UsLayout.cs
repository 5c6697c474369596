// The US keyboard layout (ANSI 104-key; the ISO extra key types \ and |): which character a key types given
// the Shift, Ctrl and Caps Lock state.
namespace Kernel.Input;

/// <summary>Characters of the US layout.</summary>
public static class UsLayout
{
    /// <summary>ASCII escape, typed by the Escape key.</summary>
    public const char EscapeCharacter = (char)0x1B;

    /// <summary>Ctrl+letter types the letter's ASCII control code (Ctrl+C is 0x03): the code with bits 5 and 6 cleared.</summary>
    private const int ControlCodeMask = 0x1F;

    private const string TopRow = "qwertyuiop";
    private const string HomeRow = "asdfghjkl";
    private const string BottomRow = "zxcvbnm";
    private const string Digits = "1234567890";
    private const string ShiftedDigits = "!@#$%^&*()";

    /// <summary>
    /// The character <paramref name="key"/> types with <paramref name="modifiers"/>, or '\0'. Caps Lock affects
    /// letters only (Shift with Caps Lock gives lower case). Ctrl with a letter gives its control character;
    /// with other keys Ctrl changes nothing. Alt changes nothing (the caller sees it in the modifiers).
    /// Keypad digits reach here only with Num Lock on (see <see cref="ScancodeDecoder"/>).
    /// </summary>
    public static char Character(Key key, KeyModifiers modifiers)
    {
        bool shift = (modifiers & KeyModifiers.Shift) != 0;
        char letter = Letter(key);
        if (letter != '\0')
        {
            if ((modifiers & KeyModifiers.Control) != 0)
            {
                return (char)(letter & ControlCodeMask);
            }

            bool upper = shift != ((modifiers & KeyModifiers.CapsLock) != 0);
            return upper ? (char)(letter - 'a' + 'A') : letter;
        }

        if (key >= Key.D1 && key <= Key.D0)
        {
            int index = key - Key.D1;
            return shift ? ShiftedDigits[index] : Digits[index];
        }

        if (key >= Key.Keypad0 && key <= Key.Keypad9)
        {
            return (char)('0' + (key - Key.Keypad0));
        }

        switch (key)
        {
            case Key.Minus: return shift ? '_' : '-';
            case Key.Equals: return shift ? '+' : '=';
            case Key.LeftBracket: return shift ? '{' : '[';
            case Key.RightBracket: return shift ? '}' : ']';
            case Key.Backslash:
            case Key.NonUsBackslash: return shift ? '|' : '\\';
            case Key.Semicolon: return shift ? ':' : ';';
            case Key.Apostrophe: return shift ? '"' : '\'';
            case Key.Grave: return shift ? '~' : '`';
            case Key.Comma: return shift ? '<' : ',';
            case Key.Period: return shift ? '>' : '.';
            case Key.Slash: return shift ? '?' : '/';
            case Key.Space: return ' ';
            case Key.Enter:
            case Key.KeypadEnter: return '\n';
            case Key.Tab: return '\t';
            case Key.Backspace: return '\b';
            case Key.Escape: return EscapeCharacter;
            case Key.KeypadDivide: return '/';
            case Key.KeypadMultiply: return '*';
            case Key.KeypadMinus: return '-';
            case Key.KeypadPlus: return '+';
            case Key.KeypadPeriod: return '.';
            default: return '\0';
        }
    }

    // The lower-case letter a letter key types, or '\0'. The enum lists letters in keyboard-row order.
    private static char Letter(Key key)
    {
        if (key >= Key.Q && key <= Key.P)
            return TopRow[key - Key.Q];
        if (key >= Key.A && key <= Key.L)
            return HomeRow[key - Key.A];
        if (key >= Key.Z && key <= Key.M)
            return BottomRow[key - Key.Z];
        return '\0';
    }
}
