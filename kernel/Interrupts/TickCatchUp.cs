// The arithmetic of counting timer ticks that could not be delivered: pure, so the host tests check it.
namespace Kernel.Interrupts;

/// <summary>How many timer periods passed unseen between two ticks, from their TSC stamps.</summary>
public static class TickCatchUp
{
    /// <summary>
    /// Ticks missed between a tick at TSC last and the next one at TSC now, with cyclesPerTick TSC cycles per period
    /// (0: unknown, nothing is caught up). A gap of up to 1.5 periods is a normal tick (jitter, calibration error);
    /// a longer one is rounded to whole periods, less the one the arriving interrupt counts itself.
    /// </summary>
    public static ulong Missed(ulong last, ulong now, ulong cyclesPerTick)
    {
        if (cyclesPerTick == 0 || now <= last)
            return 0;
        ulong elapsed = now - last;
        if (elapsed <= cyclesPerTick + cyclesPerTick / 2)
            return 0;
        return (elapsed + cyclesPerTick / 2) / cyclesPerTick - 1;
    }
}
