// Tests for TextGrid: cursor control characters, wrapping, scrolling, colors and dirty-row tracking.
using System.Text;
using Kernel.Console;
using Xunit;

namespace Kernel.HostTests.Console;

public class TextGridTests
{
    private const uint White = 0xFFFFFF;
    private const uint Black = 0x000000;
    private const uint Red = 0xFF0000;
    private const uint Blue = 0x0000FF;

    internal static string RowText(TextGrid grid, int row)
    {
        StringBuilder text = new StringBuilder();
        for (int column = 0; column < grid.Columns; column++)
        {
            text.Append(char.ConvertFromUtf32(grid.GetCell(column, row).CodePoint));
        }

        return text.ToString();
    }

    internal static string[] Screen(TextGrid grid)
    {
        string[] rows = new string[grid.Rows];
        for (int row = 0; row < grid.Rows; row++)
        {
            rows[row] = RowText(grid, row);
        }

        return rows;
    }

    private static void AssertCursor(TextGrid grid, int column, int row)
    {
        Assert.Equal((column, row), (grid.CursorColumn, grid.CursorRow));
    }

    [Fact]
    public void StartsBlankWithCursorHomeAndEveryRowDirty()
    {
        TextGrid grid = new TextGrid(10, 3, White, Blue);
        Assert.Equal(new[] { "          ", "          ", "          " }, Screen(grid));
        AssertCursor(grid, 0, 0);
        Assert.Equal(new Cell(' ', White, Blue), grid.GetCell(9, 2));
        for (int row = 0; row < 3; row++)
        {
            Assert.True(grid.IsRowDirty(row));
        }
    }

    [Fact]
    public void WritesPrintableCharactersWithCurrentColors()
    {
        TextGrid grid = new TextGrid(10, 3, White, Black);
        grid.Write("ab");
        grid.SetColors(Red, Blue);
        grid.Write('c');

        Assert.Equal("abc       ", RowText(grid, 0));
        Assert.Equal(new Cell('a', White, Black), grid.GetCell(0, 0));
        Assert.Equal(new Cell('c', Red, Blue), grid.GetCell(2, 0));
        Assert.Equal((Red, Blue), (grid.Foreground, grid.Background));
        AssertCursor(grid, 3, 0);
    }

    [Fact]
    public void NewlineReturnsToColumnZeroOfNextRow()
    {
        TextGrid grid = new TextGrid(10, 3, White, Black);
        grid.Write("abc\nd");
        Assert.Equal(new[] { "abc       ", "d         ", "          " }, Screen(grid));
        AssertCursor(grid, 1, 1);
    }

    [Fact]
    public void CarriageReturnOverwritesFromColumnZero()
    {
        TextGrid grid = new TextGrid(10, 2, White, Black);
        grid.Write("hello\rJ");
        Assert.Equal("Jello     ", RowText(grid, 0));
        AssertCursor(grid, 1, 0);
    }

    [Fact]
    public void CrLfIsASingleLineBreak()
    {
        TextGrid grid = new TextGrid(10, 3, White, Black);
        grid.Write("a\r\nb");
        Assert.Equal(new[] { "a         ", "b         ", "          " }, Screen(grid));
    }

    [Fact]
    public void TabAdvancesToNextMultipleOfEight()
    {
        TextGrid grid = new TextGrid(20, 2, White, Black);
        grid.Write('\t');
        AssertCursor(grid, 8, 0);
        grid.Write("x\t");
        AssertCursor(grid, 16, 0);
        grid.Write("y");
        Assert.Equal("        x       y   ", RowText(grid, 0));
    }

    [Fact]
    public void TabPastLastColumnWrapsToNextLine()
    {
        TextGrid grid = new TextGrid(20, 3, White, Black);
        grid.Write("\t\t\tz");
        Assert.Equal("z", RowText(grid, 1).TrimEnd());
        AssertCursor(grid, 1, 1);
    }

