// The kernel's clock: a tick counter driven by the periodic timer interrupt (the local APIC timer, or the PIT in
// PIC mode) and the calibration that makes a tick a real unit of time. Readable from anywhere; layers above
// (the task timers) subscribe to ticks instead of being called by name from the interrupt path. While interrupts
// are off (a garbage collection, a long critical section) the timer can deliver at most one pending tick, so each
// tick also reads the TSC: one that comes more than 1.5 periods after the last counts every period that passed.
using System;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Interrupts;

/// <summary>Ticks, uptime and the measured clock rates.</summary>
public static class SystemTimer
{
    // Calibration window: 11 932 PIT ticks = 10 ms. Boot waits this long; the tick-rate test checks that the
    // result stays within 10%.
    private const ushort CalibrationPitTicks = 11_932;

    private const int MaxSubscribers = 4;

    private static ulong s_ticks;
    private static ulong s_lastTickTsc;
    private static ulong s_cyclesPerTick;
    private static ulong s_caughtUpTicks;
    private static uint s_apicTimerCount;
    // Per CPU (index 1 up): its own local APIC timer's ticks. Made with the image: counted inside interrupts.
    private static readonly ulong[] s_cpuTicks = new ulong[AddressSpaceLayout.MaxCpus];
    // Subscribers run inside the timer interrupt, so they sit in a fixed array that the first Subscribe creates at
    // boot: nothing is allocated on the tick (a static constructor would allocate on first use, maybe in a tick).
    private static Action<ulong>[] s_subscribers;

    /// <summary>Timer interrupts since the timer started.</summary>
    public static ulong Ticks => s_ticks;

    /// <summary>Ticks counted from the TSC because their interrupts could not be delivered (interrupts were off).</summary>
    public static ulong CaughtUpTicks => s_caughtUpTicks;

    /// <summary>Timer interrupts per second.</summary>
    public static uint RateHz { get; private set; }

    /// <summary>"LAPIC timer" or "PIT".</summary>
    public static string Source { get; private set; } = "none";

    /// <summary>Time stamp counter frequency measured against the PIT (0 before calibration).</summary>
    public static ulong TscHz { get; private set; }

    /// <summary>Local APIC timer input frequency after its divider, measured against the PIT (0 in PIC mode).</summary>
    public static ulong ApicTimerHz { get; private set; }

    /// <summary>Milliseconds since the timer started, from the tick count.</summary>
    public static ulong UptimeMilliseconds => RateHz == 0 ? 0 : s_ticks * 1000 / RateHz;

    /// <summary>
    /// Runs onTick(ticks) on every timer tick, inside the interrupt: it must be short and must not allocate.
    /// Subscribe before interrupts are enabled.
    /// </summary>
    public static void Subscribe(Action<ulong> onTick)
    {
        s_subscribers ??= new Action<ulong>[MaxSubscribers];
        for (int i = 0; i < s_subscribers.Length; i++)
        {
            if (s_subscribers[i] == null)
            {
                s_subscribers[i] = onTick;
                return;
            }
        }
        Panic.Halt("timer: more than " + MaxSubscribers.ToString() + " tick subscribers");
    }

    /// <summary>Stops running onTick (the same delegate instance that was subscribed).</summary>
    public static void Unsubscribe(Action<ulong> onTick)
    {
        for (int i = 0; s_subscribers != null && i < s_subscribers.Length; i++)
        {
            if ((object)s_subscribers[i] == onTick)
                s_subscribers[i] = null;
        }
    }

    /// <summary>Called by the timer interrupt: counts the tick (and any the TSC says were missed) and tells the subscribers.</summary>
    public static void OnTick()
    {
        ulong missed = MissedTicks(Cpu.ReadTimeStampCounter());
        s_caughtUpTicks += missed;
        ulong ticks = s_ticks += 1 + missed;
        Action<ulong>[] subscribers = s_subscribers;
        for (int i = 0; subscribers != null && i < subscribers.Length; i++)
            subscribers[i]?.Invoke(ticks);
    }

