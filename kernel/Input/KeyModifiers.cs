// Modifier keys held and lock states toggled (OSDev wiki "PS/2 Keyboard": the keyboard reports keys only; the
// OS keeps modifier and lock state itself and drives the lock LEDs).
using System;

namespace Kernel.Input;

/// <summary>Which modifier keys are held and which locks are on. Left and right keys are tracked apart.</summary>
[Flags]
public enum KeyModifiers : ushort
{
    None = 0,
    LeftShift = 1 << 0,
    RightShift = 1 << 1,
    LeftControl = 1 << 2,
    RightControl = 1 << 3,
    LeftAlt = 1 << 4,
    RightAlt = 1 << 5,
    CapsLock = 1 << 6,
    NumLock = 1 << 7,
    ScrollLock = 1 << 8,

    /// <summary>Either Shift key.</summary>
    Shift = LeftShift | RightShift,

    /// <summary>Either Ctrl key.</summary>
    Control = LeftControl | RightControl,

    /// <summary>Either Alt key.</summary>
    Alt = LeftAlt | RightAlt,

    /// <summary>The three lock states.</summary>
    Locks = CapsLock | NumLock | ScrollLock,
}
