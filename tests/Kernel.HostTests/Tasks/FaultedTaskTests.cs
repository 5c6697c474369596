using System;
using System.Collections.Generic;
using Kernel.Shell;
using Kernel.Tasks;
using Xunit;

namespace Kernel.HostTests.Tasks;

/// <summary>
/// Issue 13: a task whose method throws completes as faulted instead of stopping the kernel; the executor reports a
/// spawned task's fault once, by name; awaiting a faulted task throws the same exception object in the awaiter, as
/// .NET's await does. (Shares the executor's static state with <see cref="ExecutorTests"/>.)
/// </summary>
[Collection("Executor")]
public sealed class FaultedTaskTests : IDisposable
{
    private readonly List<KernelTask> _reported = new List<KernelTask>();
    private readonly List<string> _log = new List<string>();

    /// <summary>Installs a reporter that records what it is told.</summary>
    public FaultedTaskTests()
    {
        Executor.SetFaultReporter(_reported.Add);
    }

    /// <summary>Removes the reporter.</summary>
    public void Dispose() => Executor.SetFaultReporter(null);

    [Fact]
    public void ATaskThatThrowsAfterSuspendingIsFaultedWithTheException()
    {
        var gate = new Gate();
        var thrown = new FormatException("bad input");
        KernelTask task = ThrowAfter(gate, thrown);
        Assert.Equal(KernelTaskState.Pending, task.State);

        gate.Open();
        Executor.RunUntilIdle();

        Assert.Equal(KernelTaskState.Faulted, task.State);
        Assert.True(task.IsFaulted);
        Assert.True(task.IsCompleted, "a faulted task is completed, as .NET's Task is");
        Assert.Same(thrown, task.Exception);
    }

    [Fact]
    public void APendingOrCompletedTaskHasNoException()
    {
        Assert.Null(WaitOn(new Gate()).Exception);
        KernelTask done = Done();
        Assert.Equal(KernelTaskState.Completed, done.State);
        Assert.Null(done.Exception);
        done.GetResult();
    }

    [Fact]
    public void ATaskThatThrowsInItsFirstStepIsFaultedNotACrash()
    {
        var thrown = new InvalidOperationException("at once");
        KernelTask task = ThrowNow(thrown);
        KernelTask<int> withResult = ThrowNowWithResult(thrown);

        Assert.True(task.IsFaulted);
        Assert.Same(thrown, task.Exception);
        Assert.True(withResult.IsFaulted);
        Assert.Same(thrown, withResult.Exception);
    }

    [Fact]
    public void ASpawnedTaskThatFaultsIsReportedOnceByName()
    {
        var gate = new Gate();
        ulong before = Executor.FaultsReported;
        KernelTask task = Executor.Spawn("parser", ThrowAfter(gate, new FormatException("line 3: expected a digit")));
        Assert.Empty(_reported);

        gate.Open();
        Executor.RunUntilIdle();
        task.Wake();
        Executor.RunUntilIdle();

        Assert.Same(task, Assert.Single(_reported));
        Assert.Equal(before + 1, Executor.FaultsReported);
        Assert.Equal("task 'parser' faulted: FormatException: line 3: expected a digit", task.DescribeFault());
    }

    [Fact]
    public void WithoutAReporterAFaultIsCountedAndKeptOnTheTask()
    {
        Executor.SetFaultReporter(null);
        ulong before = Executor.FaultsReported;
        var gate = new Gate();
        KernelTask task = Executor.Spawn("quiet", ThrowAfter(gate, new FormatException("nobody listens")));

        gate.Open();
        Executor.RunUntilIdle();

        Assert.True(task.IsFaulted);
        Assert.Equal(before + 1, Executor.FaultsReported);
        Assert.Empty(_reported);
    }

    [Fact]
    public void ATaskSpawnedAlreadyFaultedIsReportedWhenSpawned()
    {
        KernelTask task = Executor.Spawn("eager", ThrowNow(new NotSupportedException("no such device")));

        Assert.Same(task, Assert.Single(_reported));
        Assert.Equal("task 'eager' faulted: NotSupportedException: no such device", task.DescribeFault());
    }

    [Fact]
    public void AFaultInsideAnAwaitedTaskIsReportedOnlyWhereNobodyAwaitsIt()
    {
        var gate = new Gate();
        KernelTask outer = Executor.Spawn("outer", AwaitAndLog(ThrowAfter(gate, new FormatException("inner"))));

        gate.Open();
        Executor.RunUntilIdle();

        Assert.True(outer.IsFaulted);
        Assert.Same(outer, Assert.Single(_reported));
        Assert.Equal(new[] { "awaiting" }, _log);
    }

    [Fact]
    public void AwaitingAFaultedTaskThrowsTheSameExceptionInTheAwaiter()
    {
        var gate = new Gate();
        var thrown = new FormatException("bad");
        KernelTask inner = ThrowAfter(gate, thrown);
        KernelTask outer = Catch(inner);

        gate.Open();
        Executor.RunUntilIdle();

        Assert.True(outer.IsCompleted && !outer.IsFaulted);
        Assert.Equal(new[] { "caught FormatException: bad", "same object: True" }, _log);
        Assert.Same(thrown, inner.Exception);
        Assert.Empty(_reported);
    }

