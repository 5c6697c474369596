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
using Kernel.Memory;

namespace Kernel.Boot;

/// <summary>The image's entry point.</summary>
public static class EfiEntry
{
    private const ulong EarlyHeapMarginBytes = 256 * 1024;

    // A parsed region (32 bytes) and its firmware index, for KernelMain's parse and generous about array headers.
    private const ulong BytesPerParsedRegion = 64;

    [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
    private static ulong EfiMain(IntPtr imageHandle, IntPtr systemTable)
    {
        ulong entryTsc = Cpu.ReadTimeStampCounter();
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
        BootTimeline.Begin(entryTsc);
        Panic.Install(Terminal.ShowPanic, Serial16550.Write);
        KernelLog.Initialize();
        BootTimeline.Mark("runtime start");

        // CPU exceptions panic from here on; the firmware keeps its own interrupts until it is gone.
        InterruptEntry.SetHandler(InterruptDispatcher.Dispatch);
        Idt.Install(keepFirmwareInterrupts: true);
        var info = new BootInfo();
        BootServices.ReadBootFiles(info);
        BootTimeline.Mark("boot files");
        BootOptions options = BootOptions.Parse(info.BootConfig, info.LoadOptions);
        // Test and benchmark boots are run by the host: a panic ends QEMU (with failure) instead of waiting there.
        Panic.ConfigureForTests(options.TestMode || options.BenchMode);
        BootServices.CollectAndExit(info, options.VideoMaxWidth, options.VideoMaxHeight, EarlyHeapNeeded);

        // Boot services are gone, and with them the firmware's interrupts. Our own GDT first, so the IDT's gates
        // use its code selector and the firmware's GDT memory can be reused.
        Cpu.DisableInterrupts();
        Gdt.Install();
        Idt.Install(keepFirmwareInterrupts: false);
        BootTimeline.Mark("own GDT and IDT");
        KernelMain.Run(info, options);
        return 0;
    }

    // What `new` takes between ExitBootServices and the kernel heap (the firmware cannot add to the early heap
    // then): the parsed memory map and the frame allocator's bitmaps, the symbol table's copy, the text grid
    // (three 4-byte values a cell, cells of 8x8 pixels at the smallest font), and a margin for the small objects.
    private static ulong EarlyHeapNeeded(BootInfo info)
    {
        ulong bytes = EarlyHeapMarginBytes;
        MemoryMapInfo raw = info.MemoryMap;
        if (MemoryMap.TryParse(raw.Bytes, raw.SizeInBytes, raw.DescriptorSize, out MemoryMap map, out _))
            bytes += (ulong)map.Count * BytesPerParsedRegion + FrameAllocator.BitmapBytesFor(map);
        if (info.SymbolTable != null)
            bytes += (ulong)info.SymbolTable.Length;
        bytes += (ulong)info.Framebuffer.Width * (ulong)info.Framebuffer.Height / 64 * 12;
        return bytes;
    }
}
