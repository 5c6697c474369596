// One editing key for the shell, whatever it came from: the PS/2 keyboard or bytes from a serial terminal.
namespace Kernel.Input;

/// <summary>What an <see cref="InputKey"/> asks the line editor or shell to do.</summary>
public enum InputKeyKind
{
    /// <summary>Type <see cref="InputKey.Character"/> (a printable character).</summary>
    Character,

    /// <summary>Submit the line.</summary>
    Enter,

    /// <summary>Erase the character before the cursor.</summary>
    Backspace,

    /// <summary>Erase the character under the cursor.</summary>
    Delete,

    /// <summary>The Tab key (left to the shell, e.g. for completion).</summary>
    Tab,

    /// <summary>Cursor up (older history).</summary>
    Up,

    /// <summary>Cursor down (newer history).</summary>
    Down,

    /// <summary>Cursor left.</summary>
    Left,

    /// <summary>Cursor right.</summary>
    Right,

    /// <summary>Cursor to the start of the line.</summary>
    Home,

    /// <summary>Cursor to the end of the line.</summary>
    End,

    /// <summary>The Escape key on its own.</summary>
    Escape,

    /// <summary>Ctrl plus the letter in <see cref="InputKey.Character"/>, always upper case ('C' for Ctrl+C).</summary>
    Control,
}

/// <summary>A key for the shell: a kind, plus the character for <see cref="InputKeyKind.Character"/> and
/// <see cref="InputKeyKind.Control"/> ('\0' for the other kinds).</summary>
public readonly struct InputKey
{
    /// <summary>Creates a key; prefer <see cref="Of"/>, <see cref="Typed"/> and <see cref="Ctrl"/>.</summary>
    public InputKey(InputKeyKind kind, char character)
    {
        Kind = kind;
        Character = character;
    }

    /// <summary>What the key does.</summary>
    public InputKeyKind Kind { get; }

    /// <summary>The character typed, or the upper-case letter of a Ctrl combination; '\0' otherwise.</summary>
    public char Character { get; }

    /// <summary>A key with no character (Enter, arrows, ...).</summary>
    public static InputKey Of(InputKeyKind kind) => new InputKey(kind, '\0');

    /// <summary>A typed printable character.</summary>
    public static InputKey Typed(char character) => new InputKey(InputKeyKind.Character, character);

    /// <summary>Ctrl plus <paramref name="letter"/> (either case; stored upper case).</summary>
    public static InputKey Ctrl(char letter) =>
        new InputKey(InputKeyKind.Control, letter >= 'a' && letter <= 'z' ? (char)(letter - 'a' + 'A') : letter);

    /// <summary>Whether this is Ctrl plus <paramref name="upperCaseLetter"/>.</summary>
    public bool IsCtrl(char upperCaseLetter) => Kind == InputKeyKind.Control && Character == upperCaseLetter;
}
