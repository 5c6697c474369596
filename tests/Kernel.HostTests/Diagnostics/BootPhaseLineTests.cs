// The boot log's phases line: durations between consecutive TSC stamps in milliseconds with one decimal, the total
// from EfiMain's stamp to the last one, and cycles before the TSC is calibrated.
using Kernel.Diagnostics;
using Xunit;

namespace Kernel.HostTests.Diagnostics;

public sealed class BootPhaseLineTests
{
    private const ulong OneGHz = 1_000_000_000;

    [Fact]
    public void PhasesAreTheGapsBetweenStampsInTenthsOfMilliseconds()
    {
        // Entry at 5 ms; phases end at 5.25 ms (0.25 rounds up to 0.3), 17.5 ms (12.25 -> 12.3) and 17.5 ms (0.0).
        string line = BootPhaseLine.Format(new[] { "runtime start", "boot files", "empty" }, new ulong[] { 5_250_000, 17_500_000, 17_500_000 }, 3,
            5_000_000, OneGHz);

        Assert.Equal("boot: 12.5 ms in the kernel (TSC at entry 5.0 ms): runtime start 0.3, boot files 12.3, empty 0.0", line);
    }

    [Fact]
    public void BeforeCalibrationItCountsCycles()
    {
        string line = BootPhaseLine.Format(new[] { "a" }, new ulong[] { 1500 }, 1, 1000, 0);

        Assert.Equal("boot: 500 cycles in the kernel (TSC at entry 1000 cycles): a 500", line);
    }

    [Fact]
    public void AStampBeforeThePreviousOneCountsAsZeroNotAWrappedHugeNumber()
    {
        // A phase stamped on another CPU with a TSC slightly behind must not print 18446744073709.6 ms.
        string line = BootPhaseLine.Format(new[] { "a", "b", "c" }, new ulong[] { 2_000_000, 1_900_000, 3_000_000 }, 3, 1_000_000, OneGHz);

        Assert.Equal("boot: 2.0 ms in the kernel (TSC at entry 1.0 ms): a 1.0, b 0.0, c 1.0", line);
    }

    [Fact]
    public void NoPhasesGiveOnlyTheHeader()
    {
        Assert.Equal("boot: 0.0 ms in the kernel (TSC at entry 2.0 ms)", BootPhaseLine.Format(new string[0], new ulong[0], 0, 2_000_000, OneGHz));
    }

    [Fact]
    public void HugeCycleCountsDoNotOverflow()
    {
        ulong day = 86_400UL * OneGHz * 1000; // 1000 days at 1 GHz: cycles * 10000 would overflow
        string line = BootPhaseLine.Format(new[] { "long" }, new ulong[] { day }, 1, 0, OneGHz);

        Assert.Equal("boot: 86400000000.0 ms in the kernel (TSC at entry 0.0 ms): long 86400000000.0", line);
    }
}
