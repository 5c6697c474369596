// Boot test of reboot through UEFI runtime services (ResetSystem), which run in their own address space (issue 12).
using System;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>The shell's reboot resets the machine through the firmware, not through a fallback.</summary>
public sealed class PowerBootTests
{
    private static readonly TimeSpan s_resetTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// reboot makes QEMU (run with -no-reboot) end with status 0, and the kernel never says that ResetSystem returned
    /// (it would say so before trying the ACPI reset register and the 8042).
    /// </summary>
    [Fact]
    public void RebootResetsThroughRuntimeServices()
    {
        bool exited = false;
        BootResult boot = BootHarness.Boot("console=serial", serialInput: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            running.SendSerial("reboot\r");
            exited = running.WaitForExit(s_resetTimeout);
        });

        Assert.True(exited, "QEMU still ran " + s_resetTimeout.TotalSeconds + " s after 'reboot'\n" + boot.Describe());
        Assert.True(boot.HasLine("rebooting..."), "no 'rebooting...' line\n" + boot.Describe());
        Assert.True(boot.ExitCode == 0, "QEMU should end with 0 on a reset under -no-reboot\n" + boot.Describe());
        Assert.DoesNotContain("reboot:", boot.Serial);
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
        BootAssert.HasLineMatching(boot, @"^efi: runtime services in their own address space: ");
    }
}
