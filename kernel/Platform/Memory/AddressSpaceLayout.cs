// Where things live in the kernel's virtual address space (x86-64, 4-level paging, 48-bit addresses).
//
//   0x0000_0000_0000_0000  page 0: never mapped, so null dereferences fault
//   low half               identity: the kernel image (by section), its loader data (early heap, memory map)
//                          and the framebuffer. The UEFI runtime regions are identity too, but only in the
//                          firmware's own address space, loaded during runtime calls (FirmwareAddressSpace.cs)
//   0x0000_4444_4444_0000  the kernel heap (kernel/Platform/Heap/KernelHeap.cs), growing up to heapmax=
//   0x0000_5555_0000_0000  the garbage collector's bitmaps (start, then mark), mapped as the heap grows
//   0x0000_6666_0000_0000  a scratch page for the in-kernel paging tests (mapped and unmapped by them)
//   0xFFFF_8000_0000_0000  all physical memory (the direct map), huge pages, NX
//   0xFFFF_FE00_0000_0000  device registers (MMIO), mapped uncached page by page
//   0xFFFF_FF00_0000_0000  kernel stacks in 1 MiB slots, each with an unmapped guard page at its bottom
namespace Kernel.Memory;

/// <summary>The kernel's virtual memory layout.</summary>
public static class AddressSpaceLayout
{
    /// <summary>Virtual address of physical address 0 in the direct map.</summary>
    public const ulong PhysicalMemoryOffset = 0xFFFF_8000_0000_0000;

    /// <summary>The direct map always covers at least this much (the 32-bit MMIO hole included).</summary>
    public const ulong MinimumDirectMapBytes = 4UL << 30;

    /// <summary>The direct map never covers more than this (it would run into the kernel stacks).</summary>
    public const ulong MaximumDirectMapBytes = 64UL << 40;

    /// <summary>Start of the kernel heap region (the seed's address, easy to spot in a fault).</summary>
    public const ulong KernelHeapStart = 0x0000_4444_4444_0000;

    /// <summary>
    /// The garbage collector's object-start bitmap: one bit per 16 heap bytes, mapped as the heap grows (1 GiB of
    /// address space covers a 128 GiB heap, beyond heapmax's limit).
    /// </summary>
    public const ulong GcStartBitmap = 0x0000_5555_0000_0000;

    /// <summary>The garbage collector's mark bitmap, laid out as <see cref="GcStartBitmap"/>.</summary>
    public const ulong GcMarkBitmap = GcStartBitmap + (1UL << 30);

    /// <summary>A page nothing else uses, which the in-kernel paging tests map and unmap.</summary>
    public const ulong TestScratchPage = 0x0000_6666_0000_0000;

    /// <summary>Bottom of the window where device registers are mapped uncached.</summary>
    public const ulong MmioBase = 0xFFFF_FE00_0000_0000;

    /// <summary>Bottom of the kernel stack area.</summary>
    public const ulong KernelStacksBase = 0xFFFF_FF00_0000_0000;

    /// <summary>Each kernel stack gets a slot this big: a guard page, then the stack (slot 0 is the boot CPU's).</summary>
    public const ulong StackSlotBytes = 1UL << 20;

    /// <summary>Size of the boot CPU's kernel stack.</summary>
    public const ulong KernelStackBytes = 256 * 1024;

    /// <summary>Size of each interrupt stack (double fault, NMI, machine check).</summary>
    public const ulong InterruptStackBytes = 32 * 1024;

    /// <summary>The unmapped page at the bottom of every stack slot.</summary>
    public const ulong GuardPageBytes = 4096;

    /// <summary>
    /// Never mapped: accesses below this address are null references. 32 KiB because ILC (windows target) omits the
    /// explicit null check before a field access at an offset below 32 KiB and relies on the fault.
    /// </summary>
    public const ulong NullGuardBytes = 32 * 1024;

    /// <summary>Stack slots each CPU owns: its kernel stack, then the double-fault, NMI and machine-check stacks.</summary>
    public const int StackSlotsPerCpu = 4;

    /// <summary>Stack slots in the kernel stack area (1 GiB of address space).</summary>
    public const int StackSlotCount = 1024;

    /// <summary>The most CPUs the stack area has slots for.</summary>
    public const int MaxCpus = StackSlotCount / StackSlotsPerCpu;

    /// <summary>The stack slot of CPU cpuIndex's stack number which (0: kernel stack, 1-3: interrupt stacks); CPU 0 owns 0-3.</summary>
    public static int StackSlot(int cpuIndex, int which) => cpuIndex * StackSlotsPerCpu + which;

    /// <summary>The stack slot whose guard page contains address, or -1.</summary>
    public static int GuardPageSlot(ulong address)
    {
        if (address < KernelStacksBase)
            return -1;
        ulong offset = address - KernelStacksBase;
        ulong slot = offset / StackSlotBytes;
        return slot < StackSlotCount && offset % StackSlotBytes < GuardPageBytes ? (int)slot : -1;
    }

    /// <summary>The direct-map virtual address of a physical address.</summary>
    public static ulong PhysicalToVirtual(ulong physicalAddress) => PhysicalMemoryOffset + physicalAddress;
}
