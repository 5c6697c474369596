// One decoded key press or release (PS/2 scan code set 1 make and break codes, OSDev wiki "PS/2 Keyboard").
namespace Kernel.Input;

/// <summary>A key went down (or repeated) or came up.</summary>
public readonly struct KeyEvent
{
    /// <summary>Creates an event.</summary>
    public KeyEvent(Key key, char character, bool isPressed, bool isRepeat, bool isKeypad, KeyModifiers modifiers)
    {
        Key = key;
        Character = character;
        IsPressed = isPressed;
        IsRepeat = isRepeat;
        IsKeypad = isKeypad;
        Modifiers = modifiers;
    }

    /// <summary>Which key.</summary>
    public Key Key { get; }

    /// <summary>The character the press types in the US layout; '\0' for releases and keys that type nothing.</summary>
    public char Character { get; }

    /// <summary>True for a press (make code, including typematic repeats), false for a release (break code).</summary>
    public bool IsPressed { get; }

    /// <summary>Whether this press is a typematic repeat: the key was already down.</summary>
    public bool IsRepeat { get; }

    /// <summary>Whether the key is on the numeric keypad (so Up from keypad 8 can be told from the arrow key).</summary>
    public bool IsKeypad { get; }

    /// <summary>Modifier and lock state after this event (a Shift press already includes Shift).</summary>
    public KeyModifiers Modifiers { get; }

    /// <summary>Whether the event types a character.</summary>
    public bool HasCharacter => Character != '\0';
}