    [Fact]
    public void TabLeavesSkippedCellsUntouched()
    {
        TextGrid grid = new TextGrid(20, 2, White, Black);
        grid.Write("abcdef\r\t");
        Assert.Equal("abcdef", RowText(grid, 0).TrimEnd());
    }

    [Fact]
    public void BackspaceMovesLeftWithoutErasing()
    {
        TextGrid grid = new TextGrid(10, 2, White, Black);
        grid.Write("abc\b");
        AssertCursor(grid, 2, 0);
        Assert.Equal("abc       ", RowText(grid, 0));
        grid.Write("\b \b");
        Assert.Equal("a c       ", RowText(grid, 0));
        AssertCursor(grid, 1, 0);
    }

    [Fact]
    public void BackspaceStopsAtColumnZeroOfCurrentRow()
    {
        TextGrid grid = new TextGrid(10, 3, White, Black);
        grid.Write("abc\nd\b\b\b");
        AssertCursor(grid, 0, 1);
        grid.Write('X');
        Assert.Equal(new[] { "abc       ", "X         ", "          " }, Screen(grid));
    }

    [Fact]
    public void WrapsAtLastColumnOnlyWhenNextCharacterArrives()
    {
        TextGrid grid = new TextGrid(4, 3, White, Black);
        grid.Write("abcd");
        Assert.True(grid.IsWrapPending);
        AssertCursor(grid, 3, 0);

        grid.Write('e');
        Assert.False(grid.IsWrapPending);
        Assert.Equal(new[] { "abcd", "e   ", "    " }, Screen(grid));
        AssertCursor(grid, 1, 1);
    }

    [Fact]
    public void NewlineAfterFullLineDoesNotLeaveBlankLine()
    {
        TextGrid grid = new TextGrid(4, 3, White, Black);
        grid.Write("abcd\nef");
        Assert.Equal(new[] { "abcd", "ef  ", "    " }, Screen(grid));
    }

    [Fact]
    public void BackspaceAfterFullLineErasesLastCharacter()
    {
        TextGrid grid = new TextGrid(4, 2, White, Black);
        grid.Write("abcd\b \b");
        Assert.Equal("abc ", RowText(grid, 0));
        AssertCursor(grid, 3, 0);
        Assert.Equal(0, grid.ScrollCount);
    }

    [Fact]
    public void ScrollsUpWhenWritingPastLastRow()
    {
        TextGrid grid = new TextGrid(5, 3, White, Black);
        grid.Write("one\ntwo\nthree");
        Assert.Equal(0, grid.ScrollCount);
        grid.MarkClean();

        grid.SetColors(Red, Blue);
        grid.Write("\nfour");
        Assert.Equal(1, grid.ScrollCount);
        Assert.Equal(new[] { "two  ", "three", "four " }, Screen(grid));
        AssertCursor(grid, 4, 2);
        // The scrolled-in row is blank in the background current at scroll time.
        Assert.Equal(new Cell(' ', Red, Blue), grid.GetCell(4, 2));
        Assert.Equal(new Cell('t', White, Black), grid.GetCell(0, 0));
        for (int row = 0; row < 3; row++)
        {
            Assert.True(grid.IsRowDirty(row), "row " + row);
        }
    }

    [Fact]
    public void WrappingOnLastRowScrolls()
    {
        TextGrid grid = new TextGrid(3, 2, White, Black);
        grid.Write("abcdefg");
        Assert.Equal(1, grid.ScrollCount);
        Assert.Equal(new[] { "def", "g  " }, Screen(grid));
    }

    [Fact]
    public void ManyScrollsKeepRowOrder()
    {
        TextGrid grid = new TextGrid(3, 4, White, Black);
        for (int i = 0; i < 50; i++)
        {
            grid.Write((char)('A' + i % 26));
            grid.Write('\n');
        }

        Assert.Equal(47, grid.ScrollCount);
        // Lines 47, 48, 49 ('V', 'W', 'X') followed by the empty line the last '\n' opened.
        Assert.Equal(new[] { "V  ", "W  ", "X  ", "   " }, Screen(grid));
        AssertCursor(grid, 0, 3);
    }

