// Known-good stacks for the exceptions that can strike when the current stack is unusable (Intel SDM Vol. 3A
// §6.14.5): a double fault after a kernel stack overflow, an NMI or a machine check at any moment.
using Kernel.Arch;
using Kernel.Memory;

namespace Kernel.Interrupts;

/// <summary>Sets up the TSS's interrupt stack table and points the critical vectors at it.</summary>
public static class ExceptionStacks
{
    // Stack slots after slot 0 (the boot CPU's kernel stack); see AddressSpaceLayout.
    private const int DoubleFaultSlot = 1;
    private const int NmiSlot = 2;
    private const int MachineCheckSlot = 3;

    /// <summary>Maps the three stacks (each with a guard page), loads the TSS and assigns the IST slots.</summary>
    /// <remarks>Safety: call once, on the kernel's own page tables and GDT, with interrupts off.</remarks>
    public static void Install()
    {
        ulong doubleFault = KernelAddressSpace.MapStack(DoubleFaultSlot, AddressSpaceLayout.InterruptStackBytes);
        ulong nmi = KernelAddressSpace.MapStack(NmiSlot, AddressSpaceLayout.InterruptStackBytes);
        ulong machineCheck = KernelAddressSpace.MapStack(MachineCheckSlot, AddressSpaceLayout.InterruptStackBytes);
        Tss.Install(doubleFault, nmi, machineCheck);
        Idt.SetInterruptStack(ExceptionVectors.DoubleFault, Tss.DoubleFaultStack);
        Idt.SetInterruptStack(ExceptionVectors.NonMaskableInterrupt, Tss.NonMaskableInterruptStack);
        Idt.SetInterruptStack(ExceptionVectors.MachineCheck, Tss.MachineCheckStack);
    }
}
