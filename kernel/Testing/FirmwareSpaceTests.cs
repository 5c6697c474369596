#if KERNEL_TESTS
// In-kernel tests of issue 12 item 3: no page of the live tables is writable and executable, the UEFI runtime
// regions are mapped only in the firmware's address space, and that space maps everything an interrupt or NMI
// during a runtime call touches, at the same frames with the same rights.
using Kernel.Arch;
using Kernel.Console;
using Kernel.Memory;

namespace Kernel.Testing;

public static class FirmwareSpaceTests
{
    private const int RangesReported = 4;
    private const int InterruptStackSlots = 7;

    private static ulong s_dataProbe = 1;

    /// <summary>Walks the tables CR3 points at (4 levels, large pages as their 4 KiB pages): no page may be W+X.</summary>
    public static void NoPageIsWritableAndExecutable()
    {
        Expect.True(ControlRegisters.WriteProtectEnabled, "CR0.WP is set (without it every page is writable)");
        Expect.True(ControlRegisters.NoExecuteEnabled, "EFER.NXE is set (without it every page is executable)");
        PageTableAudit audit = KernelAddressSpace.AuditWritableExecutable(Cpu.PageTableRoot & PageTableEntry.AddressMask, RangesReported);
        if (audit.WritableExecutablePages != 0)
            TestRunner.Fail(audit.WritableExecutablePages.ToString() + " W+X pages in " + audit.Ranges.ToString() + " ranges: " + Describe(audit));
    }

    /// <summary>Every runtime region is absent from the kernel's tables and mapped identity in the firmware's.</summary>
    public static void RuntimeRegionsAreOnlyInTheFirmwareSpace()
    {
        Expect.True(KernelAddressSpace.FirmwareSpaceRoot != 0, "runtime services have an address space");
        MemoryMap map = TestRunner.Boot.MemoryMap;
        int regions = 0;
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            if (!MemoryAttributesTable.IsRuntime(region.Type))
                continue;
            regions++;
            ulong last = region.EndExclusive - MemoryRegion.PageSize;
            foreach (ulong page in new[] { region.PhysicalStart, last })
            {
                Expect.True(!KernelAddressSpace.Translate(page, out _, out _), "runtime page 0x" + page.ToString("x") + " is not in the kernel's tables");
                Expect.True(KernelAddressSpace.TranslateInFirmwareSpace(page, out ulong physical, out _) && physical == page,
                    "runtime page 0x" + page.ToString("x") + " is mapped identity in the firmware's space");
            }
        }
        Expect.True(regions > 0, "the memory map has runtime regions");
        // With OVMF's memory attributes table nothing is planned W+X; without one, runtime code is, and only that.
        PageTableAudit audit = KernelAddressSpace.AuditWritableExecutable(KernelAddressSpace.FirmwareSpaceRoot, RangesReported);
        Expect.Equal(KernelAddressSpace.FirmwareWritableExecutablePages, audit.WritableExecutablePages, "W+X pages in the firmware's space are the planned ones");
    }

    /// <summary>The IDT, GDT, TSS, interrupt stacks, kernel stack, code, data, heap and screen map alike in both spaces.</summary>
    public static unsafe void FirmwareSpaceMapsWhatInterruptsNeed()
    {
        ulong local = 0;
        delegate*<void> code = &FirmwareSpaceMapsWhatInterruptsNeed;
        byte[] heapObject = new byte[64];
        SameInBothSpaces(Idt.TableAddress, "the IDT");
        SameInBothSpaces(Gdt.TableAddress, "the GDT");
        SameInBothSpaces(Tss.StateAddress, "the TSS");
        for (int slot = 1; slot <= InterruptStackSlots; slot++)
        {
            ulong top = Tss.InterruptStackTop(slot);
            if (top != 0)
                SameInBothSpaces(top - 8, "interrupt stack " + slot.ToString());
        }
        SameInBothSpaces((ulong)&local, "the kernel stack");
        SameInBothSpaces((ulong)code, "kernel code");
        fixed (ulong* data = &s_dataProbe)
            SameInBothSpaces((ulong)data, "kernel static data");
        fixed (byte* heap = heapObject)
            SameInBothSpaces((ulong)heap, "the kernel heap");
        if (Terminal.HasScreen)
            SameInBothSpaces(TestRunner.Boot.Info.Framebuffer.Base, "the framebuffer");
    }

    private static void SameInBothSpaces(ulong address, string what)
    {
        bool inKernel = KernelAddressSpace.Translate(address, out ulong physical, out PageFlags flags);
        bool inFirmware = KernelAddressSpace.TranslateInFirmwareSpace(address, out ulong firmwarePhysical, out PageFlags firmwareFlags);
        Expect.True(inKernel, what + " is mapped in the kernel's space");
        Expect.True(inFirmware, what + " (0x" + address.ToString("x") + ") is mapped in the firmware's space");
        Expect.Equal(physical, firmwarePhysical, what + ": same frame in both spaces");
        // The CPU sets Accessed and Dirty in whichever copy of an entry it used; only the rights must agree.
        const PageFlags usage = PageFlags.Accessed | PageFlags.Dirty;
        Expect.Equal((ulong)(flags & ~usage), (ulong)(firmwareFlags & ~usage), what + ": same rights in both spaces");
    }

    private static string Describe(PageTableAudit audit)
    {
        string ranges = "";
        for (int i = 0; i < audit.KeptRanges; i++)
            ranges += (i == 0 ? "" : ", ") + audit.Range(i).ToString();
        return audit.Ranges > audit.KeptRanges ? ranges + ", ..." : ranges;
    }
}
#endif
