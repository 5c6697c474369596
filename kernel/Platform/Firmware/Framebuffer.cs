// The GOP linear framebuffer (UEFI 2.10 §12.9) as a span of 32-bit pixels: the one place that turns its
// physical address into memory the console draws on.
using System;

namespace Kernel.Firmware;

/// <summary>The screen's pixel memory and geometry.</summary>
public sealed class Framebuffer
{
    private readonly unsafe uint* _base;
    private readonly int _pixelCount;

    /// <summary>Wraps the framebuffer the firmware described.</summary>
    /// <remarks>Safety: info.Base must map info.PixelsPerScanLine * info.Height writable pixels, for good.</remarks>
    public unsafe Framebuffer(in FramebufferInfo info)
    {
        _base = (uint*)info.Base;
        Width = info.Width;
        Height = info.Height;
        PixelsPerScanLine = info.PixelsPerScanLine;
        Format = info.Format;
        ModeNumber = info.ModeNumber;
        long pixels = (long)info.PixelsPerScanLine * info.Height;
        // Never trust the mode's geometry beyond the size the firmware says the buffer has.
        long available = (long)(info.SizeInBytes / sizeof(uint));
        _pixelCount = (int)(pixels < available ? pixels : available);
    }

    /// <summary>Visible width in pixels.</summary>
    public int Width { get; }

    /// <summary>Visible height in pixels.</summary>
    public int Height { get; }

    /// <summary>Stride in pixels.</summary>
    public int PixelsPerScanLine { get; }

    /// <summary>Pixel byte order.</summary>
    public PixelFormat Format { get; }

    /// <summary>The GOP mode the firmware set.</summary>
    public uint ModeNumber { get; }

    /// <summary>Sets every pixel to one native pixel value, two pixels per store.</summary>
    /// <remarks>Safety: none for the caller; writes stay within the pixel count the constructor bounded.</remarks>
    public unsafe void Fill(uint nativePixel)
    {
        ulong pair = nativePixel | (ulong)nativePixel << 32;
        ulong* pairs = (ulong*)_base;
        int pairCount = _pixelCount / 2;
        for (int i = 0; i < pairCount; i++)
            pairs[i] = pair;
        if ((_pixelCount & 1) != 0)
            _base[_pixelCount - 1] = nativePixel;
    }

    /// <summary>Every pixel, row after row, stride apart.</summary>
    /// <remarks>Safety: none for the caller; the span is bounded by the buffer size the firmware gave.</remarks>
    public unsafe Span<uint> Pixels => new Span<uint>(_base, _pixelCount);
}
