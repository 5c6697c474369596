// Chooses the GOP screen mode (UEFI 2.10 §12.9): the largest mode within the configured bounds that has a
// linear framebuffer in a pixel format the console can draw.
using System;

namespace Kernel.Firmware;

/// <summary>One mode the firmware offers.</summary>
public readonly struct DisplayMode
{
    /// <summary>Describes a mode.</summary>
    public DisplayMode(uint number, int width, int height, int pixelsPerScanLine, PixelFormat format, bool isDrawable)
    {
        Number = number;
        Width = width;
        Height = height;
        PixelsPerScanLine = pixelsPerScanLine;
        Format = format;
        IsDrawable = isDrawable;
    }

    /// <summary>The firmware's mode number.</summary>
    public uint Number { get; }

    /// <summary>Visible width in pixels.</summary>
    public int Width { get; }

    /// <summary>Visible height in pixels.</summary>
    public int Height { get; }

    /// <summary>Stride in pixels (at least Width).</summary>
    public int PixelsPerScanLine { get; }

    /// <summary>Pixel byte order (meaningful when drawable).</summary>
    public PixelFormat Format { get; }

    /// <summary>Whether the mode has a linear framebuffer of 32-bit RGB or BGR pixels.</summary>
    public bool IsDrawable { get; }
}

/// <summary>Picks a mode from the firmware's list.</summary>
public static class DisplayModeSelector
{
    /// <summary>
    /// Index of the largest drawable mode no bigger than maxWidth x maxHeight; if every drawable mode is bigger,
    /// the smallest drawable one; -1 when none is drawable.
    /// </summary>
    public static int Choose(ReadOnlySpan<DisplayMode> modes, int maxWidth, int maxHeight)
    {
        int best = -1;
        int smallest = -1;
        for (int i = 0; i < modes.Length; i++)
        {
            DisplayMode mode = modes[i];
            if (!mode.IsDrawable || mode.Width <= 0 || mode.Height <= 0 || mode.PixelsPerScanLine < mode.Width)
                continue;
            long area = (long)mode.Width * mode.Height;
            if (smallest < 0 || area < (long)modes[smallest].Width * modes[smallest].Height)
                smallest = i;
            if (mode.Width > maxWidth || mode.Height > maxHeight)
                continue;
            if (best < 0 || area > (long)modes[best].Width * modes[best].Height)
                best = i;
        }
        return best >= 0 ? best : smallest;
    }
}
