// PS/2 scan code set 1 (the XT set that the 8042 translates keyboards into by default; OSDev wiki "PS/2
// Keyboard", "Scan Code Set 1"): one byte per make code, break = make | 0x80, some keys behind an 0xE0 prefix.
namespace Kernel.Input;

/// <summary>Maps set 1 make codes (break bit cleared) to keys.</summary>
public static class ScancodeSet1
{
    /// <summary>The bit that turns a make code into its break code.</summary>
    public const byte BreakBit = 0x80;

    /// <summary>Prefix of the extended keys (the ones added by the 101-key keyboard).</summary>
    public const byte ExtendedPrefix = 0xE0;

    /// <summary>Prefix of the Pause key's sequence E1 1D 45 E1 9D C5, all sent on press: a make half and a break half.</summary>
    public const byte PausePrefix = 0xE1;

    /// <summary>Pause's make sequence after E1: the codes of Ctrl and Num Lock, which must not act as those keys.</summary>
    public const byte PauseFirst = 0x1D;

    /// <summary>Second byte of Pause's make sequence.</summary>
    public const byte PauseSecond = 0x45;

    /// <summary>
    /// E0 2A and E0 36 (and their breaks E0 AA, E0 B6) are "fake shifts" the keyboard wraps around extended keys so
    /// old software sees the right Shift state; they are not keys.
    /// </summary>
    public const byte FakeLeftShift = 0x2A;

    /// <summary>Right-shift form of the fake shift.</summary>
    public const byte FakeRightShift = 0x36;

    /// <summary>The key for an unprefixed make code, or <see cref="Key.None"/>.</summary>
    public static Key Base(int code)
    {
        if (code >= 0x10 && code <= 0x19)
            return (Key)((int)Key.Q + code - 0x10); // Q W E R T Y U I O P
        if (code >= 0x1E && code <= 0x26)
            return (Key)((int)Key.A + code - 0x1E); // A S D F G H J K L
        if (code >= 0x2C && code <= 0x32)
            return (Key)((int)Key.Z + code - 0x2C); // Z X C V B N M
        if (code >= 0x02 && code <= 0x0B)
            return (Key)((int)Key.D1 + code - 0x02); // 1 2 3 4 5 6 7 8 9 0
        if (code >= 0x3B && code <= 0x44)
            return (Key)((int)Key.F1 + code - 0x3B); // F1-F10
        switch (code)
        {
            case 0x01: return Key.Escape;
            case 0x0C: return Key.Minus;
            case 0x0D: return Key.Equals;
            case 0x0E: return Key.Backspace;
            case 0x0F: return Key.Tab;
            case 0x1A: return Key.LeftBracket;
            case 0x1B: return Key.RightBracket;
            case 0x1C: return Key.Enter;
            case 0x1D: return Key.LeftControl;
            case 0x27: return Key.Semicolon;
            case 0x28: return Key.Apostrophe;
            case 0x29: return Key.Grave;
            case 0x2A: return Key.LeftShift;
            case 0x2B: return Key.Backslash;
            case 0x33: return Key.Comma;
            case 0x34: return Key.Period;
            case 0x35: return Key.Slash;
            case 0x36: return Key.RightShift;
            case 0x37: return Key.KeypadMultiply;
            case 0x38: return Key.LeftAlt;
            case 0x39: return Key.Space;
            case 0x3A: return Key.CapsLock;
            case 0x45: return Key.NumLock;
            case 0x46: return Key.ScrollLock;
            case 0x47: return Key.Keypad7;
            case 0x48: return Key.Keypad8;
            case 0x49: return Key.Keypad9;
            case 0x4A: return Key.KeypadMinus;
            case 0x4B: return Key.Keypad4;
            case 0x4C: return Key.Keypad5;
            case 0x4D: return Key.Keypad6;
            case 0x4E: return Key.KeypadPlus;
            case 0x4F: return Key.Keypad1;
            case 0x50: return Key.Keypad2;
            case 0x51: return Key.Keypad3;
            case 0x52: return Key.Keypad0;
            case 0x53: return Key.KeypadPeriod;
            case 0x54: return Key.SysRq;
            case 0x56: return Key.NonUsBackslash;
            case 0x57: return Key.F11;
            case 0x58: return Key.F12;
            default: return Key.None;
        }
    }

    /// <summary>The key for a make code after E0, or <see cref="Key.None"/> (multimedia keys are not mapped).</summary>
    public static Key Extended(int code)
    {
        switch (code)
        {
            case 0x1C: return Key.KeypadEnter;
            case 0x1D: return Key.RightControl;
            case 0x35: return Key.KeypadDivide;
            case 0x37: return Key.PrintScreen;
            case 0x38: return Key.RightAlt;
            case 0x46: return Key.Break;
            case 0x47: return Key.Home;
            case 0x48: return Key.Up;
            case 0x49: return Key.PageUp;
            case 0x4B: return Key.Left;
            case 0x4D: return Key.Right;
            case 0x4F: return Key.End;
            case 0x50: return Key.Down;
            case 0x51: return Key.PageDown;
            case 0x52: return Key.Insert;
            case 0x53: return Key.Delete;
            case 0x5B: return Key.LeftGui;
            case 0x5C: return Key.RightGui;
            case 0x5D: return Key.Menu;
            default: return Key.None;
        }
    }

    /// <summary>Whether a keypad key types a digit or '.' with Num Lock on and navigates with it off.</summary>
    public static bool FollowsNumLock(Key key) => (key >= Key.Keypad0 && key <= Key.Keypad9) || key == Key.KeypadPeriod;

    /// <summary>What a keypad key means with Num Lock off: a navigation key, or itself (keypad 5).</summary>
    public static Key KeypadNavigation(Key key)
    {
        switch (key)
        {
            case Key.Keypad7: return Key.Home;
            case Key.Keypad8: return Key.Up;
            case Key.Keypad9: return Key.PageUp;
            case Key.Keypad4: return Key.Left;
            case Key.Keypad6: return Key.Right;
            case Key.Keypad1: return Key.End;
            case Key.Keypad2: return Key.Down;
            case Key.Keypad3: return Key.PageDown;
            case Key.Keypad0: return Key.Insert;
            case Key.KeypadPeriod: return Key.Delete;
            default: return key;
        }
    }
}
