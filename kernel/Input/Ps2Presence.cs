// Whether to use the i8042 PS/2 controller, from three kinds of evidence (issue 12): the FADT's IA-PC boot flag
// "8042" (ACPI 6.5 Table 5.11), a PS/2 keyboard declared in the DSDT/SSDTs (Linux's i8042 PNP probe,
// drivers/input/serio/i8042-acpipnpio.h), and what the controller itself answers to a bounded probe.
using Kernel.Acpi;

namespace Kernel.Input;

/// <summary>What the FADT's IA-PC boot architecture flags say about an 8042.</summary>
public enum Ps2FirmwareFlag
{
    /// <summary>The 8042 flag is set.</summary>
    Present = 0,

    /// <summary>The 8042 flag is clear: many real laptops clear it and still have one.</summary>
    Absent,

    /// <summary>No FADT, or one older than ACPI 2.0 (revision below 3), which has no such flag.</summary>
    Unknown,
}

/// <summary>What the DSDT and SSDTs say about a PS/2 keyboard device.</summary>
public enum Ps2TableEvidence
{
    /// <summary>A PS/2 keyboard ID (e.g. PNP0303) is in the AML.</summary>
    Declared = 0,

    /// <summary>The DSDT was read and holds no PS/2 keyboard ID (nor does any SSDT).</summary>
    NotDeclared,

    /// <summary>The DSDT could not be read, so the tables give no answer.</summary>
    Unreadable,
}

/// <summary>What the controller answered to <c>Ps2Controller.Probe</c>.</summary>
public enum Ps2ProbeResult
{
    /// <summary>It took a command and returned its configuration byte.</summary>
    Answered = 0,

    /// <summary>The status register read 0xFF: nothing decodes the port (an open bus).</summary>
    NoController,

    /// <summary>Something is at the port, but it did not take a command or did not answer within the time limit.</summary>
    TimedOut,
}

/// <summary>The decision: whether to initialise the controller, and the evidence for the boot log.</summary>
public readonly struct Ps2Decision
{
    /// <summary>Creates a decision.</summary>
    public Ps2Decision(bool useController, string evidence)
    {
        UseController = useController;
        Evidence = evidence;
    }

    /// <summary>Whether to initialise the controller and take IRQ 1.</summary>
    public bool UseController { get; }

    /// <summary>The evidence, in the order it was weighed, e.g. "FADT says no 8042, DSDT declares PNP0303, controller answered".</summary>
    public string Evidence { get; }
}

/// <summary>
/// The PS/2 presence policy. The controller is always probed, since the probe is safe (an open bus reads 0xFF and
/// every wait is bounded), and the controller's answer has the last word: no table can make a missing controller
/// work, and one that answers is used. Of the tables, the DSDT is preferred over the FADT, as in Linux: 49 of 160
/// real machines' tables clear the FADT's 8042 flag while their DSDT declares a PS/2 keyboard, ordinary laptops
/// among them. The evidence string names what decided, so a boot log shows why a keyboard was or was not used.
/// </summary>
public static class Ps2Presence
{
    /// <summary>
    /// The IDs of a PS/2 keyboard behind an 8042, as Linux's i8042 driver matches them (pnp_kbd_devids): PNP0303
    /// (IBM enhanced keyboard) and PNP030B (default keyboard) are what firmware uses today.
    /// </summary>
    public static readonly string[] KeyboardIds =
    {
        "PNP0303", "PNP030B", "PNP0300", "PNP0301", "PNP0302", "PNP0304", "PNP0305", "PNP0306", "PNP0309", "PNP030A",
        "PNP0320", "PNP0343", "PNP0344", "PNP0345", "CPQA0D7",
    };

    /// <summary>
    /// Weighs the evidence from the parsed tables: <paramref name="fadt"/> may be null (no FADT), and
    /// <paramref name="declared"/> is the search for <see cref="KeyboardIds"/> in the DSDT and SSDTs.
    /// </summary>
    public static Ps2Decision Decide(Fadt fadt, AmlIdSearch declared, Ps2ProbeResult probe) =>
        Decide(FirmwareFlag(fadt), TableEvidence(declared.Status), declared.Id, declared.Table, probe);

    /// <summary>What the FADT says: the 8042 flag when the table is valid and new enough to have it.</summary>
    public static Ps2FirmwareFlag FirmwareFlag(Fadt fadt)
    {
        if (fadt == null || fadt.Status != FadtStatus.Ok || !fadt.BootArchitectureKnown)
            return Ps2FirmwareFlag.Unknown;
        return fadt.Has8042 ? Ps2FirmwareFlag.Present : Ps2FirmwareFlag.Absent;
    }

    /// <summary>What the AML search says.</summary>
    public static Ps2TableEvidence TableEvidence(AmlIdSearchStatus status)
    {
        switch (status)
        {
            case AmlIdSearchStatus.Found: return Ps2TableEvidence.Declared;
            case AmlIdSearchStatus.NotFound: return Ps2TableEvidence.NotDeclared;
            default: return Ps2TableEvidence.Unreadable;
        }
    }

    /// <summary>
    /// Weighs the evidence. When the tables declare a keyboard, <paramref name="declaredId"/> is its ID and
    /// <paramref name="declaredIn"/> the table's signature ("DSDT" or "SSDT"); both are only used in the text.
    /// </summary>
    public static Ps2Decision Decide(Ps2FirmwareFlag fadt, Ps2TableEvidence tables, string declaredId, string declaredIn, Ps2ProbeResult probe)
    {
        string evidence = DescribeFadt(fadt) + ", " + DescribeTables(tables, declaredId, declaredIn) + ", " + DescribeProbe(probe);
        if (probe != Ps2ProbeResult.Answered)
            return new Ps2Decision(false, evidence);
        // The controller answered. When both tables deny it, say so: the controller alone decided (it may be the
        // firmware's SMM emulation of ports 0x60/0x64 for a USB keyboard, which works until the xHCI hand-off).
        if (fadt == Ps2FirmwareFlag.Absent && tables != Ps2TableEvidence.Declared)
            return new Ps2Decision(true, evidence + " anyway");
        return new Ps2Decision(true, evidence);
    }

    private static string DescribeFadt(Ps2FirmwareFlag fadt)
    {
        switch (fadt)
        {
            case Ps2FirmwareFlag.Present: return "FADT says 8042 present";
            case Ps2FirmwareFlag.Absent: return "FADT says no 8042";
            default: return "FADT cannot say (none, or older than ACPI 2.0)";
        }
    }

    private static string DescribeTables(Ps2TableEvidence tables, string declaredId, string declaredIn)
    {
        switch (tables)
        {
            case Ps2TableEvidence.Declared: return (declaredIn ?? "DSDT") + " declares " + (declaredId ?? "a PS/2 keyboard");
            case Ps2TableEvidence.NotDeclared: return "DSDT declares no PS/2 keyboard";
            default: return "DSDT unreadable";
        }
    }

    private static string DescribeProbe(Ps2ProbeResult probe)
    {
        switch (probe)
        {
            case Ps2ProbeResult.Answered: return "controller answered";
            case Ps2ProbeResult.NoController: return "no controller (status 0xFF)";
            default: return "controller did not answer in time";
        }
    }
}
