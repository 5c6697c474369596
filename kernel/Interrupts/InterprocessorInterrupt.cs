// Interprocessor interrupts: the values of the local APIC's Interrupt Command Register (Intel SDM Vol. 3A §11.6.1,
// Figure 11-12) in xAPIC mode (two 32-bit MMIO words at 0x310/0x300) and in x2APIC mode (one 64-bit write to MSR
// 0x830, §11.12.9, with 32-bit destinations, §11.12.10). Pure logic, host-tested: the commands SMP bring-up needs
// (INIT and STARTUP for the INIT-SIPI-SIPI sequence of §8.4.4.1) plus fixed-vector and NMI IPIs.
namespace Kernel.Interrupts;

/// <summary>Whether an IPI can be sent as asked, or why not.</summary>
public enum IpiStatus
{
    /// <summary>The command is well formed and encodable.</summary>
    Ok = 0,

    /// <summary>A fixed-delivery vector in 0-15: the local APIC rejects it ("send illegal vector", §11.5.3).</summary>
    IllegalVector,

    /// <summary>A STARTUP trampoline address that is not on a 4 KiB boundary: the SIPI vector names a page (§8.4.4.1).</summary>
    TrampolineNotPageAligned,

    /// <summary>A STARTUP trampoline at or above 1 MiB: the woken CPU starts in real mode at vector × 4 KiB.</summary>
    TrampolineAbove1MiB,

    /// <summary>A STARTUP trampoline page in 0xA0-0xBF, the SIPI vectors the MP specification reserves (VGA memory).</summary>
    TrampolineInReservedPages,

    /// <summary>The destination APIC ID does not fit the xAPIC's 8-bit destination field; only x2APIC mode reaches it.</summary>
    DestinationNeedsX2Apic,

    /// <summary>The destination is the broadcast ID (0xFF in xAPIC mode, 0xFFFFFFFF in x2APIC mode), not one CPU.</summary>
    DestinationIsBroadcast,

    /// <summary>Sent in xAPIC mode, but the delivery status never cleared (LocalApic.Send).</summary>
    Undelivered,
}

/// <summary>The ICR delivery modes the kernel sends (bits 10:8, §11.6.1).</summary>
public enum IpiDeliveryMode : uint
{
    /// <summary>000b: the vector in bits 7:0 is delivered as an ordinary interrupt.</summary>
    Fixed = 0,

    /// <summary>100b: a non-maskable interrupt; the vector field is ignored (and sent as 0).</summary>
    Nmi = 4,

    /// <summary>101b: INIT, resetting the target into the wait-for-SIPI state.</summary>
    Init = 5,

    /// <summary>110b: STARTUP (SIPI); the vector is the real-mode start page.</summary>
    Startup = 6,
}

/// <summary>The ICR destination shorthand (bits 19:18, §11.6.1).</summary>
public enum IpiShorthand : uint
{
    /// <summary>00b: the destination field names the target.</summary>
    None = 0,

    /// <summary>01b: the sending CPU itself (fixed delivery only).</summary>
    Self = 1,

    /// <summary>10b: every CPU including the sender (fixed delivery only).</summary>
    AllIncludingSelf = 2,

    /// <summary>11b: every CPU except the sender.</summary>
    AllExcludingSelf = 3,
}

