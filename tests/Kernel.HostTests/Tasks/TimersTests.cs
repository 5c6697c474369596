// Tests for Timers on the host: the tick handler is called by hand, so deadlines, wake order, the fixed pool and the
// interrupts-off scopes can be checked without a timer interrupt.
using System;
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Tasks;
using Xunit;

namespace Kernel.HostTests.Tasks;

/// <summary>The delay queue, driven by calling OnTick (Timers and the executor are static: one collection).</summary>
[Collection("Executor")]
public sealed class TimersTests
{
    private const ulong TicksPerSecond = 100;

    private readonly List<string> _log = new List<string>();

    public TimersTests()
    {
        Timers.Initialize(TicksPerSecond);
    }

    [Fact]
    public void ADelayEndsOnTheTickItsDeadlineNamesAndNotBefore()
    {
        KernelTask task = Sleep("a", 50);
        Executor.RunUntilIdle();
        Assert.Equal(1, Timers.SleeperCount);

        Tick(4);
        Assert.False(task.IsCompleted);
        Tick(1);
        Assert.True(task.IsCompleted);
        Assert.Equal(new[] { "a:start", "a:woke at 5" }, _log);
        Assert.Equal(0, Timers.SleeperCount);
    }

    [Fact]
    public void SleepersWakeInDeadlineOrderWhateverOrderTheyStarted()
    {
        KernelTask late = Sleep("late", 300);
        KernelTask early = Sleep("early", 100);
        KernelTask middle = Sleep("middle", 200);
        Executor.RunUntilIdle();

        Tick(30);
        Assert.True(late.IsCompleted && early.IsCompleted && middle.IsCompleted);
        Assert.Equal(new[] { "late:start", "early:start", "middle:start", "early:woke at 10", "middle:woke at 20", "late:woke at 30" }, _log);
    }

    [Fact]
    public void PartialMillisecondsRoundUpToAWholeTick()
    {
        KernelTask task = Sleep("a", 1);
        Executor.RunUntilIdle();
        Tick(1);
        Assert.True(task.IsCompleted);
    }

    [Fact]
    public void ADelayWhoseDeadlineHasPassedCompletesWithoutSleeping()
    {
        KernelTask task = Sleep("a", 0);
        Executor.RunUntilIdle();
        Assert.True(task.IsCompleted);
        Assert.Equal(0, Timers.SleeperCount);
    }

    [Fact]
    public void NodesGoBackToThePoolSoSleepingManyTimesNeverRunsOut()
    {
        for (int round = 0; round < 3 * Timers.MaxSleepers; round++)
        {
            KernelTask task = Sleep("r", 10);
            Executor.RunUntilIdle();
            Tick(1);
            Assert.True(task.IsCompleted);
        }
    }

    [Fact]
    public void MoreSleepersThanThePoolHoldsIsAFailureNotACorruption()
    {
        var sleepers = new List<KernelTask>();
        for (int i = 0; i < Timers.MaxSleepers; i++)
            sleepers.Add(Sleep("s" + i, 1000));
        Executor.RunUntilIdle();
        Assert.Equal(Timers.MaxSleepers, Timers.SleeperCount);

        InvalidOperationException failure = Assert.Throws<InvalidOperationException>(() => Timers.Delay(1000));
        Assert.Contains("more than " + Timers.MaxSleepers + " tasks sleep at once", failure.Message);

        Tick(100);
        Assert.All(sleepers, s => Assert.True(s.IsCompleted));
    }

    [Fact]
    public void EveryInterruptsOffScopeIsClosed()
    {
        int depth = InterruptsOff.Depth;
        KernelTask task = Sleep("a", 20);
        Executor.RunUntilIdle();
        Tick(2);
        Assert.True(task.IsCompleted);
        Assert.Equal(depth, InterruptsOff.Depth);
    }

    private void Tick(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Timers.OnTick(Timers.Ticks + 1);
            Executor.RunUntilIdle();
        }
    }

    private async KernelTask Sleep(string name, ulong milliseconds)
    {
        _log.Add(name + ":start");
        await Timers.Delay(milliseconds);
        _log.Add(name + ":woke at " + Timers.Ticks);
    }
}
