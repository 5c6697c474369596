// Key identities on a PC keyboard (the 104/105-key layout of PS/2 scan code set 1, OSDev wiki "PS/2 Keyboard").
namespace Kernel.Input;

/// <summary>
/// A key, independent of layout and modifiers. Keypad keys with Num Lock off are reported as the navigation key
/// they stand for (with <see cref="KeyEvent.IsKeypad"/> set), so Keypad8 only appears with Num Lock on.
/// </summary>
public enum Key : byte
{
    /// <summary>No key.</summary>
    None = 0,
    Escape,
    F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12,
    PrintScreen,

    /// <summary>Alt+Print Screen, which the keyboard reports as a key of its own.</summary>
    SysRq,
    ScrollLock,
    Pause,

    /// <summary>Ctrl+Pause, which the keyboard reports as a key of its own.</summary>
    Break,

    /// <summary>The ` ~ key.</summary>
    Grave,
    D1, D2, D3, D4, D5, D6, D7, D8, D9, D0,
    Minus,
    Equals,
    Backspace,
    Tab,
    Q, W, E, R, T, Y, U, I, O, P,
    LeftBracket,
    RightBracket,
    Backslash,
    CapsLock,
    A, S, D, F, G, H, J, K, L,
    Semicolon,
    Apostrophe,
    Enter,
    LeftShift,
    Z, X, C, V, B, N, M,
    Comma,
    Period,
    Slash,
    RightShift,
    LeftControl,
    LeftGui,
    LeftAlt,
    Space,
    RightAlt,
    RightGui,

    /// <summary>The context menu (Apps) key.</summary>
    Menu,
    RightControl,

    /// <summary>The extra key left of Z on ISO (105-key) keyboards.</summary>
    NonUsBackslash,
    Insert, Delete, Home, End, PageUp, PageDown,
    Up, Down, Left, Right,
    NumLock,
    KeypadDivide, KeypadMultiply, KeypadMinus, KeypadPlus, KeypadEnter, KeypadPeriod,
    Keypad0, Keypad1, Keypad2, Keypad3, Keypad4, Keypad5, Keypad6, Keypad7, Keypad8, Keypad9,
}
