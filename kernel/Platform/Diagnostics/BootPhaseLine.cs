// The boot log's timing line (issue 17): how long each step from EfiMain to `ready` took, by the TSC. Pure: the
// stamps are taken by BootTimeline; this only turns them into text, so the host tests can check the arithmetic.
namespace Kernel.Diagnostics;

/// <summary>Formats the boot phases line.</summary>
public static class BootPhaseLine
{
    /// <summary>
    /// "boot: 41.2 ms in the kernel (TSC at entry 2950.0 ms): runtime start 0.3, boot files 12.1, ..." from count
    /// phases, each named names[i] and ending at TSC stamps[i], the first starting at entryTsc (EfiMain). On real
    /// hardware the TSC counts from the CPU's reset, so its value at entry is about the firmware's time before the
    /// kernel; under QEMU's TCG it is not (the guest's TSC does not follow the host's clock while the firmware
    /// starts), hence only the value. tscHz 0 (not calibrated) gives cycles instead of milliseconds.
    /// </summary>
    public static string Format(string[] names, ulong[] stamps, int count, ulong entryTsc, ulong tscHz)
    {
        ulong last = count > 0 ? stamps[count - 1] : entryTsc;
        string text = "boot: " + Duration(last - entryTsc, tscHz) + " in the kernel (TSC at entry " + Duration(entryTsc, tscHz) + ")";
        ulong previous = entryTsc;
        for (int i = 0; i < count; i++)
        {
            ulong end = stamps[i] < previous ? previous : stamps[i];
            text += (i == 0 ? ": " : ", ") + names[i] + " " + Number(end - previous, tscHz);
            previous = end;
        }
        return text;
    }

    // "12.3 ms", or "123456 cycles" before calibration.
    private static string Duration(ulong cycles, ulong tscHz) => tscHz == 0 ? cycles.ToString() + " cycles" : Number(cycles, tscHz) + " ms";

    // Milliseconds with one decimal, rounded half up; cycles when tscHz is 0.
    private static string Number(ulong cycles, ulong tscHz)
    {
        if (tscHz == 0)
            return cycles.ToString();
        // Hundredths of a millisecond (cycles * 100000 / tscHz), rounded to tenths; past 2^64 / 100000 cycles the
        // division goes first (the tenths are then 0, which at days of uptime no one reads).
        ulong tenths = cycles > ulong.MaxValue / 100000 ? cycles / tscHz * 10000 : (cycles * 100000 / tscHz + 5) / 10;
        return (tenths / 10).ToString() + "." + (tenths % 10).ToString();
    }
}
