// What the shell needs from the rest of the kernel that it must not reach for itself: the ACPI tables the boot
// found and the machine's power controls. Boot fills it in; the shell never reads boot state directly.
using System;
using Kernel.Acpi;

namespace Kernel.Shell;

/// <summary>The kernel services the shell's commands use.</summary>
public sealed class ShellContext
{
    /// <summary>Creates the context from the boot's ACPI tables and the power controls.</summary>
    public ShellContext(AcpiTables acpi, Action reboot, Action shutdown)
    {
        Acpi = acpi;
        Reboot = reboot;
        Shutdown = shutdown;
    }

    /// <summary>The ACPI tables found at boot (never null).</summary>
    public AcpiTables Acpi { get; }

    /// <summary>Restarts the machine; returns only if every method failed.</summary>
    public Action Reboot { get; }

    /// <summary>Switches the machine off; returns only if the firmware could not.</summary>
    public Action Shutdown { get; }
}
