// Non-maskable interrupts (vector 2, on its own IST stack): a watchdog, a front-panel button, a PCI SERR# or an
// I/O channel check, QEMU's monitor `nmi`. An NMI can strike anywhere, even while a lock is held, so the handler
// only reads the reason from system control port B (0x61: bit 7 SERR#, bit 6 IOCHK), counts it, silences the
// source and returns; a task prints the report later (TakeReport). Like Linux, an NMI nobody claims is reported
// as "unknown" and the kernel carries on.
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Interrupts;

/// <summary>The NMI handler and its counts.</summary>
public static class NonMaskableInterrupts
{
    // System control port B (the PC/AT's port 0x61). Read: bit 7 SERR# (PCI system error, memory parity),
    // bit 6 IOCHK (I/O channel check). Write (low nibble only): bit 2 / bit 3 set = clear and disable SERR# / IOCHK.
    private static readonly IoPort8 SystemControlPortB = new IoPort8(0x61);
    private const byte SystemError = 0x80;
    private const byte IoChannelCheck = 0x40;
    private const byte WritableBits = 0x0F;
    private const byte DisableSystemError = 0x04;
    private const byte DisableIoChannelCheck = 0x08;

    private static ulong s_total;
    private static ulong s_systemErrors;
    private static ulong s_ioChannelChecks;
    private static ulong s_unknown;
    private static byte s_lastReason;
    private static ulong s_reported;

    /// <summary>NMIs handled since boot.</summary>
    public static ulong Count => s_total;

    /// <summary>
    /// The NMI handler: records why the NMI came, silences SERR#/IOCHK until the report re-arms them, and returns.
    /// Takes no lock and allocates nothing. An NMI that arrives while the kernel panics stops this CPU: that is
    /// how other CPUs will be stopped (a panic-stop IPI is an NMI sent after the panic has begun), told apart from
    /// platform NMIs by that state alone.
    /// </summary>
    public static void OnNmi()
    {
        if (Panic.IsPanicking)
            Cpu.HaltForever();
        byte reason = SystemControlPortB.Read();
        s_lastReason = reason;
        byte disable = 0;
        if ((reason & SystemError) != 0)
        {
            s_systemErrors++;
            disable |= DisableSystemError;
        }
        if ((reason & IoChannelCheck) != 0)
        {
            s_ioChannelChecks++;
            disable |= DisableIoChannelCheck;
        }
        if (disable == 0)
            s_unknown++;
        else
            SystemControlPortB.Write((byte)((reason & WritableBits) | disable));
        s_total++;
    }

    /// <summary>
    /// From task context: a line about the NMIs since the last report (null when there were none), after which
    /// SERR# and IOCHK are enabled again. One line per report however many came, so an NMI storm cannot flood the
    /// console.
    /// </summary>
    public static string TakeReport()
    {
        ulong total = s_total;
        if (total == s_reported)
            return null;
        ulong fresh = total - s_reported;
        s_reported = total;
        byte reason = s_lastReason;
        if ((reason & (SystemError | IoChannelCheck)) != 0)
            SystemControlPortB.Write((byte)(SystemControlPortB.Read() & WritableBits & ~(DisableSystemError | DisableIoChannelCheck)));
        return "nmi: " + fresh.ToString() + " non-maskable interrupt" + (fresh == 1 ? "" : "s") + ", last " + Describe(reason)
            + "; since boot " + total.ToString() + " (SERR# " + s_systemErrors.ToString() + ", IOCHK " + s_ioChannelChecks.ToString()
            + ", unknown " + s_unknown.ToString() + "); the kernel carried on";
    }

    /// <summary>What a system control port B value says about an NMI's cause.</summary>
    public static string Describe(byte reason)
    {
        string hex = "port 0x61 = 0x" + reason.ToString("x2");
        if ((reason & SystemError) != 0 && (reason & IoChannelCheck) != 0)
            return "SERR# and IOCHK (PCI system error and I/O channel check; " + hex + ")";
        if ((reason & SystemError) != 0)
            return "SERR# (PCI system error or memory parity; " + hex + ")";
        if ((reason & IoChannelCheck) != 0)
            return "IOCHK (I/O channel check; " + hex + ")";
        return "reason unknown (neither SERR# nor IOCHK; " + hex + ")";
    }
}
