// Heap efficiency under fragmentation (issue 17, item 3), as the talc allocator's benchmark measures it: the random
// alloc/free workload in a FIXED heap (no growth) until the first allocation fails; the figure is the requested bytes
// live at that moment / the heap's size. Designs that split, merge and reuse well get closer to 1.
//
// Workload: the random actions of the speed benchmark (a pool of slots; a step picks a random slot: an empty slot gets a
// block, a full one is freed), with as many slots as make the pool's steady state (half the slots full) request as
// many bytes as the heap holds: live bytes then hover around the heap's size, so every design fails, after a long
// stretch of allocations and frees near full (at failure about 30-45% of steps are frees) rather than in the first
// fill. Size ranges: 1..16 B, 1..200 B, 1..4 KiB at alignment 16, and "mixed": sizes up to 2^e for e uniform in 3..12
// (8 B to 4 KiB), 60% at alignment 16 and 40% at a power of two from 1 to 4096. Heaps: 256 KiB for the 16 B and 200 B
// ranges, 1 MiB for the larger ones. Seeds: 7 fixed ones per range; reported as median and min-max.
//
// Beside it, "never freeing": the same sizes allocated into the same fixed heap without any free until one fails. That
// is only header, rounding and alignment overhead (the figure this bench used to call efficiency).
//
// glibc: malloc cannot be given a fixed region, so glibc_fragmentation.c (compiled here with cc) runs the same workload
// with the same random numbers in a process of its own, with every chunk in the main arena's brk heap (no mmap'd chunks,
// no top padding, no trimming), and counts as the first failure the first malloc after which that heap extends past the
// cap. Where cc or glibc is missing the row says why.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Kernel.Heap;

namespace Kernel.HeapBench;

internal static unsafe class Fragmentation
{
    private static readonly string[] Designs = { "tlsf", "list", "block", "bump" };

    private const int Seeds = 7;

    private readonly struct Range
    {
        public readonly string Name;
        public readonly ulong MaxSize;
        public readonly bool Mixed;
        public readonly ulong HeapBytes;

        public Range(string name, ulong maxSize, bool mixed, ulong heapBytes)
        {
            Name = name;
            MaxSize = maxSize;
            Mixed = mixed;
            HeapBytes = heapBytes;
        }

        /// <summary>Mean requested size: (max + 1) / 2, averaged over the mixed range's ten maxima.</summary>
        public double MeanSize
        {
            get
            {
                if (!Mixed)
                    return (MaxSize + 1) / 2.0;
                double sum = 0;
                for (int e = 3; e <= 12; e++)
                    sum += ((1UL << e) + 1) / 2.0;
                return sum / 10;
            }
        }

        /// <summary>Slots whose steady state (half full) requests the heap's size.</summary>
        public int Slots => (int)(2 * HeapBytes / MeanSize);

        /// <summary>A run that has not failed after this many steps stops (reported as not failed).</summary>
        public long MaxSteps => 200L * Slots;
    }

    private static readonly Range[] Ranges =
    {
        new Range("16 B", 16, false, 256 << 10),
        new Range("200 B", 200, false, 256 << 10),
        new Range("4 KiB", 4096, false, 1 << 20),
        new Range("mixed", 4096, true, 1 << 20),
    };

    internal struct Row
    {
        public string Design;
        public string Range;
        public ulong HeapBytes;
        public double Median;
        public double Min;
        public double Max;
        public int Failed;
        public double? NeverFreeing;
        public string Note;
    }

    /// <summary>Measures every design and glibc, prints the table, writes the rows to jsonPath; the rows.</summary>
    public static List<Row> Run(string jsonPath)
    {
        var rows = new List<Row>();
        string glibc = BuildGlibcHelper(out string whyNot);
        Console.WriteLine($"fragmentation: random actions in a fixed heap until the first allocation fails; live requested bytes / heap size, "
            + $"median (min-max) of {Seeds} seeds; never freeing = the same sizes allocated without frees (overhead only)");
        Console.WriteLine();
        Console.WriteLine($"{"allocator",-10} {"sizes",6} {"heap",8} {"slots",7} {"efficiency",10} {"(min-max)",15} {"never freeing",13}");
        foreach (Range range in Ranges)
        {
            using var region = new NativeRegion(range.HeapBytes, range.HeapBytes, range.HeapBytes);
            foreach (string design in Designs)
            {
                var samples = new double[Seeds];
                int failed = 0;
                for (int s = 0; s < Seeds; s++)
                {
                    IHeapAllocator heap = Fresh(design, region, range);
                    samples[s] = (double)UntilFirstFailure(heap, range, SeedOf(s), out bool didFail) / range.HeapBytes;
                    if (didFail)
                        failed++;
                }
                double neverFreeing = (double)NeverFreeing(Fresh(design, region, range), range) / range.HeapBytes;
                rows.Add(Summarise(design, range, samples, failed, neverFreeing, null));
            }
            if (glibc != null)
            {
                var samples = new double[Seeds];
                int failed = 0;
                string error = null;
                for (int s = 0; s < Seeds && error == null; s++)
                {
                    samples[s] = RunGlibc(glibc, range, SeedOf(s), out bool didFail, out error) / range.HeapBytes;
                    if (didFail)
                        failed++;
                }
                rows.Add(error == null ? Summarise("glibc", range, samples, failed, null, null) : NotMeasured(range, error));
            }
            else
            {
                rows.Add(NotMeasured(range, whyNot));
            }
            foreach (Row row in rows)
            {
                if (row.Range == range.Name)
                    Print(row);
            }
            Console.WriteLine();
        }
        WriteJson(jsonPath, rows);
        Console.WriteLine($"wrote {jsonPath} ({rows.Count} rows)");
        return rows;
    }

