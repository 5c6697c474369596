// Tests for the ECMA-48 control sequences TextGrid obeys (TextGrid.ControlSequences.cs): cursor movement, erasing,
// pending-wrap handling as xterm does it, and sequences that are read whole and ignored.
using Kernel.Console;
using Xunit;

namespace Kernel.HostTests.Console;

public class TextGridControlSequenceTests
{
    private const uint White = 0xFFFFFF;
    private const uint Black = 0x000000;
    private const uint Blue = 0x0000FF;
    private const string Csi = "\u001b[";

    [Fact]
    public void CursorMovesStopAtTheEdgesWithoutScrolling()
    {
        TextGrid grid = Grid(6, 3);
        grid.Write(Csi + "2B" + Csi + "4C");
        AssertCursor(grid, 4, 2);
        grid.Write(Csi + "9B" + Csi + "9C");
        AssertCursor(grid, 5, 2);
        grid.Write(Csi + "A" + Csi + "0D");
        AssertCursor(grid, 4, 1);
        grid.Write(Csi + "99A" + Csi + "99D");
        AssertCursor(grid, 0, 0);
        Assert.Equal(0, grid.ScrollCount);
    }

    [Fact]
    public void AbsolutePositionsAreOneBasedAndClamped()
    {
        TextGrid grid = Grid(6, 3);
        grid.Write(Csi + "2;5H");
        AssertCursor(grid, 4, 1);
        grid.Write(Csi + "H");
        AssertCursor(grid, 0, 0);
        grid.Write(Csi + "3G");
        AssertCursor(grid, 2, 0);
        grid.Write(Csi + "9;99f");
        AssertCursor(grid, 5, 2);
        grid.Write(Csi + "G");
        AssertCursor(grid, 0, 2);
    }

    [Fact]
    public void EraseInLineBlanksTheChosenPartOfTheRowWithoutMovingTheCursor()
    {
        TextGrid grid = Grid(6, 2);
        grid.Write("abcdef\nghijkl");
        grid.Write(Csi + "1;3H" + Csi + "K");
        Assert.Equal("ab    ", TextGridTests.RowText(grid, 0));
        AssertCursor(grid, 2, 0);
        grid.Write(Csi + "2;3H" + Csi + "1K");
        Assert.Equal("   jkl", TextGridTests.RowText(grid, 1));
        grid.Write(Csi + "2K");
        Assert.Equal("      ", TextGridTests.RowText(grid, 1));
        AssertCursor(grid, 2, 1);
    }

    [Fact]
    public void EraseInDisplayBlanksToTheEndFromTheStartOrAll()
    {
        TextGrid grid = Grid(4, 3);
        grid.Write("abcdefghijk");
        grid.Write(Csi + "2;2H" + Csi + "J");
        Assert.Equal(new[] { "abcd", "e   ", "    " }, TextGridTests.Screen(grid));
        grid.Write("xyz" + Csi + "1;3H" + Csi + "1J");
        Assert.Equal(new[] { "   d", "exyz", "    " }, TextGridTests.Screen(grid));
        grid.Write(Csi + "2J");
        Assert.Equal(new[] { "    ", "    ", "    " }, TextGridTests.Screen(grid));
        AssertCursor(grid, 2, 0);
    }

    [Fact]
    public void ErasingUsesTheCurrentBackgroundAndMarksTheCellsDirty()
    {
        TextGrid grid = Grid(6, 2);
        grid.Write("abcdef");
        grid.MarkClean();
        grid.SetColors(White, Blue);
        grid.Write(Csi + "1;3H" + Csi + "K");
        Assert.Equal(new Cell(' ', White, Blue), grid.GetCell(5, 0));
        Assert.True(grid.IsRowDirty(0));
        Assert.Equal((2, 6), (grid.DirtyColumnStart(0), grid.DirtyColumnEnd(0)));
        Assert.False(grid.IsRowDirty(1));
    }

    [Fact]
    public void FromAPendingWrapTheCursorCountsAsOnTheLastColumnAsInXterm()
    {
        TextGrid grid = Grid(4, 3);
        grid.Write("abcd");
        Assert.True(grid.IsWrapPending);
        grid.Write(Csi + "D");
        Assert.False(grid.IsWrapPending);
        AssertCursor(grid, 2, 0);

        grid.Write(Csi + "C" + "X");
        Assert.Equal("abcX", TextGridTests.RowText(grid, 0));
        Assert.True(grid.IsWrapPending);
        grid.Write(Csi + "K");
        Assert.Equal("abc ", TextGridTests.RowText(grid, 0));
        Assert.False(grid.IsWrapPending);
        AssertCursor(grid, 3, 0);
    }

    [Fact]
    public void UnknownPrivateAndTwoByteSequencesAreSwallowedWhole()
    {
        TextGrid grid = Grid(20, 2);
        grid.Write("a" + Csi + "?25l" + "b" + Csi + "1;31m" + "c" + "\u001b7" + "d" + "\u001b(B" + "e" + Csi + "5 q" + "f");
        Assert.Equal("abcdef", TextGridTests.RowText(grid, 0).TrimEnd());
        AssertCursor(grid, 6, 0);
    }

    [Fact]
    public void AControlCharacterCancelsASequenceAndStillActs()
    {
        TextGrid grid = Grid(10, 3);
        grid.Write("ab" + Csi + "3\nc");
        Assert.Equal(new[] { "ab        ", "c         ", "          " }, TextGridTests.Screen(grid));
        grid.Write("\u001b\u001b[2Dx");
        Assert.Equal("x         ", TextGridTests.RowText(grid, 1));
    }

    [Fact]
    public void HugeParametersSaturate()
    {
        TextGrid grid = Grid(5, 2);
        grid.Write(Csi + "99999999999999999999C");
        AssertCursor(grid, 4, 0);
        grid.Write(Csi + "99999999999999999999;2H");
        AssertCursor(grid, 1, 1);
    }

    [Fact]
    public void ClearForgetsAHalfReadSequence()
    {
        TextGrid grid = Grid(5, 2);
        grid.Write("\u001b[12");
        grid.Clear();
        grid.Write("C");
        Assert.Equal("C    ", TextGridTests.RowText(grid, 0));
    }

    [Fact]
    public void SaveAndRestoreCursorKeepAPendingWrap()
    {
        TextGrid grid = Grid(4, 3);
        grid.Write("abcd");
        grid.SaveCursor();
        grid.SetCursor(0, 2);
        grid.Write("zz");
        grid.RestoreCursor();
        Assert.True(grid.IsWrapPending);
        grid.Write("e");
        Assert.Equal(new[] { "abcd", "e   ", "zz  " }, TextGridTests.Screen(grid));
    }

    private static TextGrid Grid(int columns, int rows) => new TextGrid(columns, rows, White, Black);

    private static void AssertCursor(TextGrid grid, int column, int row) =>
        Assert.Equal((column, row), (grid.CursorColumn, grid.CursorRow));
}
