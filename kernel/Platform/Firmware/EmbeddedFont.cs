// The console font the image carries: shim/console_font.asm embeds a Debian PSF file (console-setup-linux) at
// build time, so the screen works before any file system does.
using System;
using Kernel.Arch;

namespace Kernel.Firmware;

/// <summary>The PSF font linked into the kernel image.</summary>
public static class EmbeddedFont
{
    /// <summary>The font file's bytes, read-only for the life of the kernel.</summary>
    /// <remarks>Safety: none for the caller; the span covers exactly the bytes the shim embeds.</remarks>
    public static unsafe ReadOnlySpan<byte> Bytes
    {
        get
        {
            int size;
            byte* data = Native.ConsoleFontData(&size);
            // Safe: the bytes lie in the image's read-only data and never move.
            return new ReadOnlySpan<byte>(data, size);
        }
    }
}
