// Tests for counting timer ticks lost while interrupts were off (kernel/Interrupts/TickCatchUp.cs).
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Interrupts;
using Xunit;

namespace Kernel.HostTests.Interrupts;

public class TickCatchUpTests
{
    private const ulong Period = 1_000_000;

    [Theory]
    [InlineData(Period, 0)]              // on time
    [InlineData(Period / 2, 0)]          // early (a pending tick delivered right after interrupts came back on)
    [InlineData(Period * 3 / 2, 0)]      // late but within jitter
    [InlineData(Period * 3 / 2 + 1, 1)]  // just past 1.5 periods: one was missed
    [InlineData(Period * 2, 1)]
    [InlineData(Period * 5, 4)]          // a 50 ms collection at 100 Hz: four missed plus this one
    [InlineData(Period * 5 + Period / 2 - 1, 4)]
    [InlineData(Period * 5 + Period / 2, 5)]
    public void GapsAreRoundedToWholePeriodsLessTheArrivingTick(ulong gap, ulong missed)
    {
        Assert.Equal(missed, TickCatchUp.Missed(1_000, 1_000 + gap, Period));
    }

    [Fact]
    public void NothingIsCaughtUpWithoutACalibratedRateOrWhenTheTscDidNotAdvance()
    {
        Assert.Equal(0UL, TickCatchUp.Missed(0, Period * 100, 0));
        Assert.Equal(0UL, TickCatchUp.Missed(Period * 100, Period * 100, Period));
        Assert.Equal(0UL, TickCatchUp.Missed(Period * 100, 5, Period));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void CountedTicksStayWithinOneOfTheTscWhateverTheGaps()
    {
        // Ticks arriving after arbitrary gaps (interrupts off for up to 20 periods at a time): each interrupt counts
        // itself plus what it caught up, so the count is off from the TSC's elapsed periods by at most half a period
        // per interrupt (rounding), however long the gaps: a long gap never loses its periods.
        Gen.ULong[Period / 2, Period * 20].Array[1, 200].ForAll(gaps =>
        {
            ulong now = 0, ticks = 0;
            foreach (ulong gap in gaps)
            {
                ticks += 1 + TickCatchUp.Missed(now, now + gap, Period);
                now += gap;
            }
            ulong slack = (ulong)gaps.Length * Period / 2;
            Assert.True(ticks * Period + slack >= now, $"{ticks} ticks fall behind {now / (double)Period:F1} periods");
            Assert.True(ticks * Period <= now + slack, $"{ticks} ticks run ahead of {now / (double)Period:F1} periods");
        }, iterations: 500, print: gaps => string.Join(", ", gaps));
    }
}
