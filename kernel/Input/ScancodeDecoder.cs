// PS/2 scan code set 1 decoder (OSDev wiki "PS/2 Keyboard", "Scan Code Set 1"): turns the byte stream from port
// 0x60 into key events, keeping modifier and lock state. Pure: the interrupt handler feeds it bytes.
namespace Kernel.Input;

/// <summary>
/// A state machine fed one scan code byte at a time. Bytes that are not part of a known key (controller
/// responses such as 0xFA, error codes 0x00 and 0xFF, unmapped or multimedia keys, broken prefix sequences) are
/// dropped and counted in <see cref="UnknownCount"/>; nothing is fatal and the next valid code decodes normally.
/// </summary>
/// <remarks>
/// Lock keys toggle on a press, not on typematic repeats: PS/2 keyboards repeat the make code of a held key,
/// and a held Caps Lock toggling on and off would be useless, so a make of a key already down is reported with
/// <see cref="KeyEvent.IsRepeat"/> and toggles nothing. If a break code is lost (controller overrun), the next
/// press of that key counts as a repeat; its release puts things right. Keypad keys follow Num Lock only
/// (Shift does not invert it). The caller updates the keyboard LEDs from <see cref="LedBits"/>.
/// </remarks>
public sealed class ScancodeDecoder
{
    // Decoder states between bytes.
    private const int Normal = 0;
    private const int AfterExtendedPrefix = 1;
    private const int AfterPausePrefix = 2;
    private const int AfterPauseFirst = 3;

    // PS/2 "Set LEDs" (command 0xED) data byte bits.
    private const int ScrollLockLed = 1 << 0;
    private const int NumLockLed = 1 << 1;
    private const int CapsLockLed = 1 << 2;

    private const int KeyCount = 256;

    private readonly bool[] _down = new bool[KeyCount];
    private int _state;
    private bool _pauseBreak;

    /// <summary>Creates a decoder with every lock off.</summary>
    public ScancodeDecoder()
    {
    }

    /// <summary>Creates a decoder with the lock states in <paramref name="locks"/> (other flags are ignored).</summary>
    public ScancodeDecoder(KeyModifiers locks)
    {
        Modifiers = locks & KeyModifiers.Locks;
    }

    /// <summary>Modifiers held and locks on now.</summary>
    public KeyModifiers Modifiers { get; private set; }

    /// <summary>Bytes (or byte sequences) dropped because they were not a known key.</summary>
    public int UnknownCount { get; private set; }

    /// <summary>The lock states as the data byte of the PS/2 Set LEDs command (0xED).</summary>
    public byte LedBits =>
        (byte)(((Modifiers & KeyModifiers.ScrollLock) != 0 ? ScrollLockLed : 0)
            | ((Modifiers & KeyModifiers.NumLock) != 0 ? NumLockLed : 0)
            | ((Modifiers & KeyModifiers.CapsLock) != 0 ? CapsLockLed : 0));

    /// <summary>Whether <paramref name="key"/> is held (by its physical key: Keypad8, not Up).</summary>
    public bool IsDown(Key key) => _down[(int)key];

    /// <summary>
    /// Consumes one byte. Returns true with <paramref name="keyEvent"/> set when the byte completes a key press
    /// or release; false when it was a prefix, a fake shift, or dropped.
    /// </summary>
    public bool Feed(byte scancode, out KeyEvent keyEvent)
    {
        keyEvent = default;
        switch (_state)
        {
            case AfterExtendedPrefix:
                return FeedExtended(scancode, out keyEvent);
            case AfterPausePrefix:
                if ((scancode & ~ScancodeSet1.BreakBit) == ScancodeSet1.PauseFirst)
                {
                    _pauseBreak = (scancode & ScancodeSet1.BreakBit) != 0;
                    _state = AfterPauseFirst;
                    return false;
                }

                return AbandonPause(scancode, out keyEvent);
            case AfterPauseFirst:
                if (scancode == (_pauseBreak ? ScancodeSet1.PauseSecond | ScancodeSet1.BreakBit : ScancodeSet1.PauseSecond))
                {
                    _state = Normal;
                    return Emit(Key.Pause, !_pauseBreak, false, out keyEvent);
                }

                return AbandonPause(scancode, out keyEvent);
            default:
                return FeedNormal(scancode, out keyEvent);
        }
    }

