// UEFI runtime services (UEFI 2.10 §8): the part of the firmware that outlives ExitBootServices. The kernel never
// calls SetVirtualAddressMap, so the services stay at their physical addresses; they are mapped there only in the
// firmware's own address space (Kernel.Memory.FirmwareAddressSpace), which CR3 holds for the length of a call,
// with maskable interrupts off.
using System;
using Efi;
using Kernel.Arch;

namespace Kernel.Firmware;

/// <summary>The firmware services the kernel may still call after boot services are gone.</summary>
public static class FirmwareRuntime
{
    private static unsafe EfiRuntimeServices* s_services;
    private static ulong s_root;
    private static Action s_prepare;

    /// <summary>Remembers the runtime services table.</summary>
    /// <remarks>Safety: services must be the system table's runtime services pointer.</remarks>
    internal static unsafe void Initialize(EfiRuntimeServices* services) => s_services = services;

    /// <summary>
    /// Names the address space runtime services run in: root is its PML4, prepare brings its view of the kernel up
    /// to date and runs before each switch. Until this is called, no runtime service is called at all.
    /// </summary>
    /// <remarks>
    /// Safety: root must map the runtime regions identity, the runtime services table included, and everything the
    /// kernel touches while it is loaded (its image, the kernel stack, the GDT, IDT, TSS and interrupt stacks).
    /// </remarks>
    public static void UseAddressSpace(ulong root, Action prepare)
    {
        s_prepare = prepare;
        s_root = root;
    }

    /// <summary>Whether runtime services can be called (there is a table and an address space for them).</summary>
    public static unsafe bool Available => s_services != null && s_root != 0;

    /// <summary>Asks the firmware to restart (cold) the machine; returns only if it could not (UEFI 2.10 §8.5.1).</summary>
    public static void Restart() => ResetSystem(EfiResetType.Cold);

    /// <summary>Asks the firmware to switch the machine off; returns only if it could not.</summary>
    public static void PowerOff() => ResetSystem(EfiResetType.Shutdown);

    private static unsafe void ResetSystem(EfiResetType type)
    {
        if (!Available)
            return;
        using (InterruptsOff.Enter())
        {
            ulong kernelRoot = Cpu.PageTableRoot;
            s_prepare();
            ControlRegisters.LoadPageTableRoot(s_root);
            // Safe: s_root maps the runtime regions identity (UseAddressSpace's contract), so the table read here
            // and the code it points to are reachable; the call returns only when the firmware could not reset.
            s_services->ResetSystem(type, EfiStatus.Success, 0, null);
            ControlRegisters.LoadPageTableRoot(kernelRoot);
        }
    }
}
