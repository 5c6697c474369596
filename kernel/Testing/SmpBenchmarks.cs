#if KERNEL_TESTS
// In-kernel benchmarks of the SMP chapter (bench=smp; the Bench target boots them with two CPUs): the parallel
// demo's work on every CPU against the same work on the boot CPU alone, each CPU's start-up time, a task's wake on
// another CPU (from the boot CPU's timer interrupt to the task running at home), and a contended lock's hand-off.
// They measure and cannot fail; the host reads the "bench:" lines.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Cpus;
using Kernel.Interrupts;
using Kernel.Shell;
using Kernel.Tasks;

namespace Kernel.Testing;

public static class SmpBenchmarks
{
    private const int ParallelTasks = 64;
    // Per round: long enough (under TCG about a millisecond) that a steal and a wake are small beside it.
    private const int ParallelBufferBytes = 256 * 1024;
    private const int WakeSamples = 40;
    private const int HandoffRounds = 20_000;
    private const ulong WaitMs = 20_000;

    /// <summary>"bench: smp cpus=N one_cpu_ms=A all_cpus_ms=B speedup_x100=C" for the parallel demo's work.</summary>
    public static void MeasureParallelSpeedup()
    {
        ulong start = Cpu.ReadTimeStampCounter();
        uint serial = 0;
        for (int i = 0; i < ParallelTasks; i++)
            serial ^= ParallelDemo.Hash((uint)i, ParallelBufferBytes);
        ulong oneCpu = Cpu.ReadTimeStampCounter() - start;
        start = Cpu.ReadTimeStampCounter();
        KernelTask<string> run = ParallelDemo.RunAsync(ParallelTasks, ParallelBufferBytes);
        while (!run.IsCompleted)
        {
            if (!Executor.RunOnce(haltWhenIdle: false))
                Cpu.Pause();
        }
        ulong allCpus = Cpu.ReadTimeStampCounter() - start;
        Terminal.WriteLine("  " + run.GetResult());
        Terminal.WriteLine("bench: smp cpus=" + Processors.Count.ToString() + " one_cpu_ms=" + SystemTimer.TscToMilliseconds(oneCpu).ToString()
            + " all_cpus_ms=" + SystemTimer.TscToMilliseconds(allCpus).ToString() + " speedup_x100=" + (oneCpu * 100 / (allCpus == 0 ? 1 : allCpus)).ToString()
            + " hash=0x" + serial.ToString("x8"));
    }

    /// <summary>"bench: smp start us per cpu median=.. max=.. cpus=.." from INIT to the CPU reaching the kernel.</summary>
    public static void MeasureStartup()
    {
        int others = Processors.Count - 1;
        if (others == 0)
        {
            Terminal.WriteLine("bench: smp start us per cpu median=0 max=0 cpus=0");
            return;
        }
        var samples = new ulong[others];
        for (int i = 1; i < Processors.Count; i++)
            samples[i - 1] = Processors.StartCyclesOf(i) * 1_000_000 / SystemTimer.TscHz;
        // Insertion sort: the corelib has no Array.Sort, and there are at most a few hundred CPUs.
        for (int i = 1; i < samples.Length; i++)
        {
            ulong value = samples[i];
            int j = i - 1;
            for (; j >= 0 && samples[j] > value; j--)
                samples[j + 1] = samples[j];
            samples[j + 1] = value;
        }
        Terminal.WriteLine("bench: smp start us per cpu median=" + samples[others / 2].ToString() + " max=" + samples[others - 1].ToString()
            + " cpus=" + others.ToString());
    }

    private static ulong[] s_wakeSamples;
    private static KernelTask s_waker;

    /// <summary>"bench: smp cross-cpu wake cycles median=.. p99=.." from the timer interrupt's wake on the boot CPU to the task at home on the last CPU.</summary>
    public static void MeasureCrossCpuWake()
    {
        int last = Processors.Count - 1;
        if (last == 0)
        {
            Terminal.WriteLine("bench: smp cross-cpu wake cycles (one CPU)");
            return;
        }
        s_wakeSamples = new ulong[WakeSamples];
        s_waker = null;
        Processors.Post(last, StartWaker);
        ulong end = Cpu.ReadTimeStampCounter() + WaitMs * SystemTimer.TscHz / 1000;
        while ((s_waker == null || !s_waker.IsCompleted) && Cpu.ReadTimeStampCounter() < end)
            Cpu.Pause();
        Terminal.WriteLine("bench: smp cross-cpu wake cycles " + BenchmarkRunner.MedianAndP99(s_wakeSamples));
    }

    private static void StartWaker() => s_waker = TimedWakesAsync();

    private static async KernelTask TimedWakesAsync()
    {
        for (int i = 0; i < s_wakeSamples.Length; i++)
        {
            await Timers.Delay(10);
            s_wakeSamples[i] = Cpu.ReadTimeStampCounter() - Timers.LastWakeTsc;
        }
    }

    private static readonly InterruptSafeLock s_handoffLock = new InterruptSafeLock("hand-off benchmark lock");
    private static long s_handoffCounter;

    /// <summary>"bench: smp lock cycles per acquire alone=.. contended=.. cpus=.." (every CPU taking one lock HandoffRounds times).</summary>
    public static void MeasureLockHandoff()
    {
        ulong start = Cpu.ReadTimeStampCounter();
        TakeLockRounds();
        ulong alone = (Cpu.ReadTimeStampCounter() - start) / HandoffRounds;
        start = Cpu.ReadTimeStampCounter();
        SmpTests.RunOnEveryCpu(TakeLockRounds);
        ulong contended = (Cpu.ReadTimeStampCounter() - start) / ((ulong)HandoffRounds * (ulong)Processors.Count);
        Terminal.WriteLine("bench: smp lock cycles per acquire alone=" + alone.ToString() + " contended=" + contended.ToString()
            + " cpus=" + Processors.Count.ToString());
    }

    private static void TakeLockRounds()
    {
        for (int i = 0; i < HandoffRounds; i++)
        {
            using (s_handoffLock.Acquire())
                s_handoffCounter++;
        }
    }
}
#endif
