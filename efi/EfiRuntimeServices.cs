// EFI_RUNTIME_SERVICES (UEFI 2.10 §4.5, §8): still callable after ExitBootServices.
using System;

namespace Efi;

/// <summary>EFI_RESET_TYPE (§8.5.1).</summary>
public enum EfiResetType : uint
{
    Cold = 0,
    Warm = 1,
    Shutdown = 2,
    PlatformSpecific = 3,
}

/// <summary>EFI_TIME (§8.3.1).</summary>
public struct EfiTime
{
    public ushort Year;
    public byte Month;
    public byte Day;
    public byte Hour;
    public byte Minute;
    public byte Second;
    public byte Pad1;
    public uint Nanosecond;
    public short TimeZone;
    public byte Daylight;
    public byte Pad2;
}

/// <summary>EFI_RUNTIME_SERVICES: the function table, in the spec's order.</summary>
public unsafe struct EfiRuntimeServices
{
    public EfiTableHeader Hdr;
    public delegate* unmanaged<EfiTime*, void*, EfiStatus> GetTime;
    public void* SetTime;
    public void* GetWakeupTime;
    public void* SetWakeupTime;
    public void* SetVirtualAddressMap;
    public void* ConvertPointer;
    public void* GetVariable;
    public void* GetNextVariableName;
    public void* SetVariable;
    public void* GetNextHighMonotonicCount;
    public delegate* unmanaged<EfiResetType, EfiStatus, ulong, void*, void> ResetSystem;
    public void* UpdateCapsule;
    public void* QueryCapsuleCapabilities;
    public void* QueryVariableInfo;
}