    [Fact]
    public void AwaitingAnAlreadyFaultedTaskThrowsWithoutSuspending()
    {
        var thrown = new InvalidOperationException("early");
        KernelTask faulted = ThrowNow(thrown);
        KernelTask outer = Catch(faulted);

        Assert.True(outer.IsCompleted, "the awaiter went on at once: the awaited task was complete");
        Assert.Equal(new[] { "caught InvalidOperationException: early", "same object: True" }, _log);
    }

    [Fact]
    public void TheExceptionCrossesTwoLevelsOfAwaitAsTheSameObject()
    {
        var gate = new Gate();
        var thrown = new ArgumentException("deep");
        KernelTask<int> innermost = ThrowAfterWithResult(gate, thrown);
        KernelTask<int> middle = AddOne(innermost);
        KernelTask<int> outer = AddOne(middle);

        gate.Open();
        Executor.RunUntilIdle();

        Assert.True(innermost.IsFaulted && middle.IsFaulted && outer.IsFaulted);
        Assert.Same(thrown, middle.Exception);
        Assert.Same(thrown, outer.Exception);
        Assert.Same(thrown, Assert.Throws<ArgumentException>(() => outer.GetResult()));
        Assert.Equal(new[] { "add one", "add one" }, _log);
    }

    [Fact]
    public void AFaultedTaskDoesNotStopTheOthers()
    {
        var gate = new Gate();
        KernelTask before = YieldTimes("a", 2);
        KernelTask thrower = Executor.Spawn("thrower", ThrowAfter(gate, new FormatException("x")));
        KernelTask after = YieldTimes("b", 2);
        gate.Open();

        Executor.RunUntilIdle();

        Assert.True(thrower.IsFaulted);
        Assert.True(before.IsCompleted && !before.IsFaulted);
        Assert.True(after.IsCompleted && !after.IsFaulted);
        Assert.Equal(new[] { "a0", "b0", "a1", "b1", "a2", "b2" }, _log);
        Assert.Single(_reported);
    }

    [Fact]
    public void TheTaskListingShowsAFaultedTaskAndItsException()
    {
        KernelTask faulted = Executor.Spawn("worker", ThrowNow(new FormatException("bad input")));
        KernelTask waiting = Executor.Spawn("waiter", WaitOn(new Gate()));
        KernelTask done = Executor.Spawn("done", Done());

        Assert.Equal("  worker    faulted    polled 0 times (home cpu 0): FormatException: bad input", TaskListing.Line(faulted));
        Assert.Equal("  waiter    waiting    polled 0 times (home cpu 0)", TaskListing.Line(waiting));
        Assert.Equal("  done      completed  polled 0 times (home cpu 0)", TaskListing.Line(done));
    }

    [Fact]
    public void ExceptionSummariesUseTheShortTypeNameAndOneLine()
    {
        Assert.Equal("FormatException: a b", ExceptionSummary.OneLine(new FormatException("a\nb")));
        Assert.Equal("FormatException", ExceptionSummary.ShortTypeName("System.FormatException"));
        Assert.Equal("DeviceError", ExceptionSummary.ShortTypeName("Kernel.Pci.DeviceError"));
        Assert.Equal("Plain", ExceptionSummary.ShortTypeName("Plain"));
        Assert.Equal("Wrapper<System.String>", ExceptionSummary.ShortTypeName("Kernel.Wrapper<System.String>"));
        Assert.Equal("null", ExceptionSummary.OneLine(null));
    }

    private static async KernelTask ThrowAfter(Gate gate, Exception exception)
    {
        await gate;
        throw exception;
    }

    private static async KernelTask<int> ThrowAfterWithResult(Gate gate, Exception exception)
    {
        await gate;
        throw exception;
    }

#pragma warning disable CS1998 // the point is a method that throws before any await
    private static async KernelTask ThrowNow(Exception exception) => throw exception;

    private static async KernelTask<int> ThrowNowWithResult(Exception exception) => throw exception;

    private static async KernelTask Done()
    {
    }
#pragma warning restore CS1998

    private static async KernelTask WaitOn(Gate gate) => await gate;

    private async KernelTask AwaitAndLog(KernelTask task)
    {
        _log.Add("awaiting");
        await task;
        _log.Add("not reached");
    }

    private async KernelTask Catch(KernelTask task)
    {
        try
        {
            await task;
            _log.Add("no exception");
        }
        catch (Exception exception)
        {
            _log.Add("caught " + ExceptionSummary.OneLine(exception));
            _log.Add("same object: " + ReferenceEquals(exception, task.Exception));
        }
    }

    private async KernelTask<int> AddOne(KernelTask<int> task)
    {
        _log.Add("add one");
        return await task + 1;
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

    /// <summary>An awaitable that completes when opened and then wakes its waiter.</summary>
    private sealed class Gate : KernelAwaiter
    {
        private KernelTask _waiter;
        private bool _open;

        public override bool IsCompleted => _open;

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
