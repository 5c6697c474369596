// Heap design benchmark, on the host.
//
// Speed: the "random actions" workload of the talc allocator's benchmarks. A pool of slots; each step picks a random
// slot: an empty slot gets a block of random size 1..max (alignment 16) whose first and last bytes are written, a full
// slot's block is freed. Reported as operations (allocations + frees) per second, for max sizes 16 B, 200 B and 4 KiB,
// for the four kernel heap designs over one large NativeMemory block and for the host's malloc/free (glibc on Linux)
// through NativeMemory.Alloc/Free.
//
// Efficiency: Fragmentation.cs, the same workload in a fixed heap until the first allocation fails (talc's figure),
// written to heap-fragmentation.json beside the speed figures.
//
// Each speed figure is the median of three measured runs, the allocators interleaved so that background load hits them
// alike; each allocator's first run is preceded by a warm-up run (tiered JIT). The designs are called directly (a
// struct adapter per design); one extra line shows tlsf through the IHeapAllocator interface, as the kernel calls it.
//
// Usage: dotnet run -c Release --project tests/Kernel.HeapBench [json-path]   (default artifacts/bench/heap.json)
//        ... --fragmentation [json-path]   (only the efficiency figures; default artifacts/bench/heap-fragmentation.json)
//        ... --only NAME MAXSIZE [SLOTS]   (profiling aid: five runs of one allocator, nothing written)
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

internal interface IBenchHeap
{
    ulong Allocate(ulong size);

    void Free(ulong address);
}

// One struct per design so the generic loop is specialised per allocator and calls it directly (no interface
// dispatch in the measured loop, for the designs and malloc alike).
internal struct TlsfHeap : IBenchHeap
{
    public TlsfAllocator Heap;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => Heap.Allocate(size, 16, out _);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => Heap.Free(address);
}

internal struct BlockHeap : IBenchHeap
{
    public FixedSizeBlockAllocator Heap;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => Heap.Allocate(size, 16, out _);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => Heap.Free(address);
}

internal struct ListHeap : IBenchHeap
{
    public LinkedListAllocator Heap;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => Heap.Allocate(size, 16, out _);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => Heap.Free(address);
}

internal struct BumpHeap : IBenchHeap
{
    public BumpAllocator Heap;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => Heap.Allocate(size, 16, out _);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => Heap.Free(address);
}

// Any design through the interface, as the kernel calls it.
internal struct InterfaceHeap : IBenchHeap
{
    public IHeapAllocator Heap;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => Heap.Allocate(size, 16, out _);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => Heap.Free(address);
}

internal unsafe struct MallocHeap : IBenchHeap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public ulong Allocate(ulong size) => (ulong)NativeMemory.Alloc((nuint)size);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Free(ulong address) => NativeMemory.Free((void*)address);
}

/// <summary>Contiguous growth over one NativeMemory block.</summary>
internal sealed unsafe class NativeRegion : IHeapGrowth, IDisposable
{
    private readonly byte* _base;
    private readonly ulong _reserve;

    public NativeRegion(ulong reserveBytes, ulong initialBytes, ulong prefaultBytes = 0)
    {
        _reserve = reserveBytes;
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)reserveBytes, 1 << 16);
        Mapped = initialBytes;
        // Fault the pages in up front so the timed runs measure the allocator, not the host kernel's page faults.
        NativeMemory.Clear(_base, (nuint)Math.Min(prefaultBytes, reserveBytes));
    }

    /// <summary>Starts over with initialBytes mapped (for a new heap over the same memory).</summary>
    public void Reset(ulong initialBytes) => Mapped = initialBytes;

    public ulong Start => (ulong)_base;

    public ulong Mapped { get; private set; }

    public ulong Grow(ulong minimumBytes)
    {
        const ulong chunk = 1 << 20;
        ulong bytes = (minimumBytes + chunk - 1) / chunk * chunk;
        if (Mapped + bytes > _reserve)
            return 0;
        Mapped += bytes;
        return bytes;
    }

    public void Dispose() => NativeMemory.AlignedFree(_base);
}

internal static unsafe class Program
{
    private static int Slots = 10_000;
    private const int Repetitions = 3;
    private static readonly ulong[] MaxSizes = { 16, 200, 4096 };
    private static readonly string[] Names = { "tlsf", "block", "list", "bump", "glibc" };

    private struct Row
    {
        public string Name;
        public ulong MaxSize;
        public double OpsPerSecond;
        public long Operations;
    }

