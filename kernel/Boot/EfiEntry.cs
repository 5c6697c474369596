// The UEFI entry point (UEFI 2.10 §4.1, EFI_IMAGE_ENTRY_POINT): brings up the runtime, gathers what the
// firmware knows, leaves boot services, and hands over to KernelMain. The order below matters; see comments.
using System;
using System.Runtime.InteropServices;
using Efi;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Console;

namespace Kernel.Boot
{
    internal static unsafe class EfiEntry
    {
        // Memory for `new` until the kernel heap exists (a later issue): objects are never freed yet.
        private const ulong EarlyHeapBytes = 32 * 1024 * 1024;
        private const ulong CookieMixer = 0x9E3779B97F4A7C15;

        [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
        private static ulong EfiMain(IntPtr imageHandle, EfiSystemTable* systemTable)
        {
            // Before any stack frame that checks the stack cookie is entered.
            Native.SeedSecurityCookie((Cpu.ReadTimeStampCounter() * CookieMixer) >> 16);
            Serial16550.Initialize();
            Firmware.Initialize(imageHandle, systemTable);

            // The runtime: memory for objects, then module statics (which allocate), then the panic hook.
            void* heap = Firmware.AllocatePages(EarlyHeapBytes, out EfiStatus status);
            if (heap == null)
            {
                // No heap, so no string building: literals only.
                Serial16550.Write("boot: cannot allocate the early heap: ");
                Serial16550.Write(EfiStatus.Name(status.Value));
                Serial16550.Write("\n");
                return status.Value;
            }
            ObjectAllocator.InitializeEarlyHeap(heap, (nuint)EarlyHeapBytes);
            void** modulesStart;
            void** modulesEnd;
            Native.ModuleBounds(&modulesStart, &modulesEnd);
            if (StartupCodeHelpers.InitializeModules(modulesStart, modulesEnd) <= 0)
            {
                Serial16550.Write("boot: the compiled module headers are not in the expected format\n");
                return EfiStatus.Error(1).Value;
            }
            RuntimeHooks.InstallPanic(&Panic.FromRuntime);

            // CPU exceptions panic from here on; the firmware keeps its own interrupts until it is gone.
            Idt.Install(keepFirmwareInterrupts: true);
            var info = new BootInfo();
            Firmware.ReadBootFiles(info);
            BootOptions options = BootOptions.Parse(info.BootConfig, info.LoadOptions);
            Panic.ConfigureForTests(options.TestMode);
            Firmware.CollectAndExit(info, options.VideoMaxWidth, options.VideoMaxHeight);

            // Boot services are gone: no firmware interrupts either, until a later issue brings our own. Our own
            // GDT first, so the IDT's gates use its code selector and the firmware's GDT memory can be reused.
            Cpu.DisableInterrupts();
            Gdt.Install();
            Idt.Install(keepFirmwareInterrupts: false);
            KernelMain.Run(info, options);
            return 0;
        }
    }
}
