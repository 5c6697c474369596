#if KERNEL_TESTS
// In-kernel tests of starting the other CPUs (kernel/Smp, kernel/Platform/Cpus). The boot tests run this group with
// 1, 2, 4 and 8 CPUs and with the options that limit them; with one CPU the checks hold trivially for the others.
using Kernel.Cpus;
using Kernel.Console;
using Kernel.Smp;

namespace Kernel.Testing;

public static class SmpTests
{
    /// <summary>The boot CPU reads its own block through GS: index 0, online, the APIC ID it was listed with.</summary>
    public static void BootCpuFindsItsBlockThroughGs()
    {
        Expect.True(Processors.Count >= 1, "the boot CPU is registered");
        Expect.Equal(0L, Processors.CurrentIndex, "the boot CPU's index read through GS");
        Expect.True(Processors.StateOf(0) == CpuState.Online, "the boot CPU is online");
        Expect.Equal((ulong)(Processors.ApicIdOf(0) & 0xFF), (ulong)Processors.ReportedApicIdOf(0), "CPUID's APIC ID matches the boot CPU's");
    }

    /// <summary>Every CPU the plan started is online, is the CPU it was meant to be, and took a measured time.</summary>
    public static void PlannedCpusAreOnlineAndAreWhoTheMadtSays()
    {
        CpuStartPlan plan = Multiprocessor.Plan;
        Expect.True(plan != null, "a plan was made at boot");
        Expect.Equal(plan.RunningCount, Processors.Count, "one block per CPU the plan runs");
        for (int i = 1; i < Processors.Count; i++)
        {
            Expect.True(Processors.StateOf(i) == CpuState.Online, "CPU " + i.ToString() + " online");
            Expect.Equal((ulong)(Processors.ApicIdOf(i) & 0xFF), (ulong)Processors.ReportedApicIdOf(i),
                "CPU " + i.ToString() + " reported the APIC ID it was started as");
            Expect.True(Processors.StartCyclesOf(i) > 0, "CPU " + i.ToString() + "'s start was timed");
            Terminal.WriteLine("  cpu " + i.ToString() + ": APIC ID " + Processors.ApicIdOf(i).ToString() + ", online after "
                + (Processors.StartCyclesOf(i) / 1000).ToString() + "k cycles");
        }
    }
}
#endif
