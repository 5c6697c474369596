// Tests for CommandTable: every command is found by name in ShellCommand order, usage and help text exist, and
// argument-count errors read as the shell prints them.
using System;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class CommandTableTests
{
    [Theory]
    [InlineData("help", ShellCommand.Help)]
    [InlineData("echo", ShellCommand.Echo)]
    [InlineData("clear", ShellCommand.Clear)]
    [InlineData("mem", ShellCommand.Mem)]
    [InlineData("gc", ShellCommand.Gc)]
    [InlineData("uptime", ShellCommand.Uptime)]
    [InlineData("irq", ShellCommand.Irq)]
    [InlineData("log", ShellCommand.Log)]
    [InlineData("tasks", ShellCommand.Tasks)]
    [InlineData("acpi", ShellCommand.Acpi)]
    [InlineData("pci", ShellCommand.Pci)]
    [InlineData("cpu", ShellCommand.Cpu)]
    [InlineData("lsusb", ShellCommand.Lsusb)]
    [InlineData("sleep", ShellCommand.Sleep)]
    [InlineData("reboot", ShellCommand.Reboot)]
    [InlineData("shutdown", ShellCommand.Shutdown)]
    public void FindsEachCommandAtItsShellCommandIndex(string name, ShellCommand command)
    {
        Assert.Equal((int)command, CommandTable.Find(name));
        Assert.Equal(name, CommandTable.Name((int)command));
    }

    [Fact]
    public void TheTableHasExactlyTheShellCommands()
    {
        ShellCommand[] commands = Enum.GetValues<ShellCommand>();

        Assert.Equal(17, CommandTable.Count);
        Assert.Equal(commands.Length, CommandTable.Count);
        foreach (ShellCommand command in commands)
        {
            Assert.Equal(command.ToString().ToLowerInvariant(), CommandTable.Name((int)command));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("HELP")]
    [InlineData("hel")]
    [InlineData("helpx")]
    [InlineData(" help")]
    [InlineData(null)]
    public void UnknownNamesAreMinusOne(string name)
    {
        Assert.Equal(-1, CommandTable.Find(name));
    }

    [Fact]
    public void EveryUsageStartsWithTheNameAndEveryCommandHasHelp()
    {
        int longest = 0;
        for (int i = 0; i < CommandTable.Count; i++)
        {
            string usage = CommandTable.Usage(i);
            Assert.True(usage == CommandTable.Name(i) || usage.StartsWith(CommandTable.Name(i) + " "), usage);
            Assert.False(string.IsNullOrWhiteSpace(CommandTable.Help(i)));
            Assert.True(CommandTable.MinArguments(i) <= CommandTable.MaxArguments(i));
            longest = Math.Max(longest, usage.Length);
        }

        Assert.Equal(longest, CommandTable.LongestUsage);
        Assert.Equal("sleep <seconds>", CommandTable.Usage((int)ShellCommand.Sleep));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(17)]
    public void OutOfRangeIndexesGiveEmptyTextAndAnError(int index)
    {
        Assert.Equal("", CommandTable.Name(index));
        Assert.Equal("", CommandTable.Usage(index));
        Assert.Equal("", CommandTable.Help(index));
        Assert.NotNull(CommandTable.CheckArguments(index, 0));
    }

    [Theory]
    [InlineData(ShellCommand.Sleep, 1)]
    [InlineData(ShellCommand.Help, 0)]
    [InlineData(ShellCommand.Help, 1)]
    [InlineData(ShellCommand.Echo, 0)]
    [InlineData(ShellCommand.Echo, 100)]
    [InlineData(ShellCommand.Mem, 0)]
    [InlineData(ShellCommand.Shutdown, 0)]
    public void AcceptedArgumentCountsGiveNoError(ShellCommand command, int count)
    {
        Assert.Null(CommandTable.CheckArguments((int)command, count));
    }

    [Theory]
    [InlineData(ShellCommand.Sleep, 0, "sleep: expected 1 argument (usage: sleep <seconds>)")]
    [InlineData(ShellCommand.Sleep, 2, "sleep: expected 1 argument (usage: sleep <seconds>)")]
    [InlineData(ShellCommand.Clear, 1, "clear: expected no arguments (usage: clear)")]
    [InlineData(ShellCommand.Reboot, 3, "reboot: expected no arguments (usage: reboot)")]
    [InlineData(ShellCommand.Help, 2, "help: expected at most 1 argument (usage: help [command])")]
    [InlineData(ShellCommand.Sleep, -1, "sleep: expected 1 argument (usage: sleep <seconds>)")]
    public void WrongArgumentCountsGiveAOneLineError(ShellCommand command, int count, string error)
    {
        Assert.Equal(error, CommandTable.CheckArguments((int)command, count));
    }

    [Theory]
    [InlineData(0, 0, "no arguments")]
    [InlineData(1, 1, "1 argument")]
    [InlineData(2, 2, "2 arguments")]
    [InlineData(0, 1, "at most 1 argument")]
    [InlineData(0, 3, "at most 3 arguments")]
    [InlineData(1, CommandTable.Unlimited, "at least 1 argument")]
    [InlineData(2, CommandTable.Unlimited, "at least 2 arguments")]
    [InlineData(1, 3, "1 to 3 arguments")]
    public void ExpectedArgumentCountsReadNaturally(int min, int max, string expected)
    {
        Assert.Equal(expected, CommandTable.ExpectedArguments(min, max));
    }

    [Fact]
    public void UnknownCommandMessageNamesTheCommandAndPointsAtHelp()
    {
        Assert.Equal("unknown command: foo (type help)", CommandTable.UnknownCommandMessage("foo"));
    }

    [Fact]
    public void AFailedCommandIsOneErrorLineWithTheExceptionsShortTypeName()
    {
        Assert.Equal("error: FormatException: 'x' is not a whole number from 0 to 3600",
            CommandTable.FailedCommandMessage(new FormatException("'x' is not a whole number from 0 to 3600")));
        Assert.Equal("error: InvalidOperationException: two lines", CommandTable.FailedCommandMessage(new InvalidOperationException("two\nlines")));
    }
}
