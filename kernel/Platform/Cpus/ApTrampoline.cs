// The page application processors start in (shim/ap_trampoline.asm): copied below 1 MiB into the page the firmware
// gave before ExitBootServices, written through the direct map (never through its identity address, which is mapped
// read-only and executable), with a parameter block the boot CPU fills before each start.
using Kernel.Arch;
using Kernel.Memory;

namespace Kernel.Cpus;

/// <summary>The real-mode start-up code and its parameters.</summary>
public static unsafe class ApTrampoline
{
    // Parameter block offsets (keep in step with shim/ap_trampoline.asm).
    private const int ParamCr3 = 0x08;
    private const int ParamCr4 = 0x10;
    private const int ParamEfer = 0x18;
    private const int ParamCr0 = 0x20;
    private const int ParamPat = 0x28;
    private const int ParamXcr0 = 0x30;
    private const int ParamStack = 0x38;
    private const int ParamEntry = 0x40;
    private const int ParamArgument = 0x48;
    private const int ParamApicId = 0x50;
    private const int ParamEnd = 0x58;

    private const uint Ia32Efer = 0xC0000080;
    private const uint Ia32Pat = 0x277;
    private const ulong EferLongModeEnable = 1UL << 8;
    private const ulong EferNoExecuteEnable = 1UL << 11;
    private const ulong Cr4OsXsave = 1UL << 18;
    private const ulong PageBytes = 4096;

    private static ulong s_page;

    /// <summary>Physical address of the start-up page (its number is the STARTUP IPI's vector), or 0 before Install.</summary>
    public static ulong Page => s_page;

    /// <summary>The code's size in bytes.</summary>
    public static ulong CodeBytes
    {
        get
        {
            ulong start, end;
            Native.ApTrampolineBounds(&start, &end);
            return end - start;
        }
    }

    /// <summary>
    /// Copies the start-up code into page (physical, below 1 MiB, reserved by the firmware phase), fills the part of
    /// the parameter block every CPU shares from this CPU's state (CR0, CR3, CR4, EFER, PAT, XCR0), and maps the page
    /// read-only and executable at its identity address. Returns null, or why it cannot be used.
    /// </summary>
    /// <remarks>Safety: on the boot CPU, on the kernel's page tables (CR3 below 4 GiB), before any AP is started.</remarks>
    public static string Install(ulong page)
    {
        if (page == 0)
            return "no page below 1 MiB was reserved for the start-up code";
        if ((page & (PageBytes - 1)) != 0 || page >= 0x100000 || page < AddressSpaceLayout.NullGuardBytes)
            return "the start-up page 0x" + page.ToString("x") + " is not a page between 32 KiB and 1 MiB";
        ulong cr3 = Native.ReadCr3();
        if (cr3 >= 1UL << 32)
            return "the top-level page table is above 4 GiB";
        ulong start, end;
        Native.ApTrampolineBounds(&start, &end);
        if (end - start > PageBytes || end - start < ParamEnd)
            return "the start-up code is " + (end - start).ToString() + " bytes";
        byte* target = (byte*)AddressSpaceLayout.PhysicalToVirtual(page);
        System.Buffer.ZeroMemory(target, (nuint)PageBytes);
        System.Buffer.MemoryCopy((void*)start, target, (long)PageBytes, (long)(end - start));
        s_page = page;
        ulong cr4 = Native.ReadCr4();
        Write(ParamCr3, cr3);
        Write(ParamCr4, cr4);
        Write(ParamEfer, EferLongModeEnable | (Native.ReadMsr(Ia32Efer) & EferNoExecuteEnable));
        Write(ParamCr0, Native.ReadCr0());
        Write(ParamPat, Native.ReadMsr(Ia32Pat));
        Write(ParamXcr0, (cr4 & Cr4OsXsave) != 0 ? Native.ReadXcr0() : 0);
        KernelAddressSpace.MapStartupCode(page);
        return null;
    }

    /// <summary>
    /// Sets what the next CPU to start runs: entry(argument) on the stack at stackTop. Only the CPU whose initial
    /// APIC ID's low 8 bits are apicId's gets that far; any other halts in the start-up code.
    /// </summary>
    /// <remarks>Safety: after Install; no other CPU may be between STARTUP and its entry (one start at a time).</remarks>
    public static void SetEntry(uint apicId, ulong stackTop, delegate* unmanaged<ulong, void> entry, ulong argument)
    {
        Write(ParamApicId, apicId & 0xFF);
        Write(ParamStack, stackTop);
        Write(ParamEntry, (ulong)entry);
        Write(ParamArgument, argument);
    }

    private static void Write(int offset, ulong value) =>
        *(ulong*)(AddressSpaceLayout.PhysicalToVirtual(s_page) + (ulong)offset) = value;
}