    /// <summary>Measures the TSC (and the local APIC timer, when used) against 10 ms of the PIT.</summary>
    public static void Calibrate(bool apicTimer)
    {
        Pit8254.StartCountdown(CalibrationPitTicks);
        if (apicTimer)
            LocalApic.StartCalibrationCount(uint.MaxValue);
        ulong tscStart = Cpu.ReadTimeStampCounter();
        Pit8254.WaitForCountdown();
        ulong tscElapsed = Cpu.ReadTimeStampCounter() - tscStart;
        TscHz = tscElapsed * Pit8254.FrequencyHz / CalibrationPitTicks;
        if (apicTimer)
        {
            ulong apicElapsed = uint.MaxValue - LocalApic.CurrentCount;
            ApicTimerHz = apicElapsed * Pit8254.FrequencyHz / CalibrationPitTicks;
        }
    }

    /// <summary>Starts periodic ticks at hz from the local APIC timer (calibrated first).</summary>
    public static void StartApicTimer(uint hz)
    {
        uint count = (uint)(ApicTimerHz / hz);
        s_apicTimerCount = count == 0 ? 1 : count;
        LocalApic.StartPeriodicTimer(s_apicTimerCount);
        RateHz = hz;
        Source = "LAPIC timer";
        StartCatchUp();
    }

    /// <summary>
    /// Starts this CPU's local APIC timer at the boot CPU's rate (calibrated once, there): an application processor
    /// gets a tick of its own, which wakes it from its halt to look for work; it does not count the kernel's time.
    /// Nothing when the boot CPU's ticks come from the PIT. Returns whether it started.
    /// </summary>
    /// <remarks>Safety: interrupts off, after LocalApic.EnableOnThisCpu; nothing here allocates.</remarks>
    public static bool StartApicTimerOnThisCpu()
    {
        if (s_apicTimerCount == 0)
            return false;
        LocalApic.StartPeriodicTimer(s_apicTimerCount);
        return true;
    }

    /// <summary>Local APIC timer ticks CPU cpu has taken (for the boot CPU: Ticks).</summary>
    public static ulong TicksOn(int cpu) => cpu == 0 ? s_ticks : s_cpuTicks[cpu];

    /// <summary>A timer tick on a CPU other than the boot CPU: counted for it, nothing else (the kernel's clock is the boot CPU's).</summary>
    public static void OnOtherCpuTick(int cpu) => s_cpuTicks[cpu]++;

    /// <summary>Starts periodic ticks at (about) hz from PIT channel 0.</summary>
    public static void StartPitTimer(uint hz)
    {
        RateHz = Pit8254.StartPeriodic(hz);
        Source = "PIT";
        StartCatchUp();
    }

    /// <summary>
    /// Ticks missed before the one arriving at TSC now: 0 when it came within 1.5 periods of the last (the normal
    /// case, and calibration errors of a few percent never add a tick), else the whole periods that passed minus
    /// the one this interrupt counts (rounded to the nearest period).
    /// </summary>
    public static ulong MissedTicks(ulong now)
    {
        ulong last = s_lastTickTsc;
        s_lastTickTsc = now;
        return TickCatchUp.Missed(last, now, s_cyclesPerTick);
    }

    private static void StartCatchUp()
    {
        s_cyclesPerTick = RateHz == 0 ? 0 : TscHz / RateHz;
        s_lastTickTsc = Cpu.ReadTimeStampCounter();
    }

    /// <summary>Sleeps (hlt) until count more ticks have passed. Interrupts must be enabled.</summary>
    public static void WaitTicks(ulong count)
    {
        ulong target = s_ticks + count;
        while (s_ticks < target)
            Cpu.Halt();
    }

    /// <summary>Milliseconds between two TSC readings, using the calibrated rate.</summary>
    public static ulong TscToMilliseconds(ulong cycles) => TscHz == 0 ? 0 : cycles * 1000 / TscHz;
}
