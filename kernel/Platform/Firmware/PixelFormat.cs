// Framebuffer pixel byte order (UEFI 2.10 §12.9 EFI_GRAPHICS_PIXEL_FORMAT, 32-bit formats only).
namespace Kernel.Firmware;

/// <summary>
/// Byte order of a 32-bit framebuffer pixel, as reported by the UEFI Graphics Output Protocol.
/// Values are described as the little-endian <c>uint</c> a pixel reads as.
/// </summary>
public enum PixelFormat
{
    /// <summary>PixelRedGreenBlueReserved8BitPerColor: byte 0 is red, so a pixel reads as 0x00BBGGRR.</summary>
    Rgb = 0,

    /// <summary>PixelBlueGreenRedReserved8BitPerColor: byte 0 is blue, so a pixel reads as 0x00RRGGBB.</summary>
    Bgr = 1,
}
