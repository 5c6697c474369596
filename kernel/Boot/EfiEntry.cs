// The UEFI entry point (UEFI 2.10 §4.1, EFI_IMAGE_ENTRY_POINT): brings up the runtime, gathers what the
// firmware knows, leaves boot services, and hands over to KernelMain. The order below matters; see comments.
using System;
using System.Runtime.InteropServices;
using Efi;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Firmware;
using Kernel.Interrupts;

namespace Kernel.Boot;

/// <summary>The image's entry point.</summary>
public static class EfiEntry
{
    [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
    private static ulong EfiMain(IntPtr imageHandle, IntPtr systemTable)
    {
        Serial16550.Initialize();
        BootServices.Initialize(imageHandle, systemTable);
        RuntimeStartupError error = RuntimeStartup.Start(out EfiStatus status);
        if (error == RuntimeStartupError.NoEarlyHeap)
        {
            // No heap, so no string building: literals only.
            Serial16550.Write("boot: cannot allocate the early heap: ");
            Serial16550.Write(EfiStatus.Name(status.Value));
            Serial16550.Write("\n");
            return status.Value;
        }
        if (error == RuntimeStartupError.BadModuleHeaders)
        {
            Serial16550.Write("boot: the compiled module headers are not in the expected format\n");
            return EfiStatus.Error(1).Value;
        }
        Panic.Install(Terminal.ShowPanic, Serial16550.Write);

        // CPU exceptions panic from here on; the firmware keeps its own interrupts until it is gone.
        InterruptEntry.SetHandler(InterruptDispatcher.Dispatch);
        Idt.Install(keepFirmwareInterrupts: true);
        var info = new BootInfo();
        BootServices.ReadBootFiles(info);
        BootOptions options = BootOptions.Parse(info.BootConfig, info.LoadOptions);
        Panic.ConfigureForTests(options.TestMode);
        BootServices.CollectAndExit(info, options.VideoMaxWidth, options.VideoMaxHeight);

        // Boot services are gone, and with them the firmware's interrupts. Our own GDT first, so the IDT's gates
        // use its code selector and the firmware's GDT memory can be reused.
        Cpu.DisableInterrupts();
        Gdt.Install();
        Idt.Install(keepFirmwareInterrupts: false);
        KernelMain.Run(info, options);
        return 0;
    }
}
