// Tests for the GOP mode choice (kernel/Console/DisplayModeSelector.cs).
using System;
using Kernel.Console;
using Kernel.Firmware;
using Xunit;

namespace Kernel.HostTests.Firmware;

public class DisplayModeSelectorTests
{
    private static DisplayMode Mode(int width, int height, bool drawable = true, int stride = 0, PixelFormat format = PixelFormat.Bgr, uint number = 0) =>
        new DisplayMode(number, width, height, stride == 0 ? width : stride, format, drawable);

    private static int Choose(int maxWidth, int maxHeight, params DisplayMode[] modes) =>
        DisplayModeSelector.Choose(modes, maxWidth, maxHeight);

    [Fact]
    public void DisplayModeKeepsWhatItWasGiven()
    {
        DisplayMode mode = new DisplayMode(7, 1024, 768, 1056, PixelFormat.Rgb, true);

        Assert.Equal(7u, mode.Number);
        Assert.Equal(1024, mode.Width);
        Assert.Equal(768, mode.Height);
        Assert.Equal(1056, mode.PixelsPerScanLine);
        Assert.Equal(PixelFormat.Rgb, mode.Format);
        Assert.True(mode.IsDrawable);
    }

    [Fact]
    public void PicksTheLargestModeWithinBounds()
    {
        int chosen = Choose(1920, 1080,
            Mode(640, 480),
            Mode(1280, 1024),
            Mode(1920, 1080),
            Mode(2560, 1440),
            Mode(800, 600));

        Assert.Equal(2, chosen);
    }

    [Fact]
    public void PicksByAreaNotByWidth()
    {
        // 1280x1024 (1,310,720 px) beats the wider 1366x768 (1,049,088 px).
        Assert.Equal(1, Choose(1920, 1080, Mode(1366, 768), Mode(1280, 1024)));
        Assert.Equal(0, Choose(1920, 1080, Mode(1280, 1024), Mode(1366, 768)));
    }

    [Fact]
    public void ModeExactlyAtTheBoundsIsAllowed()
    {
        Assert.Equal(1, Choose(1024, 768, Mode(800, 600), Mode(1024, 768)));
    }

    [Fact]
    public void ModeOverTheBoundInOneDimensionIsExcluded()
    {
        // 1920x1200 fits the width but not the height; 1600x900 fits both.
        Assert.Equal(1, Choose(1920, 1080, Mode(1920, 1200), Mode(1600, 900), Mode(1024, 768)));
        // 2048x768 fits the height but not the width.
        Assert.Equal(2, Choose(1920, 1080, Mode(2048, 768), Mode(640, 480), Mode(1024, 768)));
    }

    [Fact]
    public void EqualAreasKeepTheFirstListedMode()
    {
        // 1600x900 and 1440x1000 both cover 1,440,000 pixels.
        Assert.Equal(1, Choose(1920, 1080, Mode(800, 600), Mode(1600, 900), Mode(1440, 1000)));
        Assert.Equal(1, Choose(1920, 1080, Mode(800, 600), Mode(1440, 1000), Mode(1600, 900)));
        // Duplicate modes (firmware lists some twice): the first one.
        Assert.Equal(0, Choose(1920, 1080, Mode(1024, 768, number: 3), Mode(1024, 768, number: 9)));
    }

    [Fact]
    public void SkipsModesThatAreNotDrawable()
    {
        // The biggest in-bounds mode is a blt-only or bitmask mode; the next best drawable one wins.
        int chosen = Choose(1920, 1080,
            Mode(1920, 1080, drawable: false),
            Mode(1280, 720),
            Mode(1600, 900, drawable: false));

        Assert.Equal(1, chosen);
    }

    [Fact]
    public void RejectsModesWhoseStrideIsShorterThanTheWidth()
    {
        Assert.Equal(0, Choose(1920, 1080, Mode(1024, 768), Mode(1920, 1080, stride: 1919)));
    }

    [Fact]
    public void AcceptsStrideLongerThanTheWidth()
    {
        Assert.Equal(1, Choose(1920, 1080, Mode(1024, 768), Mode(1366, 768, stride: 1376)));
    }

    [Theory]
    [InlineData(0, 768)]
    [InlineData(1024, 0)]
    [InlineData(-1024, 768)]
    [InlineData(1024, -768)]
    public void SkipsModesWithNonPositiveSize(int width, int height)
    {
        Assert.Equal(0, Choose(1920, 1080, Mode(640, 480), new DisplayMode(1, width, height, 1024, PixelFormat.Bgr, true)));
        Assert.Equal(-1, Choose(1920, 1080, new DisplayMode(1, width, height, 1024, PixelFormat.Bgr, true)));
    }

    [Fact]
    public void PixelFormatDoesNotAffectTheChoice()
    {
        Assert.Equal(1, Choose(1920, 1080, Mode(1024, 768, format: PixelFormat.Bgr), Mode(1280, 1024, format: PixelFormat.Rgb)));
    }

    [Fact]
    public void FallsBackToTheSmallestDrawableModeWhenAllAreTooBig()
    {
        int chosen = Choose(640, 480,
            Mode(1920, 1080),
            Mode(800, 600, drawable: false),
            Mode(1280, 720),
            Mode(1024, 768),
            Mode(2560, 1440));

        Assert.Equal(3, chosen);
    }

    [Fact]
    public void FallbackIgnoresSmallerModesThatAreNotDrawableOrBadlyStrided()
    {
        int chosen = Choose(320, 200,
            Mode(1024, 768),
            Mode(640, 480, drawable: false),
            Mode(800, 600, stride: 512),
            Mode(1280, 1024));

        Assert.Equal(0, chosen);
    }

    [Fact]
    public void FallbackKeepsTheFirstOfEquallySmallModes()
    {
        Assert.Equal(1, Choose(100, 100, Mode(1920, 1080), Mode(1600, 900), Mode(1440, 1000)));
    }

    [Fact]
    public void ReturnsMinusOneWhenNoModeIsDrawable()
    {
        Assert.Equal(-1, Choose(1920, 1080, Mode(1024, 768, drawable: false), Mode(640, 480, drawable: false), Mode(800, 600, stride: 400)));
    }

    [Fact]
    public void ReturnsMinusOneForAnEmptyList()
    {
        Assert.Equal(-1, DisplayModeSelector.Choose(ReadOnlySpan<DisplayMode>.Empty, 1920, 1080));
    }

    [Fact]
    public void HandlesModesWhoseAreaOverflowsAnInt()
    {
        // 65536 x 65536 overflows 32-bit multiplication; as a long it is the biggest and must be chosen.
        Assert.Equal(1, Choose(int.MaxValue, int.MaxValue, Mode(50000, 40000), Mode(65536, 65536)));
    }
}
