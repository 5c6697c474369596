// Reboot and power-off: the UEFI runtime service ResetSystem (UEFI 2.10 §8.5.1) first, then the ACPI reset register
// (ACPI 6.5 §4.8.3.6) and the 8042's reset line (pulse via command 0xFE) as fallbacks for reboot.
using Efi;
using Kernel.Acpi;

namespace Kernel.Arch
{
    /// <summary>Restarting and switching off the machine.</summary>
    internal static unsafe class Power
    {
        private const ushort Ps2CommandPort = 0x64;
        private const byte Ps2PulseResetLine = 0xFE;

        /// <summary>Restarts the machine; returns only if every method failed.</summary>
        /// <remarks>Safety: runtimeServices must be the firmware's table, still identity-mapped.</remarks>
        public static void Reboot(EfiRuntimeServices* runtimeServices, Fadt fadt)
        {
            Cpu.DisableInterrupts();
            if (runtimeServices != null)
                runtimeServices->ResetSystem(EfiResetType.Cold, EfiStatus.Success, 0, null);
            if (fadt != null && fadt.ResetRegisterSupported && fadt.ResetRegister.AddressSpaceId == GenericAddress.SystemIo)
                Native.PortWrite8((ushort)fadt.ResetRegister.Address, fadt.ResetValue);
            Native.PortWrite8(Ps2CommandPort, Ps2PulseResetLine);
        }

        /// <summary>Switches the machine off; returns only if the firmware could not.</summary>
        public static void Shutdown(EfiRuntimeServices* runtimeServices)
        {
            Cpu.DisableInterrupts();
            if (runtimeServices != null)
                runtimeServices->ResetSystem(EfiResetType.Shutdown, EfiStatus.Success, 0, null);
        }
    }
}