/// <summary>
/// One IPI command, made by the factory methods (which check their arguments and record a <see cref="Status"/>
/// instead of throwing) and turned into register values by <see cref="EncodeXApic"/> or <see cref="EncodeX2Apic"/>.
/// Always physical destination mode (bit 11 clear), level Assert (bit 14, which §11.6.1 requires for every
/// delivery mode except INIT level de-assert, and which newer processors always send as 1) and edge trigger
/// (bit 15 clear), as in the SDM's own INIT-SIPI-SIPI example (§8.4.4.1, Example 8-1: 0x000C4500, 0x000C46xx).
/// </summary>
public readonly struct InterprocessorInterrupt
{
    /// <summary>The x2APIC ICR's MSR (§11.12.1.2, Table 11-6): 0x800 + xAPIC offset 0x300 / 16.</summary>
    public const uint X2ApicIcrMsr = 0x830;

    /// <summary>xAPIC MMIO offset of the ICR's low word (bits 31:0); writing it sends the IPI.</summary>
    public const uint XApicIcrLowOffset = 0x300;

    /// <summary>xAPIC MMIO offset of the ICR's high word (bits 63:32, destination in 31:24); write it first.</summary>
    public const uint XApicIcrHighOffset = 0x310;

    /// <summary>Bit 11: logical destination mode (clear: physical).</summary>
    public const uint LogicalDestinationBit = 1u << 11;

    /// <summary>Bit 12, xAPIC only: delivery status, 1 while the IPI is still pending (read only; absent in x2APIC mode).</summary>
    public const uint DeliveryPendingBit = 1u << 12;

    /// <summary>Bit 14: level Assert.</summary>
    public const uint LevelAssertBit = 1u << 14;

    /// <summary>Bit 15: level-triggered (clear: edge).</summary>
    public const uint LevelTriggerBit = 1u << 15;

    /// <summary>First vector a fixed IPI may carry; 0-15 are reserved for exceptions and illegal to send.</summary>
    public const int FirstLegalVector = 16;

    /// <summary>The STARTUP trampoline must lie below this address (real mode: vector 0x00-0xFF × 4 KiB).</summary>
    public const ulong TrampolineLimit = 0x10_0000;

    /// <summary>The size and alignment of the page a SIPI vector names.</summary>
    public const ulong TrampolinePageSize = 0x1000;

    /// <summary>Largest APIC ID the xAPIC destination field (8 bits) can carry; 0xFF itself is broadcast.</summary>
    public const uint MaxXApicId = 0xFF;

    /// <summary>The xAPIC physical-mode broadcast destination.</summary>
    public const uint XApicBroadcast = 0xFF;

    /// <summary>The x2APIC physical-mode broadcast destination.</summary>
    public const uint X2ApicBroadcast = 0xFFFF_FFFF;

    private const int DeliveryModeShift = 8;
    private const int ShorthandShift = 18;
    private const int XApicDestinationShift = 24;
    private const int X2ApicDestinationShift = 32;
    private const uint FirstReservedStartupPage = 0xA0;
    private const uint LastReservedStartupPage = 0xBF;
    private const int PageShift = 12;

    private InterprocessorInterrupt(IpiStatus status, IpiDeliveryMode deliveryMode, byte vector, IpiShorthand shorthand, uint destinationApicId)
    {
        Status = status;
        DeliveryMode = deliveryMode;
        Vector = vector;
        Shorthand = shorthand;
        DestinationApicId = destinationApicId;
    }

    /// <summary>Ok, or why the arguments given to the factory method cannot make an IPI.</summary>
    public IpiStatus Status { get; }

    /// <summary>What the target does with the IPI.</summary>
    public IpiDeliveryMode DeliveryMode { get; }

    /// <summary>The vector field: the interrupt vector (fixed), the start page (STARTUP), or 0 (INIT, NMI).</summary>
    public byte Vector { get; }

    /// <summary>The destination shorthand; with anything but None the destination field is ignored (and sent as 0).</summary>
    public IpiShorthand Shorthand { get; }

    /// <summary>The target's APIC ID (physical mode) when <see cref="Shorthand"/> is None, else 0.</summary>
    public uint DestinationApicId { get; }

    /// <summary>INIT to one CPU: delivery mode INIT, level Assert, edge (the first step of INIT-SIPI-SIPI, §8.4.4.1).</summary>
    public static InterprocessorInterrupt Init(uint apicId) => ToOne(IpiDeliveryMode.Init, 0, apicId);

    /// <summary>INIT to every CPU but the sender (the broadcast form of §8.4.4.1's Example 8-1).</summary>
    public static InterprocessorInterrupt InitToAllExcludingSelf() => ToShorthand(IpiDeliveryMode.Init, 0, IpiShorthand.AllExcludingSelf);

    /// <summary>
    /// STARTUP (SIPI) to one CPU, which starts in real mode at CS:IP = vector × 0x100 : 0, i.e. at physical
    /// address vector × 4 KiB (§8.4.4.1). The trampoline address must be 4 KiB aligned, below 1 MiB and not in the
    /// reserved pages 0xA0000-0xBFFFF; otherwise <see cref="Status"/> says which rule it broke.
    /// </summary>
    public static InterprocessorInterrupt Startup(uint apicId, ulong trampolineAddress)
    {
        IpiStatus status = StartupVectorFor(trampolineAddress, out byte vector);
        return status == IpiStatus.Ok ? ToOne(IpiDeliveryMode.Startup, vector, apicId) : Invalid(status, IpiDeliveryMode.Startup);
    }

    /// <summary>STARTUP (SIPI) to every CPU but the sender; the trampoline rules are those of <see cref="Startup"/>.</summary>
    public static InterprocessorInterrupt StartupToAllExcludingSelf(ulong trampolineAddress)
    {
        IpiStatus status = StartupVectorFor(trampolineAddress, out byte vector);
        return status == IpiStatus.Ok
            ? ToShorthand(IpiDeliveryMode.Startup, vector, IpiShorthand.AllExcludingSelf)
            : Invalid(status, IpiDeliveryMode.Startup);
    }

    /// <summary>A fixed interrupt with <paramref name="vector"/> (16-255) to one CPU.</summary>
    public static InterprocessorInterrupt Fixed(uint apicId, byte vector) =>
        vector < FirstLegalVector ? Invalid(IpiStatus.IllegalVector, IpiDeliveryMode.Fixed) : ToOne(IpiDeliveryMode.Fixed, vector, apicId);

    /// <summary>A fixed interrupt with <paramref name="vector"/> (16-255) to the sending CPU itself.</summary>
    public static InterprocessorInterrupt FixedToSelf(byte vector) => FixedTo(IpiShorthand.Self, vector);

    /// <summary>A fixed interrupt with <paramref name="vector"/> (16-255) to every CPU but the sender.</summary>
    public static InterprocessorInterrupt FixedToAllExcludingSelf(byte vector) => FixedTo(IpiShorthand.AllExcludingSelf, vector);

    /// <summary>A non-maskable interrupt to one CPU (vector field 0, as §11.6.1 asks for future compatibility).</summary>
    public static InterprocessorInterrupt Nmi(uint apicId) => ToOne(IpiDeliveryMode.Nmi, 0, apicId);

    /// <summary>A non-maskable interrupt to every CPU but the sender.</summary>
    public static InterprocessorInterrupt NmiToAllExcludingSelf() => ToShorthand(IpiDeliveryMode.Nmi, 0, IpiShorthand.AllExcludingSelf);

    /// <summary>
    /// The SIPI vector for a trampoline at <paramref name="trampolineAddress"/>: its page number (address / 4 KiB).
    /// Ok only for a 4 KiB aligned address below 1 MiB outside the reserved pages 0xA0-0xBF; vector is 0 otherwise.
    /// </summary>
    public static IpiStatus StartupVectorFor(ulong trampolineAddress, out byte vector)
    {
        vector = 0;
        if ((trampolineAddress & (TrampolinePageSize - 1)) != 0)
        {
            return IpiStatus.TrampolineNotPageAligned;
        }

        if (trampolineAddress >= TrampolineLimit)
        {
            return IpiStatus.TrampolineAbove1MiB;
        }

        uint page = (uint)(trampolineAddress >> PageShift);
        if (page >= FirstReservedStartupPage && page <= LastReservedStartupPage)
        {
            return IpiStatus.TrampolineInReservedPages;
        }

        vector = (byte)page;
        return IpiStatus.Ok;
    }

    /// <summary>
    /// The ICR's low word (bits 31:0), the same in both modes: vector | delivery mode &lt;&lt; 8 | level Assert (bit 14)
    /// | shorthand &lt;&lt; 18; physical destination mode and edge trigger leave bits 11 and 15 clear. 0 when not Ok.
    /// </summary>
    public uint LowWord =>
        Status != IpiStatus.Ok ? 0 : Vector | ((uint)DeliveryMode << DeliveryModeShift) | LevelAssertBit | ((uint)Shorthand << ShorthandShift);

    /// <summary>
    /// The xAPIC register values: <paramref name="high"/> for offset 0x310 (destination APIC ID in bits 31:24) and
    /// <paramref name="low"/> for offset 0x300. Write high first: writing low sends the IPI (§11.6.1). Fails (both
    /// 0) when <see cref="Status"/> is not Ok, when the destination does not fit 8 bits (DestinationNeedsX2Apic:
    /// never truncated) or is 0xFF, the broadcast ID.
    /// </summary>
    public IpiStatus EncodeXApic(out uint high, out uint low)
    {
        high = 0;
        low = 0;
        if (Status != IpiStatus.Ok)
        {
            return Status;
        }

        if (Shorthand == IpiShorthand.None)
        {
            if (DestinationApicId > MaxXApicId)
            {
                return IpiStatus.DestinationNeedsX2Apic;
            }

            if (DestinationApicId == XApicBroadcast)
            {
                return IpiStatus.DestinationIsBroadcast;
            }

            high = DestinationApicId << XApicDestinationShift;
        }

        low = LowWord;
        return IpiStatus.Ok;
    }

    /// <summary>
    /// The value for the x2APIC ICR, MSR 0x830, written with one WRMSR (§11.12.9): the 32-bit x2APIC ID in bits
    /// 63:32 (§11.12.10) over <see cref="LowWord"/>; there is no delivery-status bit to wait on. Fails (0) when
    /// <see cref="Status"/> is not Ok or the destination is 0xFFFFFFFF, the broadcast ID.
    /// </summary>
    public IpiStatus EncodeX2Apic(out ulong value)
    {
        value = 0;
        if (Status != IpiStatus.Ok)
        {
            return Status;
        }

        ulong destination = 0;
        if (Shorthand == IpiShorthand.None)
        {
            if (DestinationApicId == X2ApicBroadcast)
            {
                return IpiStatus.DestinationIsBroadcast;
            }

            destination = (ulong)DestinationApicId << X2ApicDestinationShift;
        }

        value = destination | LowWord;
        return IpiStatus.Ok;
    }

    /// <summary>A short description of a status for logs, e.g. "trampoline not 4 KiB aligned".</summary>
    public static string StatusName(IpiStatus status)
    {
        switch (status)
        {
            case IpiStatus.Ok: return "ok";
            case IpiStatus.IllegalVector: return "vector 0-15 is illegal";
            case IpiStatus.TrampolineNotPageAligned: return "trampoline not 4 KiB aligned";
            case IpiStatus.TrampolineAbove1MiB: return "trampoline not below 1 MiB";
            case IpiStatus.TrampolineInReservedPages: return "trampoline in reserved pages 0xA0000-0xBFFFF";
            case IpiStatus.DestinationNeedsX2Apic: return "APIC ID above 255 needs x2APIC mode";
            case IpiStatus.DestinationIsBroadcast: return "destination is the broadcast APIC ID";
            case IpiStatus.Undelivered: return "the local APIC never reported it sent";
            default: return "unknown status";
        }
    }

    private static InterprocessorInterrupt FixedTo(IpiShorthand shorthand, byte vector) =>
        vector < FirstLegalVector ? Invalid(IpiStatus.IllegalVector, IpiDeliveryMode.Fixed) : ToShorthand(IpiDeliveryMode.Fixed, vector, shorthand);

    private static InterprocessorInterrupt ToOne(IpiDeliveryMode mode, byte vector, uint apicId) =>
        new InterprocessorInterrupt(IpiStatus.Ok, mode, vector, IpiShorthand.None, apicId);

    private static InterprocessorInterrupt ToShorthand(IpiDeliveryMode mode, byte vector, IpiShorthand shorthand) =>
        new InterprocessorInterrupt(IpiStatus.Ok, mode, vector, shorthand, 0);

    private static InterprocessorInterrupt Invalid(IpiStatus status, IpiDeliveryMode mode) =>
        new InterprocessorInterrupt(status, mode, 0, IpiShorthand.None, 0);
}
