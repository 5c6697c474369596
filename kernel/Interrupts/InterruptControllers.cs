// Chooses and sets up the interrupt controllers (seed chapter "Hardware Interrupts", adapted to UEFI machines):
// the local APIC + I/O APICs from the ACPI MADT when there are any, the 8259 PIC otherwise or when irq=pic asks
// for it. Either way the PIC is remapped first, so it can never fire into the exception vectors.
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Cpus;

namespace Kernel.Interrupts;

/// <summary>The interrupt controller in use and what drivers need from it.</summary>
public static class InterruptControllers
{
    private static IoApic[] s_ioApics = new IoApic[0];
    private static Madt s_madt;
    private static string s_nmiWiring = "nmi: not wired yet";

    /// <summary>Whether the APIC delivers interrupts (else the PIC).</summary>
    public static bool UsingApic { get; private set; }

    /// <summary>The I/O APICs in use.</summary>
    public static IoApic[] IoApics => s_ioApics;

    /// <summary>
    /// Sets up the controller and the periodic timer at hz; interrupts stay disabled. Returns why the requested
    /// controller could not be used, or null.
    /// </summary>
    public static string Initialize(IrqMode requested, Madt madt, uint hz)
    {
        string problem = null;
        s_madt = madt;
        Pic8259.Remap();
        bool apicAvailable = CpuFeatures.Apic && madt != null && madt.IoApics.Length > 0;
        // A MADT that stopped at a malformed entry may lack an override or an I/O APIC: trust it only when asked to.
        bool madtComplete = madt != null && madt.Status == MadtStatus.Ok;
        UsingApic = requested == IrqMode.Apic || (requested == IrqMode.Auto && apicAvailable && madtComplete);
        if (UsingApic && !apicAvailable)
        {
            problem = "interrupts: irq=apic asked for, but " + (CpuFeatures.Apic ? "the MADT lists no I/O APIC" : "the CPU has no APIC") + "; using the PIC";
            UsingApic = false;
        }
        if (UsingApic)
        {
            LocalApic.Enable(madt.LocalApicAddress);
            s_ioApics = new IoApic[madt.IoApics.Length];
            for (int i = 0; i < s_ioApics.Length; i++)
                s_ioApics[i] = new IoApic(madt.IoApics[i].Id, madt.IoApics[i].Address, madt.IoApics[i].GsiBase);
            SystemTimer.Calibrate(apicTimer: true);
            SystemTimer.StartApicTimer(hz);
        }
        else
        {
            SystemTimer.Calibrate(apicTimer: false);
            SystemTimer.StartPitTimer(hz);
            Pic8259.Unmask(IsaIrq.Timer);
        }
        WireNmis(madt);
        return problem;
    }

    /// <summary>
    /// Where device messages (MSI, MSI-X) go: the boot CPU, which takes every device interrupt. False, with problem
    /// set, when the local APICs are not in use (irq=pic: the boot CPU's APIC may be off or a virtual wire).
    /// </summary>
    public static bool TryGetMessageTarget(out uint apicId, out string problem)
    {
        apicId = 0;
        problem = null;
        if (!UsingApic)
        {
            problem = "the local APIC is not in use";
            return false;
        }
        apicId = Processors.ApicIdOf(0);
        return true;
    }

    /// <summary>One line for the boot log: how NMIs reach the CPU.</summary>
    public static string DescribeNmiWiring() => s_nmiWiring;

    // The local APIC's LINT pins from the MADT (LINT1 is the PC's NMI input), LINT0 as ExtINT while the PIC
    // delivers; in APIC mode also the I/O APIC inputs the MADT names as NMI sources. A PIC-mode CPU whose APIC
    // the firmware disabled gets NMIs on its own NMI pin, which needs nothing.
    private static void WireNmis(Madt madt)
    {
        bool attached = UsingApic || (CpuFeatures.Apic && LocalApic.TryAttachAsVirtualWire());
        if (!attached)
        {
            s_nmiWiring = "nmi: the local APIC is off; the PIC's INTR and NMI reach the CPU directly";
            return;
        }
        bool hasUid = TryFindProcessorUid(madt, LocalApic.ApicId, out uint uid);
        LocalInterruptPinSetting pins = LocalInterruptPins.Choose(madt?.LocalApicNmis, hasUid, uid, picInUse: !UsingApic);
        LocalApic.SetLocalInterruptPins(pins);
        int sources = 0;
        if (UsingApic && madt != null)
        {
            for (int i = 0; i < madt.NmiSources.Length; i++)
            {
                MadtNmiSource source = madt.NmiSources[i];
                for (int j = 0; j < s_ioApics.Length; j++)
                {
                    if (s_ioApics[j].Handles(source.Gsi))
                    {
                        s_ioApics[j].RouteNmi(source.Gsi, Madt.PolarityOf(source.Flags) == InterruptPolarity.ActiveLow, LocalApic.ApicId);
                        sources++;
                        break;
                    }
                }
            }
        }
        s_nmiWiring = "nmi: " + pins.Description + (sources > 0 ? "; " + sources.ToString() + " I/O APIC input(s) as NMI sources" : "");
    }

    private static bool TryFindProcessorUid(Madt madt, uint apicId, out uint uid)
    {
        uid = 0;
        if (madt == null)
            return false;
        for (int i = 0; i < madt.Processors.Length; i++)
        {
            if (madt.Processors[i].ApicId == apicId)
            {
                uid = madt.Processors[i].ProcessorUid;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Unmasks ISA IRQ irq on vector 32 + irq, honouring the MADT's source overrides in APIC mode; false, with the
    /// reason, when no I/O APIC handles the IRQ's GSI.
    /// </summary>
    public static bool TryEnableIsaIrq(int irq, out string problem)
    {
        problem = null;
        if (!UsingApic)
        {
            Pic8259.Unmask(irq);
            return true;
        }
        IsaIrqRoute route = s_madt.ResolveIsaIrq(irq);
        for (int i = 0; i < s_ioApics.Length; i++)
        {
            if (s_ioApics[i].Handles(route.Gsi))
            {
                s_ioApics[i].Route(route.Gsi, Vectors.ForIsaIrq(irq), route.ActiveLow, route.LevelTriggered, LocalApic.ApicId);
                return true;
            }
        }
        problem = "interrupts: no I/O APIC handles GSI " + route.Gsi.ToString() + " (ISA IRQ " + irq.ToString() + ")";
        return false;
    }

    /// <summary>Acknowledges ISA IRQ irq at whichever controller delivered it.</summary>
    public static void EndOfInterrupt(int irq)
    {
        if (UsingApic)
            LocalApic.EndOfInterrupt();
        else
            Pic8259.EndOfInterrupt(irq);
    }

    /// <summary>One line for the boot log: controller, timer, measured rates.</summary>
    public static string Describe()
    {
        string controller = UsingApic
            ? "APIC (" + (LocalApic.IsX2Apic ? "x2APIC" : "xAPIC") + ", APIC ID " + LocalApic.ApicId.ToString() + ", "
              + s_ioApics.Length.ToString() + " I/O APIC" + (s_ioApics.Length == 1 ? "" : "s") + "; PIC masked)"
            : "8259 PIC";
        string rates = "TSC " + (SystemTimer.TscHz / 1_000_000).ToString() + " MHz";
        if (UsingApic)
            rates = "APIC timer " + (SystemTimer.ApicTimerHz / 1000).ToString() + " kHz, " + rates;
        return "interrupts: " + controller + ", timer " + SystemTimer.Source + " at " + SystemTimer.RateHz.ToString()
            + " Hz (measured against the PIT: " + rates + ")";
    }
}
