// Starting the application processors (Intel SDM Vol. 3A §9.4.4.1 and §9.4.4.2, the MP initialization protocol):
// for each CPU to start, one at a time (they share the start-up page), INIT, 10 ms, STARTUP with the start-up page's
// number, 200 µs, a second STARTUP if it has not arrived, then up to StartTimeoutMs for it to report online. A CPU
// that does not answer is reported by APIC ID and skipped: the boot never waits longer than that for it.
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Interrupts;

namespace Kernel.Smp;

/// <summary>INIT-SIPI-SIPI for each application processor, and what came of it.</summary>
public static class ApStartup
{
    /// <summary>How long a CPU has to reach the kernel after its STARTUP IPIs.</summary>
    public const ulong StartTimeoutMs = 100;

    private const ulong InitDelayMicroseconds = 10_000;
    private const ulong StartupDelayMicroseconds = 200;

    /// <summary>
    /// Starts the CPUs with the APIC IDs in apicIds (not the boot CPU) through the installed start-up page. Returns
    /// one line per CPU that did not come up (empty when all did). tscHz is the calibrated TSC rate for the delays.
    /// </summary>
    public static string[] StartAll(uint[] apicIds, ulong tscHz)
    {
        string[] problems = new string[apicIds.Length];
        int problemCount = 0;
        for (int i = 0; i < apicIds.Length; i++)
        {
            string problem = StartOne(apicIds[i], tscHz);
            if (problem != null)
                problems[problemCount++] = problem;
        }
        string[] result = new string[problemCount];
        for (int i = 0; i < problemCount; i++)
            result[i] = problems[i];
        return result;
    }

    private static string StartOne(uint apicId, ulong tscHz)
    {
        int index = Processors.Add(apicId);
        if (index < 0)
            return "cpus: APIC ID " + apicId.ToString() + " skipped: no room for more CPUs";
        Processors.PrepareStart(index);
        IpiStatus status = LocalApic.Send(InterprocessorInterrupt.Init(apicId));
        if (status != IpiStatus.Ok)
            return Skip(index, apicId, "INIT: " + InterprocessorInterrupt.StatusName(status));
        Wait(InitDelayMicroseconds, tscHz);
        for (int attempt = 0; attempt < 2 && Processors.StateOf(index) != CpuState.Online; attempt++)
        {
            status = LocalApic.Send(InterprocessorInterrupt.Startup(apicId, ApTrampoline.Page));
            if (status != IpiStatus.Ok)
                return Skip(index, apicId, "STARTUP: " + InterprocessorInterrupt.StatusName(status));
            Wait(StartupDelayMicroseconds, tscHz);
        }
        ulong deadline = Cpu.ReadTimeStampCounter() + StartTimeoutMs * tscHz / 1000;
        while (Processors.StateOf(index) != CpuState.Online && Cpu.ReadTimeStampCounter() < deadline)
            Cpu.Pause();
        if (Processors.StateOf(index) != CpuState.Online)
            return Skip(index, apicId, "no answer within " + StartTimeoutMs.ToString() + " ms");
        return null;
    }

    private static string Skip(int index, uint apicId, string why)
    {
        Processors.MarkNoAnswer(index);
        return "cpus: APIC ID " + apicId.ToString() + " skipped: " + why;
    }

    private static void Wait(ulong microseconds, ulong tscHz)
    {
        ulong end = Cpu.ReadTimeStampCounter() + microseconds * tscHz / 1_000_000;
        while (Cpu.ReadTimeStampCounter() < end)
            Cpu.Pause();
    }
}
