// Exception benchmark on the host: the kernel's exception benchmarks (kernel/Testing/ExceptionBenchmarks.cs) run on
// the .NET runtime, as the reference the kernel's figures are compared with. Cycles come from the time stamp
// counter, read by a four-instruction routine in an executable page (.NET has no rdtsc of its own), so the unit is
// the one the kernel prints. Median and 99th percentile over ExceptionBenchmarks.Samples calls, chosen as the
// kernel's BenchmarkRunner.MedianAndP99 chooses them.
//
// Usage: dotnet run -c Release --project tests/Kernel.ExceptionBench [json-path]   (default artifacts/bench/exceptions-host.json)
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kernel.Testing;

namespace Kernel.ExceptionBench;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (!TimeStampCounter.IsAvailable)
        {
            Console.Error.WriteLine("exception benchmark: needs x86-64 Linux (it reads the time stamp counter)");
            return 1;
        }
        string jsonPath = args.Length > 0 ? args[0] : Path.Combine("artifacts", "bench", "exceptions-host.json");
        ExceptionBenchmarks.Prepare();
        var rows = new List<Dictionary<string, object>>
        {
            Row("empty body", ExceptionBenchmarks.MeasureEmptyBody()),
            Row("try/finally", ExceptionBenchmarks.MeasureTryFinally()),
            Row("throw+catch 1 frame", ExceptionBenchmarks.MeasureThrowCatch(1)),
            Row("throw+catch " + ExceptionBenchmarks.DeepFrames + " frames", ExceptionBenchmarks.MeasureThrowCatch(ExceptionBenchmarks.DeepFrames)),
        };
        foreach (var row in rows)
            Console.WriteLine($"host: {row["name"]} cycles median={row["cycles_median"]} p99={row["cycles_p99"]}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath)));
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine("-> " + jsonPath);
        return 0;
    }

    private static Dictionary<string, object> Row(string name, ulong[] samples)
    {
        Array.Sort(samples);
        return new Dictionary<string, object>
        {
            ["name"] = name,
            ["cycles_median"] = samples[samples.Length / 2],
            ["cycles_p99"] = samples[samples.Length * 99 / 100],
        };
    }
}

/// <summary>rdtsc on the host: a routine written into a page that is made executable (and no longer writable).</summary>
internal static unsafe class TimeStampCounter
{
    // rdtsc; shl rdx, 32; or rax, rdx; ret  (Intel SDM Vol. 2B, RDTSC: the counter in EDX:EAX)
    private static readonly byte[] s_code = { 0x0F, 0x31, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3 };

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;
    private const nuint PageBytes = 4096;

    private static readonly delegate* unmanaged<ulong> s_read = Create();

    public static bool IsAvailable => s_read != null;

    public static ulong Read() => s_read();

    private static delegate* unmanaged<ulong> Create()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux())
            return null;
        void* page = mmap(null, PageBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (page == (void*)-1)
            return null;
        s_code.CopyTo(new Span<byte>(page, s_code.Length));
        if (mprotect(page, PageBytes, ProtRead | ProtExec) != 0)
            return null;
        return (delegate* unmanaged<ulong>)page;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(void* address, nuint length, int protection);
}
