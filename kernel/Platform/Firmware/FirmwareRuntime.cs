// UEFI runtime services (UEFI 2.10 §8): the part of the firmware that outlives ExitBootServices. The kernel keeps
// the firmware's identity mapping of runtime regions and never calls SetVirtualAddressMap, so the table stays
// callable at its physical address.
using Efi;

namespace Kernel.Firmware;

/// <summary>The firmware services the kernel may still call after boot services are gone.</summary>
public static class FirmwareRuntime
{
    private static unsafe EfiRuntimeServices* s_services;

    /// <summary>Remembers the runtime services table.</summary>
    /// <remarks>Safety: services must be the system table's runtime services pointer.</remarks>
    internal static unsafe void Initialize(EfiRuntimeServices* services) => s_services = services;

    /// <summary>Asks the firmware to restart (cold) the machine; returns only if it could not (UEFI 2.10 §8.5.1).</summary>
    /// <remarks>Safety: only after ExitBootServices with the runtime regions still identity-mapped (KernelAddressSpace keeps them so).</remarks>
    public static unsafe void Restart()
    {
        // Safe: the table and its code stay identity-mapped (MapIdentityRegions keeps runtime regions).
        if (s_services != null)
            s_services->ResetSystem(EfiResetType.Cold, EfiStatus.Success, 0, null);
    }

    /// <summary>Asks the firmware to switch the machine off; returns only if it could not.</summary>
    /// <remarks>Safety: as for Restart.</remarks>
    public static unsafe void PowerOff()
    {
        if (s_services != null)
            s_services->ResetSystem(EfiResetType.Shutdown, EfiStatus.Success, 0, null);
    }
}
