// Reboot and power-off policy: the UEFI runtime service ResetSystem (UEFI 2.10 §8.5.1) first, then the ACPI reset
// register (ACPI 6.5 §4.8.3.6) and the 8042's reset line as fallbacks for reboot. Wired here, at the top, because
// it is the one place that may know the firmware, ACPI and the keyboard controller at once.
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Firmware;
using Kernel.Input;

namespace Kernel.Boot;

/// <summary>Restarting and switching off the machine.</summary>
public static class Power
{
    /// <summary>Restarts the machine; returns only if every method failed.</summary>
    public static void Reboot(Fadt fadt)
    {
        Cpu.DisableInterrupts();
        FirmwareRuntime.Restart();
        // Said on the console so a boot test can tell which method did the reset.
        Terminal.WriteLine(FirmwareRuntime.Available ? "reboot: the firmware's ResetSystem returned" : "reboot: no runtime services");
        if (fadt != null && fadt.ResetRegisterSupported && fadt.ResetRegister.AddressSpaceId == GenericAddress.SystemIo)
            new IoPort8((ushort)fadt.ResetRegister.Address).Write(fadt.ResetValue);
        Ps2Controller.ResetMachine();
    }

    /// <summary>Switches the machine off; returns only if the firmware could not.</summary>
    public static void Shutdown()
    {
        Cpu.DisableInterrupts();
        FirmwareRuntime.PowerOff();
    }
}
