// EFI_BOOT_SERVICES (UEFI 2.10 §4.4, §7): valid only until ExitBootServices succeeds.
using System;

namespace Efi;

/// <summary>EFI_ALLOCATE_TYPE (§7.2.1).</summary>
public enum EfiAllocateType : uint
{
    AllocateAnyPages = 0,
    AllocateMaxAddress = 1,
    AllocateAddress = 2,
}

/// <summary>EFI_MEMORY_TYPE values used when allocating (§7.2.1).</summary>
public enum EfiMemoryType : uint
{
    LoaderCode = 1,
    LoaderData = 2,
    BootServicesData = 4,
}

/// <summary>OpenProtocol attributes (§7.3.9).</summary>
public static class EfiOpenProtocolAttributes
{
    public const uint ByHandleProtocol = 0x1;
    public const uint GetProtocol = 0x2;
}

/// <summary>EFI_BOOT_SERVICES: the function table, in the spec's order.</summary>
public unsafe struct EfiBootServices
{
    public EfiTableHeader Hdr;

    // Task priority
    public void* RaiseTPL;
    public void* RestoreTPL;

    // Memory
    public delegate* unmanaged<EfiAllocateType, EfiMemoryType, ulong, ulong*, EfiStatus> AllocatePages;
    public delegate* unmanaged<ulong, ulong, EfiStatus> FreePages;
    public delegate* unmanaged<ulong*, byte*, ulong*, ulong*, uint*, EfiStatus> GetMemoryMap;
    public delegate* unmanaged<EfiMemoryType, ulong, void**, EfiStatus> AllocatePool;
    public delegate* unmanaged<void*, EfiStatus> FreePool;

    // Events and timers
    public void* CreateEvent;
    public void* SetTimer;
    public void* WaitForEvent;
    public void* SignalEvent;
    public void* CloseEvent;
    public void* CheckEvent;

    // Protocol handlers
    public void* InstallProtocolInterface;
    public void* ReinstallProtocolInterface;
    public void* UninstallProtocolInterface;
    public delegate* unmanaged<IntPtr, EfiGuid*, void**, EfiStatus> HandleProtocol;
    public void* Reserved;
    public void* RegisterProtocolNotify;
    public void* LocateHandle;
    public void* LocateDevicePath;
    public void* InstallConfigurationTable;

    // Images
    public void* LoadImage;
    public void* StartImage;
    public void* Exit;
    public void* UnloadImage;
    public delegate* unmanaged<IntPtr, ulong, EfiStatus> ExitBootServices;

    // Miscellaneous
    public void* GetNextMonotonicCount;
    public delegate* unmanaged<ulong, EfiStatus> Stall;
    public delegate* unmanaged<ulong, ulong, ulong, char*, EfiStatus> SetWatchdogTimer;

    // DriverSupport
    public void* ConnectController;
    public void* DisconnectController;

    // Open and close protocol
    public delegate* unmanaged<IntPtr, EfiGuid*, void**, IntPtr, IntPtr, uint, EfiStatus> OpenProtocol;
    public void* CloseProtocol;
    public void* OpenProtocolInformation;

    // Library
    public void* ProtocolsPerHandle;
    public void* LocateHandleBuffer;
    public delegate* unmanaged<EfiGuid*, void*, void**, EfiStatus> LocateProtocol;
    public void* InstallMultipleProtocolInterfaces;
    public void* UninstallMultipleProtocolInterfaces;

    // CRC and memory helpers
    public void* CalculateCrc32;
    public void* CopyMem;
    public void* SetMem;
    public void* CreateEventEx;
}
