// The SMP chapter's entry: decide from the MADT and the boot options which CPUs run (CpuStartPlan), install the
// start-up page, start them one by one (ApStartup) and say what came of it. Started CPUs have their own GDT, TSS,
// stacks, GS base and local APIC; they run posted work and their executor, and sleep until an IPI wakes them.
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Diagnostics;
using Kernel.Interrupts;
using Kernel.Memory;

namespace Kernel.Smp;

/// <summary>Starting every CPU the plan names, and the figures of it.</summary>
public static class Multiprocessor
{
    // How long another CPU may take to answer a stop or a TLB shootdown before that is a panic.
    private const ulong AnswerTimeoutMs = 1000;

    private static CpuStartPlan s_plan;

    /// <summary>The plan of the last Start (null before).</summary>
    public static CpuStartPlan Plan => s_plan;

    /// <summary>TSC cycles the application processors' start took in all.</summary>
    public static ulong StartCycles { get; private set; }

    /// <summary>
    /// Registers the boot CPU, plans from madt (null: only the boot CPU) and options, and starts every CPU the plan
    /// says to through the start-up page at trampolinePage. Returns the lines for the boot log.
    /// </summary>
    /// <remarks>Call once on the boot CPU with interrupts off, after the local APIC and the TSC calibration.</remarks>
    public static string[] Start(Madt madt, CpuStartOptions options, ulong trampolinePage, ulong tscHz)
    {
        uint bootApicId = LocalApic.IsAvailable ? LocalApic.ApicId : CpuFeatures.InitialApicId();
        s_plan = CpuStartPlan.Create(madt != null ? madt.Processors : new MadtProcessor[0], bootApicId, options);
        Processors.InitializeBootCpu(bootApicId, s_plan.RunningCount);
        string summary = s_plan.Summary();
        if (s_plan.StartCount == 0)
            return new[] { summary };
        if (!LocalApic.IsAvailable)
            return new[] { summary, "cpus: no local APIC to send the start-up IPIs with; only the boot CPU runs" };
        if (tscHz == 0)
            return new[] { summary, "cpus: the TSC is not calibrated, so the start-up delays cannot be timed; only the boot CPU runs" };
        Processors.SetOnlineAction(EnableLocalApic);
        Processors.SetWake(WakeCpu);
        Processors.SetStopSignal(StopOtherCpus);
        Processors.SetAnswerTimeout(AnswerTimeoutMs, tscHz);
        Tlb.SetShootDown(Processors.ShootDown);
        Panic.SetStopOtherCpus(StopOtherCpus);
        string problem = ApTrampoline.Install(trampolinePage);
        if (problem != null)
            return new[] { summary, "cpus: " + problem + "; only the boot CPU runs" };
        uint[] apicIds = new uint[s_plan.StartCount];
        for (int i = 0; i < s_plan.Cpus.Length; i++)
        {
            PlannedCpu cpu = s_plan.Cpus[i];
            if (cpu.Decision == CpuStartDecision.Start)
                apicIds[cpu.LogicalIndex - 1] = cpu.ApicId;
        }
        ulong started = Cpu.ReadTimeStampCounter();
        string[] problems = ApStartup.StartAll(apicIds, tscHz);
        StartCycles = Cpu.ReadTimeStampCounter() - started;
        string[] lines = new string[problems.Length + 2];
        lines[0] = summary;
        for (int i = 0; i < problems.Length; i++)
            lines[i + 1] = problems[i];
        lines[lines.Length - 1] = OnlineLine(tscHz);
        return lines;
    }

    // On each application processor as it arrives (interrupts off, no allocation): its local APIC, and its timer at
    // the boot CPU's calibrated rate.
    private static void EnableLocalApic(int index)
    {
        LocalApic.EnableOnThisCpu();
        SystemTimer.StartApicTimerOnThisCpu();
    }

    /// <summary>Wakes CPU index from its halt with an IPI (it then looks at its work and its tasks).</summary>
    public static void WakeCpu(int index)
    {
        using (InterruptsOff.Enter())
            LocalApic.Send(InterprocessorInterrupt.Fixed(Processors.ApicIdOf(index), Vectors.CpuWake));
    }

    // An NMI to every other CPU: it gets through even where interrupts are off. The NMI handler then halts (the
    // kernel is panicking) or waits (a collection stopped the world). No lock, no allocation.
    private static void StopOtherCpus() => LocalApic.Send(InterprocessorInterrupt.NmiToAllExcludingSelf());

    /// <summary>One line about CPU index for the shell's cpu command: APIC ID, state, start time, what it does.</summary>
    public static string DescribeCpu(int index, ulong tscHz)
    {
        CpuState state = Processors.StateOf(index);
        string line = "cpu " + index.ToString() + ": APIC ID " + Processors.ApicIdOf(index).ToString() + ", " + StateName(state);
        if (index == 0)
            return line + " (boot CPU)";
        ulong cycles = Processors.StartCyclesOf(index);
        if (cycles != 0 && tscHz != 0)
        {
            line += ", started in " + Milliseconds(cycles, tscHz) + " ms";
        }
        return line;
    }

    /// <summary>"offline", "starting", "online" or "no answer".</summary>
    public static string StateName(CpuState state) => state switch
    {
        CpuState.Offline => "offline",
        CpuState.Starting => "starting",
        CpuState.Online => "online",
        CpuState.NoAnswer => "no answer",
        _ => "unknown",
    };

    /// <summary>How many CPUs are online, their APIC IDs, and how long starting them took.</summary>
    public static string OnlineLine(ulong tscHz)
    {
        int online = 0;
        string ids = "";
        for (int i = 0; i < Processors.Count; i++)
        {
            if (Processors.StateOf(i) != CpuState.Online)
                continue;
            online++;
            ids += (ids.Length == 0 ? "" : " ") + Processors.ApicIdOf(i).ToString();
        }
        return "cpus: " + online.ToString() + " of " + Processors.Count.ToString() + " online (APIC IDs " + ids + "), started in "
            + Milliseconds(StartCycles, tscHz) + " ms";
    }

    // "31.3": TSC cycles as milliseconds with one decimal ("0.0" before the TSC is calibrated).
    private static string Milliseconds(ulong cycles, ulong tscHz)
    {
        ulong microseconds = tscHz == 0 ? 0 : cycles * 1_000_000 / tscHz;
        return (microseconds / 1000).ToString() + "." + (microseconds % 1000 / 100).ToString();
    }
}
