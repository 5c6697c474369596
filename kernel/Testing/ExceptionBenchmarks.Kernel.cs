#if KERNEL_TESTS
// The kernel's side of the exception benchmarks (ExceptionBenchmarks.cs): the TSC as the clock and the "bench: ..."
// lines build.cake's Bench target reads. The throwing ones need the kernel's exception dispatch: without it their
// first throw is an unhandled-exception panic whose message says so.
using Kernel.Arch;
using Kernel.Console;

namespace Kernel.Testing;

public static partial class ExceptionBenchmarks
{
    private static partial ulong ReadTimestamp() => Cpu.ReadTimeStampCounter();

    // try/finally that does not throw, and the same body without it (the baseline the Bench target subtracts).
    public static void MeasureTryFinallyOverhead()
    {
        string empty = BenchmarkRunner.MedianAndP99(MeasureEmptyBody());
        string tryFinally = BenchmarkRunner.MedianAndP99(MeasureTryFinally());
        Terminal.WriteLine("bench: empty body cycles " + empty);
        Terminal.WriteLine("bench: try/finally cycles " + tryFinally);
    }

    public static void MeasureThrowCatchOneFrame() =>
        Terminal.WriteLine("bench: throw+catch 1 frame cycles " + BenchmarkRunner.MedianAndP99(MeasureThrowCatch(1)));

    public static void MeasureThrowCatchDeep() =>
        Terminal.WriteLine("bench: throw+catch " + DeepFrames.ToString() + " frames cycles " + BenchmarkRunner.MedianAndP99(MeasureThrowCatch(DeepFrames)));
}
#endif