    private bool FeedNormal(byte scancode, out KeyEvent keyEvent)
    {
        keyEvent = default;
        if (scancode == ScancodeSet1.ExtendedPrefix)
        {
            _state = AfterExtendedPrefix;
            return false;
        }

        if (scancode == ScancodeSet1.PausePrefix)
        {
            _state = AfterPausePrefix;
            return false;
        }

        Key key = ScancodeSet1.Base(scancode & ~ScancodeSet1.BreakBit);
        if (key == Key.None)
        {
            UnknownCount++;
            return false;
        }

        bool isKeypad = key >= Key.KeypadDivide && key <= Key.Keypad9;
        return Emit(key, (scancode & ScancodeSet1.BreakBit) == 0, isKeypad, out keyEvent);
    }

    private bool FeedExtended(byte scancode, out KeyEvent keyEvent)
    {
        keyEvent = default;
        _state = Normal;
        if (scancode == ScancodeSet1.ExtendedPrefix || scancode == ScancodeSet1.PausePrefix)
        {
            // The previous E0 led nowhere; this byte starts afresh.
            UnknownCount++;
            return FeedNormal(scancode, out keyEvent);
        }

        int code = scancode & ~ScancodeSet1.BreakBit;
        if (code == ScancodeSet1.FakeLeftShift || code == ScancodeSet1.FakeRightShift)
        {
            return false;
        }

        Key key = ScancodeSet1.Extended(code);
        if (key == Key.None)
        {
            UnknownCount++;
            return false;
        }

        bool isKeypad = key == Key.KeypadEnter || key == Key.KeypadDivide;
        return Emit(key, (scancode & ScancodeSet1.BreakBit) == 0, isKeypad, out keyEvent);
    }

    // A broken Pause sequence: the E1 (and 1D) are dropped as one unknown sequence and the byte that broke it is
    // decoded on its own, so a real key arriving after a stray E1 is not lost.
    private bool AbandonPause(byte scancode, out KeyEvent keyEvent)
    {
        UnknownCount++;
        _state = Normal;
        return FeedNormal(scancode, out keyEvent);
    }

    private bool Emit(Key physical, bool pressed, bool isKeypad, out KeyEvent keyEvent)
    {
        bool repeat = pressed && _down[(int)physical];
        _down[(int)physical] = pressed;
        UpdateModifiers(physical, pressed, repeat);
        // With Num Lock off the keypad's digit keys navigate and type nothing (keypad 5 does nothing at all).
        bool navigating = isKeypad && (Modifiers & KeyModifiers.NumLock) == 0 && ScancodeSet1.FollowsNumLock(physical);
        Key key = navigating ? ScancodeSet1.KeypadNavigation(physical) : physical;
        char character = pressed && !navigating ? UsLayout.Character(key, Modifiers) : '\0';
        keyEvent = new KeyEvent(key, character, pressed, repeat, isKeypad, Modifiers);
        return true;
    }

    private void UpdateModifiers(Key key, bool pressed, bool repeat)
    {
        switch (key)
        {
            case Key.LeftShift: Hold(KeyModifiers.LeftShift, pressed); break;
            case Key.RightShift: Hold(KeyModifiers.RightShift, pressed); break;
            case Key.LeftControl: Hold(KeyModifiers.LeftControl, pressed); break;
            case Key.RightControl: Hold(KeyModifiers.RightControl, pressed); break;
            case Key.LeftAlt: Hold(KeyModifiers.LeftAlt, pressed); break;
            case Key.RightAlt: Hold(KeyModifiers.RightAlt, pressed); break;
            case Key.CapsLock: Toggle(KeyModifiers.CapsLock, pressed && !repeat); break;
            case Key.NumLock: Toggle(KeyModifiers.NumLock, pressed && !repeat); break;
            case Key.ScrollLock: Toggle(KeyModifiers.ScrollLock, pressed && !repeat); break;
        }
    }

    private void Hold(KeyModifiers modifier, bool pressed) =>
        Modifiers = pressed ? Modifiers | modifier : Modifiers & ~modifier;

    private void Toggle(KeyModifiers lockState, bool toggle)
    {
        if (toggle)
        {
            Modifiers ^= lockState;
        }
    }
}
