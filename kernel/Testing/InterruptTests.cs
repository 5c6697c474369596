#if KERNEL_TESTS
// In-kernel tests of hardware interrupts. The boot tests run this group once with irq=pic and once with irq=apic.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Interrupts;
namespace Kernel.Testing;

public static class InterruptTests
{
    // One second of ticks: long enough that one late delivery (a host hiccup under TCG, seen once as 25 ticks in
    // 290 ms) cannot move the measured rate by the tolerance on its own.
    private const ulong MeasuredTicks = 100;
    private const ulong TolerancePercent = 10;

    private static int s_hookWrites;
    private static int s_hookBudget;

    public static void ControllerMatchesBootOption()
    {
        IrqMode requested = TestRunner.Boot.IrqMode;
        if (requested == IrqMode.Pic)
            Expect.True(!InterruptControllers.UsingApic, "irq=pic uses the PIC");
        else
            Expect.True(InterruptControllers.UsingApic, "irq=apic or auto on QEMU uses the APIC");
        Expect.Equal(TestRunner.Boot.TimerHz, SystemTimer.RateHz, "timer rate as configured");
        Expect.True(Cpu.InterruptsEnabled, "interrupts are enabled");
    }

    public static void TicksAdvanceWhileHalting()
    {
        ulong before = SystemTimer.Ticks;
        for (int i = 0; i < 5; i++)
            Cpu.Halt();
        Expect.True(SystemTimer.Ticks >= before + 5, "each hlt woke up for a tick");
        Expect.True(InterruptCounters.Of(InterruptControllers.UsingApic ? Vectors.ApicTimer : Vectors.PitTimer) >= 5, "the timer vector is counted");
    }

    public static void TickRateMatchesCalibratedClock()
    {
        Expect.True(SystemTimer.TscHz > 0, "TSC was calibrated");
        SystemTimer.WaitTicks(1);
        ulong start = Cpu.ReadTimeStampCounter();
        SystemTimer.WaitTicks(MeasuredTicks);
        ulong elapsedMs = SystemTimer.TscToMilliseconds(Cpu.ReadTimeStampCounter() - start);
        ulong expectedMs = MeasuredTicks * 1000 / SystemTimer.RateHz;
        ulong slack = expectedMs * TolerancePercent / 100;
        Terminal.WriteLine("  " + MeasuredTicks.ToString() + " ticks took " + elapsedMs.ToString() + " ms by the TSC, expected " + expectedMs.ToString() + " ms");
        Expect.True(elapsedMs + slack >= expectedMs && elapsedMs <= expectedMs + slack, "tick rate within 10% of the requested rate");
    }

    // Interrupts off for about five periods (what a long garbage collection does): the timer can deliver one pending
    // tick afterwards, and that tick counts the periods that passed from the TSC, so the clock does not fall behind.
    public static void TicksMissedWithInterruptsOffAreCaughtUp()
    {
        Expect.True(SystemTimer.TscHz > 0 && SystemTimer.RateHz > 0, "TSC and timer running");
        SystemTimer.WaitTicks(1);
        ulong period = SystemTimer.TscHz / SystemTimer.RateHz;
        ulong ticksBefore = SystemTimer.Ticks;
        ulong caughtUpBefore = SystemTimer.CaughtUpTicks;
        ulong start = Cpu.ReadTimeStampCounter();
        using (InterruptsOff.Enter())
        {
            while (Cpu.ReadTimeStampCounter() - start < 5 * period)
            {
            }
        }
        SystemTimer.WaitTicks(1);
        ulong periods = (Cpu.ReadTimeStampCounter() - start) / period;
        ulong counted = SystemTimer.Ticks - ticksBefore;
        Terminal.WriteLine("  " + periods.ToString() + " periods passed (5 with interrupts off), " + counted.ToString() + " ticks counted, "
            + (SystemTimer.CaughtUpTicks - caughtUpBefore).ToString() + " of them caught up from the TSC");
        Expect.True(SystemTimer.CaughtUpTicks - caughtUpBefore >= 3, "the ticks missed were caught up");
        Expect.True(counted + 1 >= periods && counted <= periods + 1, "the count matches the TSC's periods within one");
    }

    public static void UptimeFollowsTicks()
    {
        ulong before = SystemTimer.UptimeMilliseconds;
        SystemTimer.WaitTicks(3);
        Expect.True(SystemTimer.UptimeMilliseconds >= before + 3 * 1000 / SystemTimer.RateHz, "uptime grows by the tick period");
    }

    // The seed's deadlock: an interrupt handler printing while the interrupted code holds the console lock.
    // The lock keeps interrupts off while held, so the handler runs after the release instead of spinning forever.
    public static void PrintingFromAnInterruptDoesNotDeadlock()
    {
        s_hookWrites = 0;
        s_hookBudget = 10;
        Action<ulong> printFromTimer = PrintFromTimer;
        SystemTimer.Subscribe(printFromTimer);
        for (int i = 0; i < 40 && s_hookWrites < s_hookBudget; i++)
        {
            using (Terminal.Lock.Acquire())
            {
                // Hold the lock across at least one timer period with interrupts disabled by the lock.
                ulong start = Cpu.ReadTimeStampCounter();
                ulong period = SystemTimer.TscHz / SystemTimer.RateHz;
                while (Cpu.ReadTimeStampCounter() - start < period)
                    Cpu.Pause();
                Expect.True(!Cpu.InterruptsEnabled, "interrupts are off while the console lock is held");
            }
            Terminal.WriteLine("  main code printed line " + i.ToString());
        }
        SystemTimer.Unsubscribe(printFromTimer);
        Expect.True(s_hookWrites > 0, "the timer handler printed while main code was printing");
        Expect.Equal(0, (long)Terminal.Lock.Contended, "nobody ever spun on the console lock");
    }

    public static void CountersSummaryNamesSources()
    {
        string summary = InterruptCounters.Summary();
        Expect.True(summary.StartsWith("irq: timer "), "summary starts with the timer: " + summary);
        Terminal.WriteLine("  " + summary);
    }

    // The boot CPU's LINT1 is the NMI input on QEMU (the MADT says so), unmasked, in either controller mode.
    public static void Lint1DeliversNmis()
    {
        Expect.True(CpuFeatures.Apic, "the CPU has a local APIC");
        uint lint1 = LocalApic.Lint1;
        Expect.Equal((long)LocalInterruptPins.DeliverNmi, (long)(lint1 & (LocalInterruptPins.DeliverExtInt | LocalInterruptPins.Masked)),
            "LINT1 delivers NMIs, unmasked: 0x" + lint1.ToString("x"));
        uint lint0 = LocalApic.Lint0;
        uint expectedLint0 = InterruptControllers.UsingApic ? LocalInterruptPins.Masked : LocalInterruptPins.DeliverExtInt;
        Expect.Equal((long)expectedLint0, (long)(lint0 & (LocalInterruptPins.DeliverExtInt | LocalInterruptPins.Masked)),
            "LINT0 is ExtINT with the PIC, masked with the APIC: 0x" + lint0.ToString("x"));
    }

    private static void PrintFromTimer(ulong ticks)
    {
        if (s_hookWrites >= s_hookBudget)
            return;
        s_hookWrites++;
        Terminal.WriteLine("  [timer interrupt printed this]");
    }
}
#endif
