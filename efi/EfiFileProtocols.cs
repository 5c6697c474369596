// EFI_LOADED_IMAGE_PROTOCOL (UEFI 2.10 §9.1), EFI_SIMPLE_FILE_SYSTEM_PROTOCOL and EFI_FILE_PROTOCOL (§13.4, §13.5):
// how the kernel finds its own boot volume and reads boot.cfg from it.
using System;

namespace Efi;

/// <summary>EFI_LOADED_IMAGE_PROTOCOL: where this image came from and the options it was started with.</summary>
public unsafe struct EfiLoadedImageProtocol
{
    public uint Revision;
    public IntPtr ParentHandle;
    public EfiSystemTable* SystemTable;
    public IntPtr DeviceHandle;
    public void* FilePath;
    public void* Reserved;
    public uint LoadOptionsSize;
    public void* LoadOptions;
    public void* ImageBase;
    public ulong ImageSize;
    public EfiMemoryType ImageCodeType;
    public EfiMemoryType ImageDataType;
    public void* Unload;
}

/// <summary>EFI_SIMPLE_FILE_SYSTEM_PROTOCOL.</summary>
public unsafe struct EfiSimpleFileSystemProtocol
{
    public ulong Revision;
    public delegate* unmanaged<EfiSimpleFileSystemProtocol*, EfiFileProtocol**, EfiStatus> OpenVolume;
}

/// <summary>Open modes for EFI_FILE_PROTOCOL.Open (§13.5.2).</summary>
public static class EfiFileMode
{
    public const ulong Read = 0x0000000000000001;
}

/// <summary>EFI_FILE_PROTOCOL (revision 1 functions).</summary>
public unsafe struct EfiFileProtocol
{
    public ulong Revision;
    public delegate* unmanaged<EfiFileProtocol*, EfiFileProtocol**, char*, ulong, ulong, EfiStatus> Open;
    public delegate* unmanaged<EfiFileProtocol*, EfiStatus> Close;
    public void* Delete;
    public delegate* unmanaged<EfiFileProtocol*, ulong*, void*, EfiStatus> Read;
    public void* Write;
    public void* GetPosition;
    public void* SetPosition;
    public delegate* unmanaged<EfiFileProtocol*, EfiGuid*, ulong*, void*, EfiStatus> GetInfo;
    public void* SetInfo;
    public void* Flush;
}

/// <summary>EFI_FILE_INFO (§13.5.16), fixed part; the file name follows.</summary>
public struct EfiFileInfo
{
    public ulong Size;
    public ulong FileSize;
    public ulong PhysicalSize;
    public EfiTime CreateTime;
    public EfiTime LastAccessTime;
    public EfiTime ModificationTime;
    public ulong Attribute;
}
