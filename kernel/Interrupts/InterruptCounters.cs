// Per-vector interrupt counts, for the irq summary and tests.
namespace Kernel.Interrupts;

/// <summary>How often each vector fired.</summary>
public static class InterruptCounters
{
    private const int VectorCount = 256;

    private static readonly ulong[] s_counts = new ulong[VectorCount];

    /// <summary>Vectors that arrived with no handler (counted before the panic they cause).</summary>
    public static ulong Unexpected { get; private set; }

    /// <summary>Counts one delivery of vector.</summary>
    public static void Count(int vector) => s_counts[vector]++;

    /// <summary>Counts an unexpected vector.</summary>
    public static void CountUnexpected() => Unexpected++;

    /// <summary>Deliveries of vector so far.</summary>
    public static ulong Of(int vector) => s_counts[vector];

    /// <summary>
    /// One line: timer, keyboard, NMI, spurious (PIC, APIC), APIC errors, unexpected, then each device vector by
    /// name ("xhci 0x50: 12").
    /// </summary>
    public static string Summary() => Fixed() + Devices();

    private static string Devices()
    {
        DeviceVectorTable table = InterruptDispatcher.DeviceVectors;
        string line = "";
        for (int i = 0; table != null && i < table.Count; i++)
        {
            int vector = table.VectorAt(i);
            line += ", " + table.NameOf(vector) + " 0x" + ((uint)vector).ToString("x2") + ": " + Of(vector).ToString();
        }
        return line;
    }

    private static string Fixed() =>
        "irq: timer " + (Of(Vectors.ApicTimer) + Of(Vectors.PitTimer)).ToString()
        + ", keyboard " + Of(Vectors.ForIsaIrq(IsaIrq.Keyboard)).ToString()
        + ", NMI " + Of(ExceptionVectors.NonMaskableInterrupt).ToString()
        + ", spurious " + Pic8259.SpuriousCount.ToString() + " (PIC) " + LocalApic.SpuriousCount.ToString() + " (APIC)"
        + ", APIC errors " + LocalApic.ErrorCount.ToString()
        + ", unexpected " + Unexpected.ToString();
}
