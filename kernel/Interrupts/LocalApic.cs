// The boot CPU's local APIC (Intel SDM Vol. 3A §11): enabled through IA32_APIC_BASE and the spurious-vector
// register, in x2APIC mode (MSRs) when the CPU has it, else xAPIC mode (MMIO, mapped uncached). Delivers its
// own timer and takes the end-of-interrupt for everything routed through the I/O APIC.
using Kernel.Arch;
using Kernel.Memory;

namespace Kernel.Interrupts;

/// <summary>The local APIC.</summary>
public static class LocalApic
{
    private static readonly ModelSpecificRegister Ia32ApicBase = new ModelSpecificRegister(0x1B);
    // The x2APIC registers are MSRs 0x800 + xAPIC offset / 16 (§11.12.1.2).
    private static readonly ModelSpecificRegister X2ApicRegisters = new ModelSpecificRegister(0x800);
    private const ulong ApicBaseEnable = 1UL << 11;
    private const ulong ApicBaseX2Apic = 1UL << 10;
    private const ulong ApicBaseAddressMask = 0x000F_FFFF_FFFF_F000;
    private const uint XApicRegisterBytes = 4096;

    // Register offsets in the xAPIC MMIO page (§11.4.1, Table 11-1); x2APIC MSR = 0x800 + offset / 16.
    private const uint Id = 0x020;
    private const uint Version = 0x030;
    private const uint TaskPriority = 0x080;
    private const uint EndOfInterruptRegister = 0x0B0;
    private const uint SpuriousVector = 0x0F0;
    private const uint ErrorStatus = 0x280;
    private const uint LvtTimer = 0x320;
    private const uint LvtLint0 = 0x350;
    private const uint LvtLint1 = 0x360;
    private const uint LvtError = 0x370;
    private const uint TimerInitialCount = 0x380;
    private const uint TimerCurrentCount = 0x390;
    private const uint TimerDivide = 0x3E0;
    private const uint InterruptCommandLow = 0x300;
    private const uint InterruptCommandHigh = 0x310;

    private const uint SoftwareEnable = 1u << 8;
    private const uint LvtMasked = 1u << 16;
    private const uint LvtTimerPeriodic = 1u << 17;
    private const uint DivideBy16 = 0x3;
    private const uint DeliveryPending = 1u << 12;
    private const int DeliveryPollLimit = 1_000_000;

    /// <summary>The timer counts bus/core crystal ticks divided by this.</summary>
    public const uint TimerDivisor = 16;

    private static MmioRegion s_mmio;

    /// <summary>Whether the APIC runs in x2APIC mode.</summary>
    public static bool IsX2Apic { get; private set; }

    /// <summary>The APIC ID of the boot CPU.</summary>
    public static uint ApicId => IsX2Apic ? Read(Id) : Read(Id) >> 24;

    /// <summary>Spurious interrupts seen.</summary>
    public static ulong SpuriousCount { get; private set; }

    /// <summary>APIC errors seen (ESR non-zero).</summary>
    public static ulong ErrorCount { get; private set; }

    /// <summary>Enables the APIC at physicalAddress (from the MADT), x2APIC when available; everything masked.</summary>
    /// <remarks>Safety: interrupts off; the legacy PIC must already be remapped and masked.</remarks>
    public static void Enable(ulong physicalAddress)
    {
        IsX2Apic = CpuFeatures.X2Apic;
        if (!IsX2Apic)
            s_mmio = MmioRegion.Map(physicalAddress, XApicRegisterBytes);
        EnableOnThisCpu();
    }

    /// <summary>
    /// Enables this CPU's local APIC in the mode Enable chose (an application processor's: every CPU sees its own
    /// APIC's registers at the same address): everything masked, the error and spurious vectors, software enable.
    /// Its timer stays off.
    /// </summary>
    /// <remarks>Safety: interrupts off; after Enable ran on the boot CPU; nothing here allocates.</remarks>
    public static void EnableOnThisCpu()
    {
        ulong baseMsr = Ia32ApicBase.Read() | ApicBaseEnable;
        if (IsX2Apic)
            baseMsr |= ApicBaseX2Apic;
        Ia32ApicBase.Write(baseMsr);
        Write(TaskPriority, 0);
        Write(LvtTimer, LvtMasked);
        Write(LvtLint0, LvtMasked);
        Write(LvtLint1, LvtMasked);
        Write(LvtError, Vectors.ApicError);
        // The ESR latches errors; writing before reading updates it (§11.5.3).
        Write(ErrorStatus, 0);
        Write(SpuriousVector, SoftwareEnable | Vectors.ApicSpurious);
    }

