// Tests for CommandHistory: what gets recorded, the bound on its size, and Up/Down navigation with the draft.
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class CommandHistoryTests
{
    [Fact]
    public void KeepsLinesOldestFirst()
    {
        CommandHistory history = With("mem", "uptime", "irq");

        Assert.Equal(3, history.Count);
        Assert.Equal("mem", history.Entry(0));
        Assert.Equal("irq", history.Entry(2));
        Assert.Null(history.Entry(3));
        Assert.Null(history.Entry(-1));
    }

    [Fact]
    public void IgnoresBlankLines()
    {
        CommandHistory history = With("", "   ", "\t", null, "cpu");

        Assert.Equal(1, history.Count);
        Assert.Equal("cpu", history.Entry(0));
    }

    [Fact]
    public void IgnoresARepeatOfThePreviousLineButNotOfOlderOnes()
    {
        CommandHistory history = With("a", "b", "b", "a", "a");

        Assert.Equal(3, history.Count);
        Assert.Equal("a", history.Entry(0));
        Assert.Equal("b", history.Entry(1));
        Assert.Equal("a", history.Entry(2));
    }

    [Fact]
    public void DropsTheOldestEntryWhenFull()
    {
        CommandHistory history = new CommandHistory();
        for (int i = 0; i < 40; i++)
        {
            history.Add("cmd" + i);
        }

        Assert.Equal(CommandHistory.DefaultCapacity, history.Count);
        Assert.Equal(32, history.Capacity);
        Assert.Equal("cmd8", history.Entry(0));
        Assert.Equal("cmd39", history.Entry(31));
    }

    [Fact]
    public void PreviousWalksBackToTheOldestThenReturnsNull()
    {
        CommandHistory history = With("one", "two", "three");

        Assert.Equal("three", history.Previous(""));
        Assert.Equal("two", history.Previous("three"));
        Assert.Equal("one", history.Previous("two"));
        Assert.Null(history.Previous("one"));

        // Still on the oldest entry: Down goes forward from there.
        Assert.Equal("two", history.Next());
    }

    [Fact]
    public void NextPastTheNewestRestoresTheDraftOnce()
    {
        CommandHistory history = With("one", "two");

        Assert.Equal("two", history.Previous("ech"));
        Assert.Equal("one", history.Previous("two edited"));
        Assert.Equal("two", history.Next());
        Assert.Equal("ech", history.Next());
        Assert.Null(history.Next());
        Assert.False(history.IsNavigating);

        // And Up starts over from the newest entry.
        Assert.Equal("two", history.Previous("ech"));
    }

    [Fact]
    public void NothingToRecallInAnEmptyHistory()
    {
        CommandHistory history = new CommandHistory();

        Assert.Null(history.Previous("draft"));
        Assert.Null(history.Next());
        Assert.False(history.IsNavigating);
    }

    [Fact]
    public void NextWithoutPreviousReturnsNull()
    {
        Assert.Null(With("a").Next());
    }

    [Fact]
    public void AddEndsNavigation()
    {
        CommandHistory history = With("a", "b");
        history.Previous("x");
        Assert.True(history.IsNavigating);

        history.Add("c");

        Assert.False(history.IsNavigating);
        Assert.Null(history.Next());
        Assert.Equal("c", history.Previous(""));
    }

    [Fact]
    public void ResetNavigationForgetsPositionAndDraft()
    {
        CommandHistory history = With("a", "b");
        history.Previous("draft one");
        history.Previous("b");

        history.ResetNavigation();

        Assert.Null(history.Next());
        Assert.Equal("b", history.Previous("draft two"));
        Assert.Equal("draft two", history.Next());
    }

    [Fact]
    public void ANullDraftComesBackEmpty()
    {
        CommandHistory history = With("a");
        history.Previous(null);

        Assert.Equal("", history.Next());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-3, 1)]
    [InlineData(2, 2)]
    public void CapacityIsAtLeastOne(int requested, int expected)
    {
        CommandHistory history = new CommandHistory(requested);
        history.Add("x");
        history.Add("y");
        history.Add("z");

        Assert.Equal(expected, history.Capacity);
        Assert.Equal(expected, history.Count);
        Assert.Equal("z", history.Entry(expected - 1));
    }

    private static CommandHistory With(params string[] lines)
    {
        CommandHistory history = new CommandHistory();
        foreach (string line in lines)
        {
            history.Add(line);
        }

        return history;
    }
}
