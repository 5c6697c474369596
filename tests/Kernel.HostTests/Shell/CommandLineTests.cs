// Tests for CommandLine: splitting into a name and arguments, double quotes, the unterminated-quote error, and
// the strict decimal parser for numeric arguments.
using System;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class CommandLineTests
{
    [Fact]
    public void SplitsTheNameFromTheArguments()
    {
        CommandLine line = Parse("echo hello world");

        Assert.Equal("echo", line.Name);
        Assert.Equal(2, line.ArgumentCount);
        Assert.Equal("hello", line.Argument(0));
        Assert.Equal("world", line.Argument(1));
        Assert.False(line.IsEmpty);
    }

    [Fact]
    public void RunsOfSpacesAndTabsSeparateOnce()
    {
        CommandLine line = Parse(" \t sleep \t  5   ");

        Assert.Equal("sleep", line.Name);
        Assert.Equal(1, line.ArgumentCount);
        Assert.Equal("5", line.Argument(0));
    }

    [Fact]
    public void DoubleQuotesKeepBlanksInsideOneArgument()
    {
        CommandLine line = Parse("echo \"hello   world\" \tx");

        Assert.Equal(2, line.ArgumentCount);
        Assert.Equal("hello   world", line.Argument(0));
        Assert.Equal("x", line.Argument(1));
    }

    [Theory]
    [InlineData("echo a\"b c\"d", "ab cd")]
    [InlineData("echo \"\"", "")]
    [InlineData("echo \"a\"\"b\"", "ab")]
    [InlineData("echo \"x\"y", "xy")]
    public void QuotesJoinWithAdjacentTextAndMayBeEmpty(string text, string argument)
    {
        CommandLine line = Parse(text);

        Assert.Equal(1, line.ArgumentCount);
        Assert.Equal(argument, line.Argument(0));
    }

    [Fact]
    public void TheNameMayBeQuotedToo()
    {
        Assert.Equal("my cmd", Parse("\"my cmd\" arg").Name);
    }

    [Theory]
    [InlineData("echo \"abc", 6)]
    [InlineData("\"", 1)]
    [InlineData("echo \"a\" \"b", 10)]
    public void AnUnterminatedQuoteIsAnErrorNamingItsColumn(string text, int column)
    {
        Assert.False(CommandLine.TryParse(text, out CommandLine parsed, out string error));

        Assert.Null(parsed);
        Assert.Equal("unterminated quote (opened at column " + column + ")", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t \t")]
    [InlineData(null)]
    public void ABlankLineParsesAsEmpty(string text)
    {
        CommandLine line = Parse(text);

        Assert.True(line.IsEmpty);
        Assert.Equal("", line.Name);
        Assert.Equal(0, line.ArgumentCount);
        Assert.Null(line.Argument(0));
    }

    [Fact]
    public void ArgumentsOutOfRangeAreNull()
    {
        CommandLine line = Parse("sleep 5");

        Assert.Null(line.Argument(1));
        Assert.Null(line.Argument(-1));
    }

    [Fact]
    public void ManyOneCharacterWordsAllFit()
    {
        CommandLine line = Parse("a b c d e f g h i j");

        Assert.Equal(9, line.ArgumentCount);
        Assert.Equal("j", line.Argument(8));

        CommandLine empties = Parse("x \"\" \"\" \"\"");
        Assert.Equal(3, empties.ArgumentCount);
    }

    [Theory]
    [InlineData("0", 10u, 0u)]
    [InlineData("5", 10u, 5u)]
    [InlineData("10", 10u, 10u)]
    [InlineData("007", 10u, 7u)]
    [InlineData("3600", 3600u, 3600u)]
    [InlineData("4294967295", uint.MaxValue, uint.MaxValue)]
    [InlineData("00000000000000000000000001", 5u, 1u)]
    public void ParsesDecimalNumbersUpToTheMaximum(string text, uint max, uint expected)
    {
        Assert.True(CommandLine.TryParseUInt(text, max, out uint value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", 10u)]
    [InlineData(null, 10u)]
    [InlineData("-1", 10u)]
    [InlineData("+1", 10u)]
    [InlineData(" 5", 10u)]
    [InlineData("5 ", 10u)]
    [InlineData("1.5", 10u)]
    [InlineData("0x10", 100u)]
    [InlineData("five", 10u)]
    [InlineData("11", 10u)]
    [InlineData("3601", 3600u)]
    [InlineData("4294967296", uint.MaxValue)]
    [InlineData("99999999999999999999999", uint.MaxValue)]
    [InlineData("\u0661", 10u)] // Arabic-Indic digit one: a digit to char.IsDigit, not here
    public void RejectsJunkSignsBlanksAndValuesOverTheMaximum(string text, uint max)
    {
        Assert.False(CommandLine.TryParseUInt(text, max, out uint value));
        Assert.Equal(0u, value);
    }

    [Fact]
    public void ParseUIntReturnsTheNumberOrThrowsAFormatExceptionSayingWhatWasExpected()
    {
        Assert.Equal(42u, CommandLine.ParseUInt("42", 3600));
        Assert.Equal("'x' is not a whole number from 0 to 3600", Assert.Throws<FormatException>(() => CommandLine.ParseUInt("x", 3600)).Message);
        Assert.Equal("'3601' is not a whole number from 0 to 3600", Assert.Throws<FormatException>(() => CommandLine.ParseUInt("3601", 3600)).Message);
        Assert.Equal("'' is not a whole number from 0 to 10", Assert.Throws<FormatException>(() => CommandLine.ParseUInt("", 10)).Message);
    }

    private static CommandLine Parse(string text)
    {
        Assert.True(CommandLine.TryParse(text, out CommandLine parsed, out string error), error);
        Assert.Null(error);
        return parsed;
    }
}
