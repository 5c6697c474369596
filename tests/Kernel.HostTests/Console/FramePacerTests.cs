// Tests for the console's coalescing of redraws: FramePacer's decisions, and that rows a deferred frame leaves dirty
// are drawn later, pixel for pixel the same as drawing every scroll at once (GlyphRenderer's damage tracking).
using System;
using Kernel.Console;
using Kernel.Firmware;
using Xunit;

namespace Kernel.HostTests.Console;

public class FramePacerTests
{
    private const uint Foreground = 0xC0C0C0;
    private const uint Background = 0x000000;

    [Fact]
    public void FramesWithoutScrollsAreAlwaysDrawn()
    {
        var pacer = new FramePacer(4);
        pacer.Drawn(1, 100, 200);
        Assert.True(pacer.ShouldDraw(1, 201));
        Assert.False(pacer.HasPendingScrolls(1));
    }

    [Fact]
    public void AScrolledFrameWaitsBudgetFactorTimesTheLastOnesDrawingTime()
    {
        var pacer = new FramePacer(4);
        pacer.Drawn(1, 1000, 1100);
        Assert.Equal(1500ul, pacer.NextScrolledFrame);
        Assert.False(pacer.ShouldDraw(2, 1499));
        Assert.True(pacer.HasPendingScrolls(2));
        Assert.True(pacer.ShouldDraw(2, 1500));
        pacer.Drawn(5, 1500, 1520);
        Assert.Equal(1600ul, pacer.NextScrolledFrame);
        Assert.False(pacer.HasPendingScrolls(5));
        Assert.Equal(2ul, pacer.Frames);
    }

    [Fact]
    public void AFrameWithoutScrollsDoesNotPushTheNextScrolledFrameBack()
    {
        var pacer = new FramePacer(4);
        pacer.Drawn(1, 0, 100);
        pacer.Drawn(1, 200, 10_000);
        Assert.Equal(500ul, pacer.NextScrolledFrame);
    }

    [Fact]
    public void TheFirstScrollIsDrawnAtOnce()
    {
        var pacer = new FramePacer(4);
        Assert.True(pacer.ShouldDraw(1, 0));
        Assert.Equal(0, new FramePacer(-3).BudgetFactor);
    }

    [Fact]
    public void DeferredScrollsKeepEveryRowDirtyUntilDrawn()
    {
        var grid = new TextGrid(8, 3, Foreground, Background);
        grid.MarkClean();
        grid.Write("a\nb\nc\nd\ne\n");
        Assert.Equal(3, grid.ScrollCount);
        for (int row = 0; row < grid.Rows; row++)
        {
            Assert.True(grid.IsRowDirty(row));
            Assert.Equal((0, grid.Columns), (grid.DirtyColumnStart(row), grid.DirtyColumnEnd(row)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void CoalescedFramesWithDamageTrackingDrawTheSamePixelsAsOneFramePerWrite(int linesPerFrame)
    {
        PsfFont font = PsfTestData.LoadFont(PsfTestData.Terminus16);
        const int columns = 12;
        const int rows = 4;
        int width = columns * font.Width;
        int height = rows * font.Height;
        uint background = GlyphRenderer.ToNative(Background, PixelFormat.Bgr);

        // Reference: every line drawn at once, every cell redrawn.
        uint[] reference = new uint[width * height];
        Array.Fill(reference, background);
        var referenceRenderer = new GlyphRenderer(font, width, height, width, PixelFormat.Bgr);
        var referenceGrid = new TextGrid(columns, rows, Foreground, Background);
        referenceGrid.MarkClean();

        uint[] pixels = new uint[width * height];
        Array.Fill(pixels, background);
        var renderer = new GlyphRenderer(font, width, height, width, PixelFormat.Bgr);
        renderer.TrackDrawnCells(columns, rows, Foreground, Background);
        var grid = new TextGrid(columns, rows, Foreground, Background);
        grid.MarkClean();

        for (int line = 0; line < 23; line++)
        {
            string text = new string((char)('A' + line % 26), line % (columns + 3)) + (line % 5 == 0 ? "\tx" : "");
            if (line == 11)
            {
                grid.SetColors(0xFF0000, 0x0000FF);
                referenceGrid.SetColors(0xFF0000, 0x0000FF);
            }

            referenceGrid.Write(text + "\n");
            referenceRenderer.Render(reference, referenceGrid);
            grid.Write(text + "\n");
            if (line % linesPerFrame == linesPerFrame - 1)
            {
                renderer.Render(pixels, grid);
            }
        }

        renderer.Render(pixels, grid);
        Assert.False(grid.AnyRowDirty);
        Assert.Equal(reference, pixels);
    }
}
