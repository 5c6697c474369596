#if KERNEL_TESTS
// Every in-kernel benchmark, by name (group.name, as for tests). They print figures and pass or fail nothing; the
// boot option bench or bench=NAME runs them, and build.cake's Bench target reads their "bench: ..." lines.
using Kernel.Tasks;

namespace Kernel.Testing;

public static class BenchmarkCatalog
{
    public static KernelBenchmark[] All() => new[]
    {
        new KernelBenchmark("heap.allocate_free", HeapTests.MeasureAllocateFree),
        new KernelBenchmark("gc.pause", GcBenchmarks.MeasurePause),
        new KernelBenchmark("gc.allocate_drop", GcBenchmarks.MeasureAllocateAndDrop),
        new KernelBenchmark("gc.bitmap_overhead", GcBenchmarks.MeasureBitmapOverhead),
        new KernelBenchmark("tasks.await_round_trip", TaskTests.MeasureAwaitRoundTrip),
        new KernelBenchmark("tasks.interrupt_wake", TaskTests.MeasureInterruptWake),
        new KernelBenchmark("smp.start", SmpBenchmarks.MeasureStartup),
        new KernelBenchmark("smp.parallel_speedup", SmpBenchmarks.MeasureParallelSpeedup),
        new KernelBenchmark("smp.cross_cpu_wake", SmpBenchmarks.MeasureCrossCpuWake),
        new KernelBenchmark("smp.lock_handoff", SmpBenchmarks.MeasureLockHandoff),
        new KernelBenchmark("console.throughput", ConsoleBenchmarks.MeasureThroughput),
        // Last: without exception dispatch the throwing ones end the run in a panic.
        new KernelBenchmark("exceptions.try_finally", ExceptionBenchmarks.MeasureTryFinallyOverhead),
        new KernelBenchmark("exceptions.throw_catch_1_frame", ExceptionBenchmarks.MeasureThrowCatchOneFrame),
        new KernelBenchmark("exceptions.throw_catch_10_frames", ExceptionBenchmarks.MeasureThrowCatchDeep),
    };
}
#endif