    /// <summary>
    /// A new heap over cleared memory, as fresh pages would be: the block design finds a slab by the magic word at a
    /// 32 KiB boundary, so a slab header the previous run left there would be misread inside a large block.
    /// </summary>
    private static IHeapAllocator Fresh(string design, NativeRegion region, Range range)
    {
        NativeMemory.Clear((void*)region.Start, (nuint)range.HeapBytes);
        return HeapDesigns.Create(design, region.Start, range.HeapBytes, null);
    }

    private static ulong SeedOf(int s) => 0x9E3779B97F4A7C15UL * (ulong)(s + 1);

    private static Row Summarise(string design, Range range, double[] samples, int failed, double? neverFreeing, string note)
    {
        Array.Sort(samples);
        return new Row
        {
            Design = design,
            Range = range.Name,
            HeapBytes = range.HeapBytes,
            Median = samples[samples.Length / 2],
            Min = samples[0],
            Max = samples[^1],
            Failed = failed,
            NeverFreeing = neverFreeing,
            Note = failed < samples.Length ? $"{samples.Length - failed} of {samples.Length} runs never failed" : note,
        };
    }

    private static Row NotMeasured(Range range, string why) => new Row
    {
        Design = "glibc",
        Range = range.Name,
        HeapBytes = range.HeapBytes,
        Median = double.NaN,
        Min = double.NaN,
        Max = double.NaN,
        Note = "not measured: " + why,
    };

    private static void Print(Row row)
    {
        string heap = row.HeapBytes >= 1 << 20 ? $"{row.HeapBytes >> 20} MiB" : $"{row.HeapBytes >> 10} KiB";
        Range range = Array.Find(Ranges, r => r.Name == row.Range);
        if (double.IsNaN(row.Median))
        {
            Console.WriteLine($"{row.Design,-10} {row.Range,6} {heap,8} {range.Slots,7} {"n/a",10} {"",15} {"n/a",13}  {row.Note}");
            return;
        }
        string spread = $"({row.Min:0.000}-{row.Max:0.000})";
        string never = row.NeverFreeing.HasValue ? row.NeverFreeing.Value.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        Console.WriteLine($"{row.Design,-10} {row.Range,6} {heap,8} {range.Slots,7} {row.Median,10:0.000} {spread,15} {never,13}"
            + (row.Note != null ? "  " + row.Note : ""));
    }

    /// <summary>xorshift64*, as in the speed benchmark and glibc_fragmentation.c.</summary>
    private struct Rng
    {
        private ulong _state;

        public Rng(ulong seed) => _state = seed;

        public ulong Next()
        {
            ulong x = _state;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            _state = x;
            return x * 0x2545F4914F6CDD1DUL;
        }
    }

    /// <summary>The next request's size and alignment from the step's random number r (mixed: one more draw).</summary>
    private static ulong Request(ref Rng rng, Range range, ulong r, out ulong alignment)
    {
        ulong max = range.MaxSize;
        alignment = 16;
        if (range.Mixed)
        {
            ulong r2 = rng.Next();
            max = 1UL << (int)(3 + r2 % 10);
            if ((r2 >> 8) % 100 >= 60)
                alignment = 1UL << (int)((r2 >> 16) % 13);
        }
        return 1 + (((r & 0xFFFF_FFFF) * max) >> 32);
    }

