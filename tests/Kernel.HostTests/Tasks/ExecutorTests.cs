using System;
using System.Collections.Generic;
using Kernel.Tasks;
using Xunit;

namespace Kernel.HostTests.Tasks;

/// <summary>
/// The executor and the kernel task type, compiled against normal .NET: what the C# compiler's async state
/// machines do with KernelTask, how wakes queue tasks, and the ready queue's limits. (Executor state is static,
/// so these tests share one collection and leave the queue empty.)
/// </summary>
[Collection("Executor")]
public sealed class ExecutorTests
{
    private readonly List<string> _log = new List<string>();

    [Fact]
    public void SpawnNamesAndListsATaskThatRanToItsFirstAwait()
    {
        var gate = new Gate();
        int before = Executor.SpawnedCount;
        KernelTask task = Executor.Spawn("waiter", WaitOn(gate, "w"));

        Assert.Equal("waiter", task.Name);
        Assert.Equal(before + 1, Executor.SpawnedCount);
        Assert.Same(task, Executor.Spawned(before));
        Assert.Equal(new[] { "w:start" }, _log);
        Assert.False(task.IsCompleted);

        gate.Open();
        Executor.RunUntilIdle();
        Assert.True(task.IsCompleted);
        Assert.Equal(new[] { "w:start", "w:end" }, _log);
    }

    [Fact]
    public void AMethodThatNeverSuspendsReturnsACompletedTask()
    {
        KernelTask<int> task = Immediate(7);
        Assert.True(task.IsCompleted);
        Assert.Equal(7, task.GetResult());
    }

    [Fact]
    public void YieldLetsOtherReadyTasksRunInFifoOrder()
    {
        KernelTask a = YieldTimes("a", 3);
        KernelTask b = YieldTimes("b", 3);
        Executor.RunUntilIdle();

        Assert.Equal(new[] { "a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3" }, _log);
        Assert.True(a.IsCompleted && b.IsCompleted);
        Assert.Equal(3UL, a.PollCount);
    }

    [Fact]
    public void ResultsAndCompletionOrderFollowTheAwaits()
    {
        var first = new Gate();
        var second = new Gate();
        KernelTask<int> outer = AddTwo(first, second);
        Assert.False(outer.IsCompleted);

        second.Open();
        Executor.RunUntilIdle();
        Assert.False(outer.IsCompleted);
        first.Open();
        Executor.RunUntilIdle();

        Assert.True(outer.IsCompleted);
        Assert.Equal(30, outer.GetResult());
        Assert.Equal(new[] { "inner:20", "inner:10", "outer" }, _log);
    }

    [Fact]
    public void ATaskWokenTwiceRunsOnce()
    {
        var gate = new Gate { ResumeOnAnyWake = true };
        KernelTask task = WaitForever(gate);
        ulong polls = task.PollCount;

        task.Wake();
        task.Wake();
        Executor.RunUntilIdle();

        Assert.Equal(polls + 1, task.PollCount);
    }

    [Fact]
    public void AWakeBeforeTheAwaitedOperationCompletesDoesNotResumeTheTask()
    {
        var gate = new Gate();
        KernelTask task = WaitOn(gate, "g");
        ulong spurious = Executor.SpuriousWakes;

        task.Wake();
        Executor.RunUntilIdle();
        Assert.False(task.IsCompleted);
        Assert.Equal(spurious + 1, Executor.SpuriousWakes);
        Assert.Equal(new[] { "g:start" }, _log);

        gate.Open();
        Executor.RunUntilIdle();
        Assert.True(task.IsCompleted);
    }

    [Fact]
    public void WakingACompletedTaskDoesNothing()
    {
        KernelTask<int> done = Immediate(1);
        done.Wake();
        Executor.RunUntilIdle();
        Assert.Equal(0UL, done.PollCount);
    }

    [Fact]
    public void AFullReadyQueueIsReportedAndLosesNothingAlreadyQueued()
    {
        var gate = new Gate { ResumeOnAnyWake = true };
        var tasks = new KernelTask[Executor.Capacity + 1];
        for (int i = 0; i < tasks.Length; i++)
            tasks[i] = WaitForever(gate);
        for (int i = 0; i < Executor.Capacity; i++)
            tasks[i].Wake();

        var error = Assert.Throws<InvalidOperationException>(() => tasks[Executor.Capacity].Wake());
        Assert.Contains("ready queue is full", error.Message);

        Executor.RunUntilIdle();
        for (int i = 0; i < Executor.Capacity; i++)
            Assert.Equal(1UL, tasks[i].PollCount);
        Assert.Equal(0UL, tasks[Executor.Capacity].PollCount);
    }

    [Fact]
    public void AwaitingOneTaskTwiceIsRefused()
    {
        var gate = new Gate();
        KernelTask shared = WaitOn(gate, "s");
        KernelTask first = AwaitTask(shared);
        // The kernel panics on the broken invariant; the host's TaskEnvironment.Fail throws instead, inside the second
        // awaiter's first step, which therefore ends faulted with that exception.
        KernelTask second = AwaitTask(shared);
        Assert.True(second.IsFaulted);
        Assert.Contains("awaited twice", Assert.IsType<InvalidOperationException>(second.Exception).Message);
        gate.Open();
        Executor.RunUntilIdle();
        Assert.True(first.IsCompleted);
    }

    private async KernelTask WaitOn(Gate gate, string name)
    {
        _log.Add(name + ":start");
        await gate;
        _log.Add(name + ":end");
    }

    private static async KernelTask WaitForever(Gate gate)
    {
        while (true)
            await gate;
    }

    private static async KernelTask AwaitTask(KernelTask task) => await task;

    private static async KernelTask<int> Immediate(int value)
    {
        await KernelTask.CompletedTask;
        return value;
    }

    private async KernelTask YieldTimes(string name, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _log.Add(name + i);
            await Executor.Yield();
        }
        _log.Add(name + count);
    }

    private async KernelTask<int> AddTwo(Gate first, Gate second)
    {
        KernelTask<int> a = Inner(first, 10);
        KernelTask<int> b = Inner(second, 20);
        int sum = await a + await b;
        _log.Add("outer");
        return sum;
    }

    private async KernelTask<int> Inner(Gate gate, int value)
    {
        await gate;
        _log.Add("inner:" + value);
        return value;
    }

    /// <summary>An awaitable that completes when opened and then wakes its waiter.</summary>
    private sealed class Gate : KernelAwaiter
    {
        private KernelTask _waiter;
        private bool _open;

        public bool ResumeOnAnyWake { get; set; }

        public override bool IsCompleted => _open;

        public override bool ResumesOnlyWhenCompleted => !ResumeOnAnyWake;

        public override void Register(KernelTask waiter) => _waiter = waiter;

        public void Open()
        {
            _open = true;
            _waiter?.Wake();
        }

        public void GetResult()
        {
        }

        public Gate GetAwaiter() => this;
    }
}