    private static int Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "--only")
        {
            if (args.Length == 4)
                Slots = int.Parse(args[3], CultureInfo.InvariantCulture);
            // Profiling aid: one allocator, one max size, repeated.
            for (int i = 0; i < 5; i++)
            {
                double only = MeasureOnce(args[1], ulong.Parse(args[2], CultureInfo.InvariantCulture), i == 0);
                Console.WriteLine($"{args[1]} {args[2]}: {only / 1e6:0.00} Mops/s");
            }
            return 0;
        }
        if (args.Length >= 1 && args[0] == "--fragmentation")
        {
            Fragmentation.Run(args.Length > 1 ? args[1] : Path.Combine("artifacts", "bench", "heap-fragmentation.json"));
            return 0;
        }
        string jsonPath = args.Length > 0 ? args[0] : Path.Combine("artifacts", "bench", "heap.json");
        var total = Stopwatch.StartNew();
        var rows = new List<Row>();
        Console.WriteLine($"heap bench: random actions over {Slots} slots, alignment 16, median of {Repetitions} runs "
            + "(interleaved)");
        Console.WriteLine();
        Console.WriteLine($"{"allocator",-10} {"max size",9} {"ops/run",11} {"Mops/s",9} {"(min-max)",15}");
        foreach (ulong maxSize in MaxSizes)
        {
            // Interleave the allocators so background load hits them alike; the first round also warms each up.
            var samples = new double[Names.Length][];
            for (int n = 0; n < Names.Length; n++)
                samples[n] = new double[Repetitions];
            for (int rep = 0; rep < Repetitions; rep++)
            {
                for (int n = 0; n < Names.Length; n++)
                    samples[n][rep] = MeasureOnce(Names[n], maxSize, warmUp: rep == 0);
            }
            for (int n = 0; n < Names.Length; n++)
            {
                double[] runs = samples[n];
                Array.Sort(runs);
                var row = new Row
                {
                    Name = Names[n],
                    MaxSize = maxSize,
                    OpsPerSecond = runs[runs.Length / 2],
                    Operations = OperationsFor(Names[n], maxSize),
                };
                rows.Add(row);
                string spread = $"({runs[0] / 1e6:0.0}-{runs[^1] / 1e6:0.0})";
                Console.WriteLine($"{row.Name,-10} {FormatSize(maxSize),9} {row.Operations,11:N0} {row.OpsPerSecond / 1e6,9:0.00} {spread,15}");
            }
            Console.WriteLine();
        }

        // How much calling through IHeapAllocator (as the kernel does) costs, for the default design.
        double viaInterface = RandomActions(new InterfaceHeap(), "tlsf", 200, OperationsFor("tlsf", 200), true);
        double direct = rows.Find(r => r.Name == "tlsf" && r.MaxSize == 200).OpsPerSecond;
        Console.WriteLine($"note: tlsf at 200 B through the IHeapAllocator interface: {viaInterface / 1e6:0.00} Mops/s (direct calls: {direct / 1e6:0.00})");

        WriteJson(jsonPath, rows);
        Console.WriteLine($"wrote {jsonPath} ({rows.Count} rows) in {total.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine();
        Fragmentation.Run(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath)), "heap-fragmentation.json"));
        return 0;
    }

    private static string FormatSize(ulong size) => size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";

    private static long OperationsFor(string name, ulong maxSize) => name switch
    {
        // O(free blocks) per operation: a shorter run, still far past the warm-up into the steady state.
        "list" => maxSize <= 16 ? 2_000_000 : maxSize <= 256 ? 300_000 : 150_000,
        // Half the 4 KiB requests go to the block design's linked-list fallback.
        "block" => maxSize >= 4096 ? 400_000 : 20_000_000,
        // Bump never reuses memory here (the pool never drains), so the run is bounded by the region it fills.
        "bump" => maxSize >= 4096 ? 1_000_000 : maxSize > 16 ? 6_000_000 : 20_000_000,
        _ => maxSize >= 4096 ? 10_000_000 : 20_000_000,
    };

    /// <summary>Ops/s of one measured run (after a warm-up run when asked).</summary>
    private static double MeasureOnce(string name, ulong maxSize, bool warmUp)
    {
        long operations = OperationsFor(name, maxSize);
        return name switch
        {
            "tlsf" => RandomActions(new TlsfHeap(), name, maxSize, operations, warmUp),
            "block" => RandomActions(new BlockHeap(), name, maxSize, operations, warmUp),
            "list" => RandomActions(new ListHeap(), name, maxSize, operations, warmUp),
            "bump" => RandomActions(new BumpHeap(), name, maxSize, operations, warmUp),
            _ => RandomActions(new MallocHeap(), name, maxSize, operations, warmUp),
        };
    }

    /// <summary>xorshift64*: fast, and the same sequence for every allocator.</summary>
    private struct Rng
    {
        private ulong _state;

        public Rng(ulong seed) => _state = seed;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>Sets up the heap, optionally warms the code up, then times operations steps on a fresh heap; ops/s.</summary>
    private static double RandomActions<THeap>(THeap heap, string name, ulong maxSize, long operations, bool warmUp)
        where THeap : struct, IBenchHeap
    {
        // Bump never reuses memory in this workload (the pool never drains), so it gets room for everything it
        // allocates; the others stay well inside their first 64 MiB.
        const ulong initial = 64UL << 20;
        ulong reserve = name != "bump" ? 256UL << 20 : maxSize <= 256 ? 512UL << 20 : 1536UL << 20;
        using var region = name == "glibc" ? null : new NativeRegion(reserve, initial, name == "bump" ? reserve : initial);
        for (int round = warmUp ? 0 : 1; round < 2; round++)
        {
            // Round 0 warms the code up (tiered JIT) on a heap of its own; round 1 is measured on a fresh heap.
            long steps = round == 0 ? Math.Min(operations / 10, 200_000) : operations;
            if (region != null)
            {
                region.Reset(initial);
                Bind(ref heap, HeapDesigns.Create(name, region.Start, region.Mapped, region));
            }
            var stopwatch = Stopwatch.StartNew();
            Run(ref heap, maxSize, steps);
            stopwatch.Stop();
            if (round == 1)
                return steps / stopwatch.Elapsed.TotalSeconds;
        }
        throw new InvalidOperationException();
    }

    private static void Bind<THeap>(ref THeap heap, object instance) where THeap : struct, IBenchHeap
    {
        switch (instance)
        {
            case TlsfAllocator tlsf when heap is TlsfHeap:
                heap = (THeap)(object)new TlsfHeap { Heap = tlsf };
                break;
            case TlsfAllocator tlsf when heap is InterfaceHeap:
                heap = (THeap)(object)new InterfaceHeap { Heap = tlsf };
                break;
            case FixedSizeBlockAllocator block:
                heap = (THeap)(object)new BlockHeap { Heap = block };
                break;
            case LinkedListAllocator list:
                heap = (THeap)(object)new ListHeap { Heap = list };
                break;
            case BumpAllocator bump:
                heap = (THeap)(object)new BumpHeap { Heap = bump };
                break;
        }
    }

    // Fully optimised from the first call (no tier-0 / on-stack-replacement version of the measured loop).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<THeap>(ref THeap heap, ulong maxSize, long steps) where THeap : struct, IBenchHeap
    {
        int slotCount = Slots;
        ulong[] slots = new ulong[slotCount];
        var rng = new Rng(0x9E3779B97F4A7C15UL ^ maxSize);
        fixed (ulong* pool = slots)
        {
            for (long i = 0; i < steps; i++)
            {
                ulong r = rng.Next();
                // Multiply-shift range reduction (no division in the loop): high half picks the slot, low half the size.
                int index = (int)(((r >> 32) * (ulong)slotCount) >> 32);
                ulong address = pool[index];
                if (address == 0)
                {
                    ulong size = 1 + (((r & 0xFFFF_FFFF) * maxSize) >> 32);
                    address = heap.Allocate(size);
                    if (address == 0)
                        throw new InvalidOperationException($"allocation of {size} failed at step {i}");
                    *(byte*)address = 1;
                    *(byte*)(address + size - 1) = 1;
                    pool[index] = address;
                }
                else
                {
                    heap.Free(address);
                    pool[index] = 0;
                }
            }
            for (int i = 0; i < Slots; i++)
            {
                if (pool[i] != 0)
                    heap.Free(pool[i]);
            }
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
                $"  {{\"name\": \"{row.Name}\", \"max_size_bytes\": {row.MaxSize}, \"ops_per_sec\": {Math.Round(row.OpsPerSecond)}}}");
            json.Append(i + 1 < rows.Count ? ",\n" : "\n");
        }
        json.Append("]\n");
        string directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(directory);
        File.WriteAllText(path, json.ToString());
    }
}
