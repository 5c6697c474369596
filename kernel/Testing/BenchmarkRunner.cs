#if KERNEL_TESTS
// The in-kernel benchmark runner: runs the benchmark catalog (each benchmark prints its own "bench: ..." figures),
// ends with "N benchmarks run" (never a pass/fail count), then exits QEMU, with success when any benchmark ran.
using System;
using Kernel.Arch;
using Kernel.Console;

namespace Kernel.Testing;

/// <summary>One in-kernel benchmark: it measures and prints, and has nothing to pass or fail.</summary>
public sealed class KernelBenchmark
{
    public KernelBenchmark(string name, Action body)
    {
        Name = name;
        Body = body;
    }

    /// <summary>"group.name", used by the bench=NAME boot option.</summary>
    public string Name { get; }

    public Action Body { get; }
}

/// <summary>Runs the in-kernel benchmarks.</summary>
public static class BenchmarkRunner
{
    /// <summary>Runs every benchmark, or only those whose name equals or starts with filter + ".".</summary>
    public static void Run(string filter)
    {
        // The Test build's root cross-check would count in every collection's pause.
        Gc.GarbageCollector.SkipRootCrossCheck = true;
        KernelBenchmark[] benchmarks = BenchmarkCatalog.All();
        int ran = 0;
        for (int i = 0; i < benchmarks.Length; i++)
        {
            KernelBenchmark benchmark = benchmarks[i];
            if (filter != null && benchmark.Name != filter && !benchmark.Name.StartsWith(filter + "."))
                continue;
            Terminal.WriteLine("benchmark " + benchmark.Name);
            benchmark.Body();
            ran++;
        }
        if (ran == 0)
            Terminal.WriteLine("benchmark: none matches '" + filter + "'");
        Terminal.WriteLine(ran.ToString() + (ran == 1 ? " benchmark run" : " benchmarks run"));
        QemuExit.Exit(success: ran > 0);
    }

    /// <summary>Sorts samples and returns "median=M p99=P", the form the Bench target reads.</summary>
    public static string MedianAndP99(ulong[] samples)
    {
        // Shell sort: no allocation, good enough for tens of thousands of samples.
        for (int gap = samples.Length / 2; gap > 0; gap /= 2)
        {
            for (int i = gap; i < samples.Length; i++)
            {
                ulong value = samples[i];
                int j = i;
                for (; j >= gap && samples[j - gap] > value; j -= gap)
                    samples[j] = samples[j - gap];
                samples[j] = value;
            }
        }
        return "median=" + samples[samples.Length / 2].ToString() + " p99=" + samples[samples.Length * 99 / 100].ToString();
    }
}
#endif
