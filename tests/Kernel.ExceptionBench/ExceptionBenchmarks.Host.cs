// The host's side of the shared exception benchmarks: the clock.
using Kernel.ExceptionBench;

namespace Kernel.Testing;

public static partial class ExceptionBenchmarks
{
    private static partial ulong ReadTimestamp() => TimeStampCounter.Read();
}