    /// <summary>Requested bytes live when the first allocation fails (or after MaxSteps, didFail false).</summary>
    private static ulong UntilFirstFailure(IHeapAllocator heap, Range range, ulong seed, out bool didFail)
    {
        int count = range.Slots;
        var addresses = new ulong[count];
        var sizes = new ulong[count];
        var rng = new Rng(seed);
        ulong live = 0;
        for (long step = 0; step < range.MaxSteps; step++)
        {
            ulong r = rng.Next();
            int index = (int)(((r >> 32) * (ulong)count) >> 32);
            if (addresses[index] == 0)
            {
                ulong size = Request(ref rng, range, r, out ulong alignment);
                ulong address = heap.Allocate(size, alignment, out HeapError error);
                if (address == 0)
                {
                    if (error != HeapError.OutOfMemory)
                        throw new InvalidOperationException($"{heap.Name}: Allocate({size}, {alignment}) failed with {error}");
                    didFail = true;
                    return live;
                }
                *(byte*)address = 1;
                *(byte*)(address + size - 1) = 1;
                addresses[index] = address;
                sizes[index] = size;
                live += size;
            }
            else
            {
                HeapError error = heap.Free(addresses[index]);
                if (error != HeapError.None)
                    throw new InvalidOperationException($"{heap.Name}: Free({sizes[index]}-byte block) failed with {error}");
                addresses[index] = 0;
                live -= sizes[index];
            }
        }
        didFail = false;
        return live;
    }

    /// <summary>Requested bytes live when the first allocation fails, allocating only (the first seed's sizes).</summary>
    private static ulong NeverFreeing(IHeapAllocator heap, Range range)
    {
        var rng = new Rng(SeedOf(0));
        ulong live = 0;
        while (true)
        {
            ulong size = Request(ref rng, range, rng.Next(), out ulong alignment);
            ulong address = heap.Allocate(size, alignment, out _);
            if (address == 0)
                return live;
            live += size;
        }
    }

    // ---- glibc ----

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path);

    /// <summary>The compiled helper's path, or null with the reason it cannot be measured.</summary>
    private static string BuildGlibcHelper(out string whyNot)
    {
        whyNot = null;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            whyNot = "the host is not Linux, so its malloc is not glibc's";
            return null;
        }
        string source = Path.Combine(SourceDirectory(), "glibc_fragmentation.c");
        if (!File.Exists(source))
        {
            whyNot = "glibc_fragmentation.c is not beside the bench's sources";
            return null;
        }
        string output = Path.Combine(Path.GetTempPath(), "kernel-heapbench-glibc-fragmentation");
        (int code, string text) = RunProcess("cc", $"-O2 -o \"{output}\" \"{source}\"");
        if (code != 0)
        {
            whyNot = code == -1 ? "no C compiler (cc) to build the glibc helper" : "cc failed: " + text.Trim();
            return null;
        }
        (code, text) = RunProcess("ldd", "--version");
        if (code != 0 || (!text.Contains("GLIBC", StringComparison.OrdinalIgnoreCase) && !text.Contains("GNU libc", StringComparison.Ordinal)))
        {
            whyNot = "the C library is not glibc (ldd --version does not say GLIBC)";
            return null;
        }
        return output;
    }

    private static double RunGlibc(string helper, Range range, ulong seed, out bool didFail, out string error)
    {
        string arguments = string.Join(" ", range.HeapBytes, range.Slots, range.MaxSize, range.Mixed ? 1 : 0, seed, range.MaxSteps);
        (int code, string text) = RunProcess(helper, arguments);
        string[] parts = text.Trim().Split(' ');
        if (code != 0 || parts.Length != 3)
        {
            didFail = false;
            error = $"the glibc helper failed (exit {code}): {text.Trim()}";
            return double.NaN;
        }
        didFail = parts[2] == "1";
        error = null;
        return ulong.Parse(parts[0], CultureInfo.InvariantCulture);
    }

    private static (int Code, string Output) RunProcess(string file, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, file + " not found");
        }
    }

    private static void WriteJson(string path, List<Row> rows)
    {
        var json = new StringBuilder();
        json.Append("[\n");
        for (int i = 0; i < rows.Count; i++)
        {
            Row row = rows[i];
            json.Append(CultureInfo.InvariantCulture,
                $"  {{\"name\": \"{row.Design}\", \"sizes\": \"{row.Range}\", \"heap_bytes\": {row.HeapBytes}, \"seeds\": {Seeds}, "
                + $"\"efficiency_median\": {Number(row.Median)}, \"efficiency_min\": {Number(row.Min)}, \"efficiency_max\": {Number(row.Max)}, "
                + $"\"runs_failed\": {row.Failed}, \"never_freeing\": {Number(row.NeverFreeing ?? double.NaN)}, "
                + $"\"note\": {(row.Note == null ? "null" : "\"" + row.Note.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"")}}}");
            json.Append(i + 1 < rows.Count ? ",\n" : "\n");
        }
        json.Append("]\n");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)));
        File.WriteAllText(path, json.ToString());
    }

    private static string Number(double value) =>
        double.IsNaN(value) ? "null" : value.ToString("0.0000", CultureInfo.InvariantCulture);
}
