// The HID boot keyboard input report (HID 1.11 Appendix B.1: byte 0 modifier bits, byte 1 reserved, bytes 2-7
// up to six key usages, Appendix C for ErrorRollOver) turned into PS/2 scan code set 1 bytes by comparing each
// report with the previous one. Pure and allocation-free per report: the xHCI driver calls it with the
// interrupt IN buffer and feeds the bytes to the same input ring the PS/2 interrupt fills.
using System;

namespace Kernel.Usb;

/// <summary>What a boot report was.</summary>
public enum BootReportStatus
{
    /// <summary>Decoded; the bytes (possibly none) are in the output.</summary>
    Ok = 0,

    /// <summary>Fewer than 3 bytes (modifiers, reserved, one key slot): nothing decoded, state kept.</summary>
    TooShort,

    /// <summary>A key slot held ErrorRollOver, POSTFail or ErrorUndefined: the report was ignored, state kept.</summary>
    Error,

    /// <summary>The output span is shorter than <see cref="BootKeyboardDecoder.MaxOutputBytes"/>: nothing decoded.</summary>
    OutputTooSmall,
}

/// <summary>
/// Turns successive boot keyboard reports into set 1 make and break codes, in a fixed order: modifier changes
/// (bit 0 to 7), then releases (in the previous report's slot order), then presses (in the new report's slot
/// order), so a release and a press in the same report never leave two keys apparently down at once.
/// </summary>
/// <remarks>
/// Usages repeated in one report count once. Modifier usages (0xE0-0xE7) in the key slots are ignored: the
/// modifier byte is what counts, as in boot protocol. Keys without a set 1 code are tracked (so their release
/// is quiet) and counted in <see cref="UnmappedCount"/> when pressed. After each report
/// <see cref="Pressed"/> and <see cref="Released"/> list the usages that went down and up, modifiers included,
/// for <see cref="KeyRepeat"/> and <see cref="LockLeds"/>.
/// </remarks>
public sealed class BootKeyboardDecoder
{
    /// <summary>Bytes of a boot report.</summary>
    public const int ReportLength = 8;

    /// <summary>The shortest report decoded: modifiers, reserved byte, one key slot.</summary>
    public const int MinimumReportLength = 3;

    /// <summary>Key slots in a boot report.</summary>
    public const int KeySlots = 6;

    /// <summary>
    /// The most output one report can produce: 8 modifier changes of 2 bytes, 6 releases and 6 presses of up to 6
    /// bytes (Pause). An output span this long always suffices.
    /// </summary>
    public const int MaxOutputBytes = 8 * 2 + 2 * KeySlots * HidKeyboardUsages.MaxBytesPerKey;

    private const int ModifierCount = 8;
    private const int KeysOffset = 2;
    private const int MaxChanges = ModifierCount + KeySlots;

    private readonly byte[] _keys = new byte[KeySlots];
    private readonly byte[] _newKeys = new byte[KeySlots];
    private readonly byte[] _pressed = new byte[MaxChanges];
    private readonly byte[] _released = new byte[MaxChanges];
    private int _keyCount;
    private int _pressedCount;
    private int _releasedCount;

    /// <summary>The modifier byte of the last accepted report.</summary>
    public byte Modifiers { get; private set; }

    /// <summary>Presses of keys that have no set 1 code (ignored).</summary>
    public int UnmappedCount { get; private set; }

    /// <summary>Reports ignored because they carried an error usage (too many keys down).</summary>
    public int ErrorReportCount { get; private set; }

    /// <summary>Reports shorter than <see cref="MinimumReportLength"/>.</summary>
    public int ShortReportCount { get; private set; }

    /// <summary>Usages that went down in the last report, in output order.</summary>
    public ReadOnlySpan<byte> Pressed => new ReadOnlySpan<byte>(_pressed, 0, _pressedCount);

    /// <summary>Usages that went up in the last report, in output order.</summary>
    public ReadOnlySpan<byte> Released => new ReadOnlySpan<byte>(_released, 0, _releasedCount);

    /// <summary>Whether a non-modifier key usage is down as of the last accepted report.</summary>
    public bool IsKeyDown(byte usage) => IndexOf(_keys, _keyCount, usage) >= 0;

    /// <summary>
    /// Decodes one report. On Ok, written is the number of set 1 bytes put in output (at most
    /// <see cref="MaxOutputBytes"/>); on any other status written is 0 and the key state is unchanged.
    /// </summary>
    public BootReportStatus Decode(ReadOnlySpan<byte> report, Span<byte> output, out int written)
    {
        written = 0;
        _pressedCount = 0;
        _releasedCount = 0;
        if (output.Length < MaxOutputBytes)
            return BootReportStatus.OutputTooSmall;
        if (report.Length < MinimumReportLength)
        {
            ShortReportCount++;
            return BootReportStatus.TooShort;
        }

        int slots = report.Length - KeysOffset;
        if (slots > KeySlots)
            slots = KeySlots;
        int newCount = 0;
        for (int i = 0; i < slots; i++)
        {
            byte usage = report[KeysOffset + i];
            if (HidKeyboardUsages.IsError(usage))
            {
                ErrorReportCount++;
                return BootReportStatus.Error;
            }

            if (usage == HidKeyboardUsages.None || HidKeyboardUsages.IsModifier(usage) || IndexOf(_newKeys, newCount, usage) >= 0)
                continue;
            _newKeys[newCount++] = usage;
        }

        written = WriteModifierChanges(report[0], output);
        for (int i = 0; i < _keyCount; i++)
        {
            if (IndexOf(_newKeys, newCount, _keys[i]) < 0)
                written += Emit(_keys[i], false, output.Slice(written));
        }

        for (int i = 0; i < newCount; i++)
        {
            if (IndexOf(_keys, _keyCount, _newKeys[i]) < 0)
                written += Emit(_newKeys[i], true, output.Slice(written));
        }

        for (int i = 0; i < newCount; i++)
            _keys[i] = _newKeys[i];
        _keyCount = newCount;
        Modifiers = report[0];
        return BootReportStatus.Ok;
    }

    /// <summary>Forgets every key and modifier (the device went away); no releases are produced.</summary>
    public void Reset()
    {
        _keyCount = 0;
        _pressedCount = 0;
        _releasedCount = 0;
        Modifiers = 0;
    }

    private int WriteModifierChanges(byte modifiers, Span<byte> output)
    {
        int written = 0;
        int changed = modifiers ^ Modifiers;
        for (int bit = 0; bit < ModifierCount; bit++)
        {
            if ((changed & (1 << bit)) != 0)
                written += Emit((byte)(HidKeyboardUsages.LeftControl + bit), (modifiers & (1 << bit)) != 0, output.Slice(written));
        }

        return written;
    }

    private int Emit(byte usage, bool pressed, Span<byte> output)
    {
        if (pressed)
        {
            _pressed[_pressedCount++] = usage;
            if (!HidKeyboardUsages.IsMapped(usage))
                UnmappedCount++;
        }
        else
        {
            _released[_releasedCount++] = usage;
        }

        return HidKeyboardUsages.WriteSet1(usage, pressed, output);
    }

    private static int IndexOf(byte[] keys, int count, byte usage)
    {
        for (int i = 0; i < count; i++)
        {
            if (keys[i] == usage)
                return i;
        }

        return -1;
    }
}
