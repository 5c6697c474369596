// What the kernel keeps from the firmware phase: everything it may use after ExitBootServices.
using System;
using System.Collections.Generic;

namespace Kernel.Firmware;

/// <summary>The linear framebuffer the firmware's GOP set up.</summary>
public struct FramebufferInfo
{
    /// <summary>Physical (= virtual, identity-mapped) address of pixel (0, 0); zero when there is no screen.</summary>
    public ulong Base;
    public ulong SizeInBytes;
    public int Width;
    public int Height;
    public int PixelsPerScanLine;
    public PixelFormat Format;
    public uint ModeNumber;
}

/// <summary>The firmware's memory map, as returned by the final GetMemoryMap before ExitBootServices.</summary>
public unsafe struct MemoryMapInfo
{
    internal byte* Buffer;
    public int SizeInBytes;
    public int DescriptorSize;
    public uint DescriptorVersion;

    /// <summary>The map's bytes (loader data, identity-mapped, kept for good).</summary>
    public ReadOnlySpan<byte> Bytes => new ReadOnlySpan<byte>(Buffer, SizeInBytes);
}

/// <summary>Facts gathered while boot services were available.</summary>
public sealed class BootInfo
{
    public FramebufferInfo Framebuffer;
    public MemoryMapInfo MemoryMap;

    /// <summary>Load address and size of this image.</summary>
    public ulong ImageBase;
    public ulong ImageSize;

    /// <summary>Physical address of the ACPI RSDP (2.0 preferred), or zero.</summary>
    public ulong AcpiRsdp;

    /// <summary>
    /// A copy of the EFI_MEMORY_ATTRIBUTES_TABLE (UEFI 2.10 §4.6.4) as the firmware published it, unparsed (the kernel
    /// validates it against the memory map, see Kernel.Memory.MemoryAttributesTable), or null when there is none.
    /// </summary>
    public byte[] MemoryAttributesTable;

    /// <summary>Firmware vendor and revision, for the boot log.</summary>
    public string FirmwareVendor;
    public uint FirmwareRevision;

    /// <summary>Contents of \boot.cfg, or null.</summary>
    public byte[] BootConfig;

    /// <summary>The UEFI LoadOptions as text, or null when absent or not text.</summary>
    public string LoadOptions;

    /// <summary>Why LoadOptions were ignored, or null.</summary>
    public string LoadOptionsProblem;

    /// <summary>Contents of \kernel.sym, or null.</summary>
    public byte[] SymbolTable;

    /// <summary>
    /// Physical address of a page below 1 MiB (and above the null guard) reserved for the application processors'
    /// real-mode start-up code, or 0 when the firmware had none to give.
    /// </summary>
    public ulong ApTrampolinePage;

    /// <summary>How many times ExitBootServices had to be retried because the map changed.</summary>
    public int ExitBootServicesRetries;

    /// <summary>What went wrong or was worth knowing in the firmware phase, for the boot log.</summary>
    public List<string> Notes = new List<string>();
}
