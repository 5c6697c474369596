// EFI_GRAPHICS_OUTPUT_PROTOCOL (UEFI 2.10 §12.9): mode query and selection, and the linear framebuffer.
namespace Efi;

/// <summary>EFI_GRAPHICS_PIXEL_FORMAT (§12.9.1).</summary>
public enum EfiGraphicsPixelFormat : uint
{
    /// <summary>Byte 0 red, 1 green, 2 blue, 3 reserved.</summary>
    PixelRedGreenBlueReserved8BitPerColor = 0,

    /// <summary>Byte 0 blue, 1 green, 2 red, 3 reserved.</summary>
    PixelBlueGreenRedReserved8BitPerColor = 1,

    /// <summary>Layout given by PixelInformation masks.</summary>
    PixelBitMask = 2,

    /// <summary>No framebuffer: Blt only.</summary>
    PixelBltOnly = 3,
}

/// <summary>EFI_PIXEL_BITMASK.</summary>
public struct EfiPixelBitmask
{
    public uint RedMask;
    public uint GreenMask;
    public uint BlueMask;
    public uint ReservedMask;
}

/// <summary>EFI_GRAPHICS_OUTPUT_MODE_INFORMATION.</summary>
public struct EfiGraphicsOutputModeInformation
{
    public uint Version;
    public uint HorizontalResolution;
    public uint VerticalResolution;
    public EfiGraphicsPixelFormat PixelFormat;
    public EfiPixelBitmask PixelInformation;
    public uint PixelsPerScanLine;
}

/// <summary>EFI_GRAPHICS_OUTPUT_PROTOCOL_MODE.</summary>
public unsafe struct EfiGraphicsOutputProtocolMode
{
    public uint MaxMode;
    public uint Mode;
    public EfiGraphicsOutputModeInformation* Info;
    public ulong SizeOfInfo;
    public ulong FrameBufferBase;
    public ulong FrameBufferSize;
}

/// <summary>EFI_GRAPHICS_OUTPUT_PROTOCOL.</summary>
public unsafe struct EfiGraphicsOutputProtocol
{
    public delegate* unmanaged<EfiGraphicsOutputProtocol*, uint, ulong*, EfiGraphicsOutputModeInformation**, EfiStatus> QueryMode;
    public delegate* unmanaged<EfiGraphicsOutputProtocol*, uint, EfiStatus> SetMode;
    public void* Blt;
    public EfiGraphicsOutputProtocolMode* Mode;
}
