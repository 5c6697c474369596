// Control registers and MSRs the memory code changes (Intel SDM Vol. 3A §2.5, §4.1.4, §11.12; Vol. 4 MSRs).
namespace Kernel.Arch;

/// <summary>Paging-related CPU state: CR0.WP, CR3, EFER.NXE and the PAT.</summary>
public static class ControlRegisters
{
    private const ulong Cr0WriteProtect = 1UL << 16;
    private const uint Ia32Efer = 0xC0000080;
    private const ulong EferNoExecuteEnable = 1UL << 11;
    private const uint Ia32Pat = 0x277;

    // PAT memory types (SDM Vol. 3A Table 11-10) and the slot this kernel turns into write-combining.
    private const ulong PatWriteCombining = 0x01;
    private const int PatSlotForWriteCombining = 1; // selected by PWT=1, PCD=0, PAT=0 in a 4 KiB entry
    private const int PatSlotBits = 8;

    /// <summary>Makes the CPU honour read-only pages in ring 0 as well (CR0.WP).</summary>
    public static void EnableWriteProtect() => Native.WriteCr0(Native.ReadCr0() | Cr0WriteProtect);

    /// <summary>Lets page-table entries use the NX bit (EFER.NXE). Without it bit 63 is reserved.</summary>
    public static void EnableNoExecute() => Native.WriteMsr(Ia32Efer, Native.ReadMsr(Ia32Efer) | EferNoExecuteEnable);

    /// <summary>Whether EFER.NXE is set.</summary>
    public static bool NoExecuteEnabled => (Native.ReadMsr(Ia32Efer) & EferNoExecuteEnable) != 0;

    /// <summary>Whether CR0.WP is set.</summary>
    public static bool WriteProtectEnabled => (Native.ReadCr0() & Cr0WriteProtect) != 0;

    /// <summary>
    /// Reprograms PAT slot 1 (power-on default: write-through) as write-combining, so 4 KiB pages with only
    /// PWT set are write-combining. Nothing else in the kernel uses PWT alone.
    /// </summary>
    public static void EnableWriteCombiningSlot()
    {
        ulong pat = Native.ReadMsr(Ia32Pat);
        int shift = PatSlotForWriteCombining * PatSlotBits;
        pat = (pat & ~(0xFFUL << shift)) | (PatWriteCombining << shift);
        Native.WriteMsr(Ia32Pat, pat);
    }

    /// <summary>Switches to the page tables whose PML4 is at physical address root.</summary>
    /// <remarks>Safety: the new tables must map the running code, its stack and everything it touches next.</remarks>
    public static void LoadPageTableRoot(ulong root) => Native.WriteCr3(root);
}