    /// <summary>
    /// For PIC mode: when the firmware left the local APIC enabled, the 8259's INTR and the NMI pass through its LINT
    /// pins (virtual wire), so the kernel must program them too. Attaches to the APIC in the mode the firmware chose
    /// and returns true; false when the APIC is globally disabled (then INTR and NMI reach the CPU directly).
    /// </summary>
    /// <remarks>Safety: interrupts off; only on a CPU with an APIC (CPUID), which has the IA32_APIC_BASE MSR.</remarks>
    public static bool TryAttachAsVirtualWire()
    {
        ulong baseMsr = Ia32ApicBase.Read();
        if ((baseMsr & ApicBaseEnable) == 0)
            return false;
        IsX2Apic = (baseMsr & ApicBaseX2Apic) != 0;
        if (!IsX2Apic)
            s_mmio = MmioRegion.Map(baseMsr & ApicBaseAddressMask, XApicRegisterBytes);
        return true;
    }

    /// <summary>Programs the LINT0 and LINT1 local vector table entries.</summary>
    public static void SetLocalInterruptPins(LocalInterruptPinSetting setting)
    {
        Write(LvtLint0, setting.Lint0);
        Write(LvtLint1, setting.Lint1);
    }

    /// <summary>The LVT LINT0 register as it is now (for tests).</summary>
    public static uint Lint0 => Read(LvtLint0);

    /// <summary>The LVT LINT1 register as it is now (for tests).</summary>
    public static uint Lint1 => Read(LvtLint1);

    /// <summary>Signals the end of the interrupt being serviced.</summary>
    public static void EndOfInterrupt() => Write(EndOfInterruptRegister, 0);

    /// <summary>Starts the timer counting down from initialCount, one shot, masked (for calibration).</summary>
    public static void StartCalibrationCount(uint initialCount)
    {
        Write(TimerDivide, DivideBy16);
        Write(LvtTimer, LvtMasked);
        Write(TimerInitialCount, initialCount);
    }

    /// <summary>The timer's current count.</summary>
    public static uint CurrentCount => Read(TimerCurrentCount);

    /// <summary>Runs the timer periodically, interrupting every count ticks (after the divider).</summary>
    public static void StartPeriodicTimer(uint count)
    {
        Write(TimerDivide, DivideBy16);
        Write(LvtTimer, LvtTimerPeriodic | Vectors.ApicTimer);
        Write(TimerInitialCount, count);
    }

    /// <summary>Records a spurious interrupt; it must not be acknowledged (§11.9).</summary>
    public static void NoteSpurious() => SpuriousCount++;

    /// <summary>Reads and clears the error status, counting the error.</summary>
    public static uint TakeError()
    {
        Write(ErrorStatus, 0);
        ErrorCount++;
        return Read(ErrorStatus);
    }

    /// <summary>Whether the local APIC can be used here (enabled by Enable or attached by TryAttachAsVirtualWire).</summary>
    public static bool IsAvailable => IsX2Apic || s_mmio != null;

    /// <summary>
    /// Sends an interprocessor interrupt (SDM Vol. 3A §11.6.1, §11.12.9): in x2APIC mode one write of the ICR MSR; in
    /// xAPIC mode the high word first (the low write sends), then the delivery status is polled, bounded. Returns
    /// Ok, the encoding's problem (e.g. an APIC ID above 254 in xAPIC mode), or Undelivered when the xAPIC never
    /// reported it sent.
    /// </summary>
    /// <remarks>Safety: interrupts off, so no handler on this CPU writes the ICR in between.</remarks>
    public static IpiStatus Send(InterprocessorInterrupt ipi)
    {
        if (IsX2Apic)
        {
            IpiStatus status = ipi.EncodeX2Apic(out ulong value);
            if (status == IpiStatus.Ok)
                X2ApicRegisters.At(InterruptCommandLow >> 4).Write(value);
            return status;
        }
        IpiStatus encoded = ipi.EncodeXApic(out uint high, out uint low);
        if (encoded != IpiStatus.Ok)
            return encoded;
        s_mmio.Write32(InterruptCommandHigh, high);
        s_mmio.Write32(InterruptCommandLow, low);
        for (int poll = 0; poll < DeliveryPollLimit; poll++)
        {
            if ((s_mmio.Read32(InterruptCommandLow) & DeliveryPending) == 0)
                return IpiStatus.Ok;
            Cpu.Pause();
        }
        return IpiStatus.Undelivered;
    }

    /// <summary>The version register (low byte: version; bits 16-23: highest LVT entry).</summary>
    public static uint VersionRegister => Read(Version);

    private static uint Read(uint register) =>
        IsX2Apic ? (uint)X2ApicRegisters.At(register >> 4).Read() : s_mmio.Read32(register);

    private static void Write(uint register, uint value)
    {
        if (IsX2Apic)
            X2ApicRegisters.At(register >> 4).Write(value);
        else
            s_mmio.Write32(register, value);
    }
}