    [Fact]
    public void OnlyWrittenRowsBecomeDirty()
    {
        TextGrid grid = new TextGrid(10, 4, White, Black);
        grid.MarkClean();
        Assert.False(grid.AnyRowDirty);

        grid.Write("\n\nx");
        Assert.False(grid.IsRowDirty(0));
        Assert.False(grid.IsRowDirty(1));
        Assert.True(grid.IsRowDirty(2));
        Assert.False(grid.IsRowDirty(3));
        Assert.True(grid.AnyRowDirty);

        grid.MarkRowClean(2);
        Assert.False(grid.AnyRowDirty);
        Assert.False(grid.IsRowDirty(-1));
        Assert.False(grid.IsRowDirty(4));
    }

    [Fact]
    public void ClearBlanksInCurrentColorsHomesCursorAndDirtiesAll()
    {
        TextGrid grid = new TextGrid(4, 2, White, Black);
        grid.Write("abcdefgh");
        grid.MarkClean();
        grid.SetColors(Red, Blue);
        grid.Clear();

        Assert.Equal(new[] { "    ", "    " }, Screen(grid));
        Assert.Equal(new Cell(' ', Red, Blue), grid.GetCell(3, 1));
        AssertCursor(grid, 0, 0);
        Assert.False(grid.IsWrapPending);
        Assert.True(grid.IsRowDirty(0));
        Assert.True(grid.IsRowDirty(1));

        grid.Write("z");
        Assert.Equal("z   ", RowText(grid, 0));
    }

    [Fact]
    public void IgnoresOtherControlCharacters()
    {
        TextGrid grid = new TextGrid(10, 2, White, Black);
        grid.Write("a\u0001\u001B\u007F\u0085b");
        Assert.Equal("ab        ", RowText(grid, 0));
    }

    [Fact]
    public void JoinsSurrogatePairsAndReplacesLoneSurrogates()
    {
        TextGrid grid = new TextGrid(10, 2, White, Black);
        grid.Write("\U0001F600");
        grid.Write('\uD800');
        grid.Write('x');
        grid.Write('\uDC00');
        grid.WriteCodePoint(0x110000);

        Assert.Equal(0x1F600, grid.GetCell(0, 0).CodePoint);
        Assert.Equal(0xFFFD, grid.GetCell(1, 0).CodePoint);
        Assert.Equal('x', grid.GetCell(2, 0).CodePoint);
        Assert.Equal(0xFFFD, grid.GetCell(3, 0).CodePoint);
        Assert.Equal(0xFFFD, grid.GetCell(4, 0).CodePoint);
        AssertCursor(grid, 5, 0);
    }

    [Fact]
    public void SetCursorClampsAndCancelsPendingWrap()
    {
        TextGrid grid = new TextGrid(4, 3, White, Black);
        grid.Write("abcd");
        grid.SetCursor(99, -4);
        AssertCursor(grid, 3, 0);
        Assert.False(grid.IsWrapPending);
        grid.Write('Z');
        Assert.Equal("abcZ", RowText(grid, 0));
    }

    [Fact]
    public void GetCellOutsideGridIsDefault()
    {
        TextGrid grid = new TextGrid(4, 3, White, Black);
        Assert.Equal(default(Cell), grid.GetCell(4, 0));
        Assert.Equal(default(Cell), grid.GetCell(0, 3));
        Assert.Equal(default(Cell), grid.GetCell(-1, 0));
    }

    [Fact]
    public void DegenerateSizesAreRaisedToOneCell()
    {
        TextGrid grid = new TextGrid(0, -3, White, Black);
        Assert.Equal((1, 1), (grid.Columns, grid.Rows));
        grid.Write("ab");
        Assert.Equal('b', grid.GetCell(0, 0).CodePoint);
        Assert.Equal(1, grid.ScrollCount);
    }
}
