// HID Keyboard/Keypad page (0x07) usages (HID Usage Tables 1.4 §10, Table 12) and the PS/2 scan code set 1 make
// codes they stand for, so a USB keyboard's keys reach the shell as the same bytes a PS/2 keyboard sends (the
// set 1 codes are those kernel/Input/ScancodeSet1.cs decodes; Microsoft's "Keyboard Scan Code Specification"
// lists both columns side by side).
using System;
using Kernel.Input;

namespace Kernel.Usb;

/// <summary>Keyboard-page usages the decoder treats specially, and the usage to set 1 translation.</summary>
public static class HidKeyboardUsages
{
    /// <summary>No key in this slot.</summary>
    public const byte None = 0x00;

    /// <summary>ErrorRollOver: more keys are down than the report can hold; the report carries no key state.</summary>
    public const byte ErrorRollOver = 0x01;

    /// <summary>POSTFail: the keyboard's self test failed.</summary>
    public const byte PostFail = 0x02;

    /// <summary>ErrorUndefined: an unspecified error.</summary>
    public const byte ErrorUndefined = 0x03;

    /// <summary>Keyboard Caps Lock.</summary>
    public const byte CapsLock = 0x39;

    /// <summary>Keyboard Print Screen.</summary>
    public const byte PrintScreen = 0x46;

    /// <summary>Keyboard Scroll Lock.</summary>
    public const byte ScrollLock = 0x47;

    /// <summary>Keyboard Pause.</summary>
    public const byte Pause = 0x48;

    /// <summary>Keypad Num Lock and Clear.</summary>
    public const byte NumLock = 0x53;

    /// <summary>Keyboard LeftControl, the first modifier; modifier bit n is usage LeftControl + n.</summary>
    public const byte LeftControl = 0xE0;

    /// <summary>Keyboard Right GUI, the last modifier.</summary>
    public const byte RightGui = 0xE7;

    /// <summary>Bytes at most one key's press or release becomes: Pause's E1 1D 45 E1 9D C5.</summary>
    public const int MaxBytesPerKey = 6;

    // Table entries: 0 for no set 1 code, the make code with bit 7 set for an E0-prefixed key (every set 1 make
    // code is below 0x80), or PauseEntry for Pause's own sequence.
    private const byte ExtendedFlag = 0x80;
    private const byte CodeMask = 0x7F;
    private const byte PauseEntry = 0xFF;

    // Print Screen is sent as E0 37 alone, without the fake shifts a real keyboard wraps it in (the decoder
    // ignores those anyway). Pause has no break; its make is a press-and-release sequence (set 1 table).
    private static ReadOnlySpan<byte> PauseSequence => new byte[]
    {
        0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5,
    };

    // Usages 0x00-0x67: a-z, 1-0, Enter ... keypad, Non-US \, Application (Menu). Usages 0x66 (Power) and 0x67
    // (keypad =) have set 1 codes (E0 5E, 59) the shell's decoder does not know, so they are left unmapped.
    private static ReadOnlySpan<byte> Codes => new byte[]
    {
        0x00, 0x00, 0x00, 0x00, 0x1E, 0x30, 0x2E, 0x20, // 00-07: none, errors, a b c d
        0x12, 0x21, 0x22, 0x23, 0x17, 0x24, 0x25, 0x26, // 08-0F: e f g h i j k l
        0x32, 0x31, 0x18, 0x19, 0x10, 0x13, 0x1F, 0x14, // 10-17: m n o p q r s t
        0x16, 0x2F, 0x11, 0x2D, 0x15, 0x2C, 0x02, 0x03, // 18-1F: u v w x y z 1 2
        0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, // 20-27: 3 4 5 6 7 8 9 0
        0x1C, 0x01, 0x0E, 0x0F, 0x39, 0x0C, 0x0D, 0x1A, // 28-2F: Enter Esc Backspace Tab Space - = [
        0x1B, 0x2B, 0x2B, 0x27, 0x28, 0x29, 0x33, 0x34, // 30-37: ] \ Non-US # ; ' ` , .
        0x35, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, // 38-3F: / CapsLock F1 F2 F3 F4 F5 F6
        0x41, 0x42, 0x43, 0x44, 0x57, 0x58, 0xB7, 0x46, // 40-47: F7 F8 F9 F10 F11 F12 PrintScreen ScrollLock
        0xFF, 0xD2, 0xC7, 0xC9, 0xD3, 0xCF, 0xD1, 0xCD, // 48-4F: Pause Insert Home PgUp Delete End PgDn Right
        0xCB, 0xD0, 0xC8, 0x45, 0xB5, 0x37, 0x4A, 0x4E, // 50-57: Left Down Up NumLock KP/ KP* KP- KP+
        0x9C, 0x4F, 0x50, 0x51, 0x4B, 0x4C, 0x4D, 0x47, // 58-5F: KPEnter KP1 KP2 KP3 KP4 KP5 KP6 KP7
        0x48, 0x49, 0x52, 0x53, 0x56, 0xDD, 0x00, 0x00, // 60-67: KP8 KP9 KP0 KP. Non-US \ Menu (Power) (KP=)
    };

    // Modifiers 0xE0-0xE7: LeftCtrl LeftShift LeftAlt LeftGUI RightCtrl RightShift RightAlt RightGUI.
    private static ReadOnlySpan<byte> ModifierCodes => new byte[]
    {
        0x1D, 0x2A, 0x38, 0xDB, 0x9D, 0x36, 0xB8, 0xDC,
    };

    /// <summary>Whether usage is one of the error codes (ErrorRollOver, POSTFail, ErrorUndefined).</summary>
    public static bool IsError(byte usage) => usage >= ErrorRollOver && usage <= ErrorUndefined;

    /// <summary>Whether usage is a modifier key (LeftControl to RightGUI), reported in the modifier byte.</summary>
    public static bool IsModifier(byte usage) => usage >= LeftControl && usage <= RightGui;

    /// <summary>Whether the key has a set 1 code the shell's decoder understands.</summary>
    public static bool IsMapped(byte usage) => Entry(usage) != 0;

    /// <summary>Whether the key may repeat while held: mapped, not a modifier, not Pause (PS/2 does not repeat Pause).</summary>
    public static bool Repeats(byte usage) => IsMapped(usage) && !IsModifier(usage) && usage != Pause;

    /// <summary>
    /// Writes the set 1 bytes for a press (make) or release (break = make | 0x80) of usage into output and returns
    /// how many (0 for an unmapped usage, and for Pause's release: its make sequence already holds the break).
    /// When output is too short for the key's bytes, nothing is written and 0 returned.
    /// </summary>
    public static int WriteSet1(byte usage, bool pressed, Span<byte> output)
    {
        byte entry = Entry(usage);
        if (entry == 0)
            return 0;
        if (entry == PauseEntry)
        {
            if (!pressed || output.Length < PauseSequence.Length)
                return 0;
            PauseSequence.CopyTo(output);
            return PauseSequence.Length;
        }

        byte code = (byte)((entry & CodeMask) | (pressed ? 0 : ScancodeSet1.BreakBit));
        if ((entry & ExtendedFlag) == 0)
        {
            if (output.Length < 1)
                return 0;
            output[0] = code;
            return 1;
        }

        if (output.Length < 2)
            return 0;
        output[0] = ScancodeSet1.ExtendedPrefix;
        output[1] = code;
        return 2;
    }

    private static byte Entry(byte usage)
    {
        if (usage < Codes.Length)
            return Codes[usage];
        if (IsModifier(usage))
            return ModifierCodes[usage - LeftControl];
        return 0;
    }
}
