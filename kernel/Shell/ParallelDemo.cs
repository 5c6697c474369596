// The shell's `parallel` demo: tasks made on the shell's CPU each hash a buffer many times (FNV-1a), yielding between
// rounds, so idle CPUs steal them; the line printed says how many rounds each CPU ran and how long it all took.
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>A CPU-bound workload spread over every CPU by work stealing.</summary>
public static class ParallelDemo
{
    /// <summary>Tasks when none are asked for.</summary>
    public const uint DefaultTasks = 32;

    /// <summary>Most tasks (the ready queue holds Executor.Capacity).</summary>
    public const uint MaxTasks = 96;

    /// <summary>Bytes each task hashes per round in the shell's demo.</summary>
    public const int DefaultBufferBytes = 64 * 1024;
    private const int Rounds = 16;

    /// <summary>Runs tasks hashing tasks and returns "parallel: N tasks x R rounds in T ms; cpu 0: a, cpu 1: b, ...".</summary>
    public static async KernelTask<string> RunAsync(int tasks, int bufferBytes = DefaultBufferBytes)
    {
        int[] roundsOnCpu = new int[Processors.Count];
        var running = new KernelTask<uint>[tasks];
        ulong start = Cpu.ReadTimeStampCounter();
        for (int i = 0; i < tasks; i++)
            running[i] = HashAsync((uint)i, bufferBytes, roundsOnCpu);
        uint combined = 0;
        for (int i = 0; i < tasks; i++)
            combined ^= await running[i];
        ulong elapsedMs = SystemTimer.TscToMilliseconds(Cpu.ReadTimeStampCounter() - start);
        string line = "parallel: " + tasks.ToString() + " tasks x " + Rounds.ToString() + " rounds in " + elapsedMs.ToString()
            + " ms (hash 0x" + combined.ToString("x8") + ");";
        for (int cpu = 0; cpu < roundsOnCpu.Length; cpu++)
            line += (cpu == 0 ? " " : ", ") + "cpu " + cpu.ToString() + ": " + roundsOnCpu[cpu].ToString();
        return line;
    }

    /// <summary>FNV-1a (32-bit) of a buffer filled from seed, hashed Rounds times, one round per step.</summary>
    public static async KernelTask<uint> HashAsync(uint seed, int bufferBytes, int[] roundsOnCpu)
    {
        byte[] buffer = Fill(seed, bufferBytes);
        uint hash = 2166136261;
        for (int round = 0; round < Rounds; round++)
        {
            hash = HashRound(buffer, hash);
            Atomic.FetchAdd(ref roundsOnCpu[Cpu.CurrentIndex], 1);
            await Executor.Yield();
        }
        return hash;
    }

    /// <summary>HashAsync's work without tasks, on the calling CPU alone (the benchmark's one-CPU reference).</summary>
    public static uint Hash(uint seed, int bufferBytes = DefaultBufferBytes)
    {
        byte[] buffer = Fill(seed, bufferBytes);
        uint hash = 2166136261;
        for (int round = 0; round < Rounds; round++)
            hash = HashRound(buffer, hash);
        return hash;
    }

    private static byte[] Fill(uint seed, int bufferBytes)
    {
        byte[] buffer = new byte[bufferBytes];
        for (int i = 0; i < buffer.Length; i++)
            buffer[i] = (byte)(seed * 31 + (uint)i);
        return buffer;
    }

    private static uint HashRound(byte[] buffer, uint hash)
    {
        for (int i = 0; i < buffer.Length; i++)
            hash = (hash ^ buffer[i]) * 16777619;
        return hash;
    }
}
