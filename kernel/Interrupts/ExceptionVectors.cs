// The 32 architecturally defined exception vectors (Intel SDM Vol. 3A §6.3.1, Table 6-1; AMD APM Vol. 2 §8.2).
namespace Kernel.Interrupts;

/// <summary>Names and properties of CPU exception vectors.</summary>
public static class ExceptionVectors
{
    /// <summary>Number of vectors reserved for exceptions.</summary>
    public const int Count = 32;

    public const int DivideError = 0;
    public const int Debug = 1;
    public const int NonMaskableInterrupt = 2;
    public const int Breakpoint = 3;
    public const int Overflow = 4;
    public const int BoundRangeExceeded = 5;
    public const int InvalidOpcode = 6;
    public const int DeviceNotAvailable = 7;
    public const int DoubleFault = 8;
    public const int InvalidTss = 10;
    public const int SegmentNotPresent = 11;
    public const int StackSegmentFault = 12;
    public const int GeneralProtection = 13;
    public const int PageFault = 14;
    public const int X87FloatingPoint = 16;
    public const int AlignmentCheck = 17;
    public const int MachineCheck = 18;
    public const int SimdFloatingPoint = 19;
    public const int Virtualization = 20;
    public const int ControlProtection = 21;
    public const int HypervisorInjection = 28;
    public const int VmmCommunication = 29;
    public const int Security = 30;

    /// <summary>The exception's name and mnemonic, e.g. "page fault (#PF)".</summary>
    public static string Name(int vector)
    {
        switch (vector)
        {
            case DivideError: return "divide error (#DE)";
            case Debug: return "debug (#DB)";
            case NonMaskableInterrupt: return "non-maskable interrupt (NMI)";
            case Breakpoint: return "breakpoint (#BP)";
            case Overflow: return "overflow (#OF)";
            case BoundRangeExceeded: return "bound range exceeded (#BR)";
            case InvalidOpcode: return "invalid opcode (#UD)";
            case DeviceNotAvailable: return "device not available (#NM)";
            case DoubleFault: return "double fault (#DF)";
            case 9: return "coprocessor segment overrun";
            case InvalidTss: return "invalid TSS (#TS)";
            case SegmentNotPresent: return "segment not present (#NP)";
            case StackSegmentFault: return "stack-segment fault (#SS)";
            case GeneralProtection: return "general protection fault (#GP)";
            case PageFault: return "page fault (#PF)";
            case X87FloatingPoint: return "x87 floating-point error (#MF)";
            case AlignmentCheck: return "alignment check (#AC)";
            case MachineCheck: return "machine check (#MC)";
            case SimdFloatingPoint: return "SIMD floating-point exception (#XM)";
            case Virtualization: return "virtualization exception (#VE)";
            case ControlProtection: return "control protection exception (#CP)";
            case HypervisorInjection: return "hypervisor injection exception (#HV)";
            case VmmCommunication: return "VMM communication exception (#VC)";
            case Security: return "security exception (#SX)";
            default: return vector < Count ? "reserved exception" : "unexpected interrupt";
        }
    }

    /// <summary>Whether the CPU pushes an error code for this vector.</summary>
    public static bool HasErrorCode(int vector) =>
        vector == DoubleFault || (vector >= InvalidTss && vector <= PageFault) || vector == AlignmentCheck
        || vector == ControlProtection || vector == VmmCommunication || vector == Security;

    /// <summary>Describes a page-fault error code (SDM Vol. 3A §4.7), e.g. "write to a non-present page in kernel mode".</summary>
    public static string DescribePageFault(ulong errorCode)
    {
        const ulong Present = 1 << 0;
        const ulong Write = 1 << 1;
        const ulong User = 1 << 2;
        const ulong ReservedBit = 1 << 3;
        const ulong InstructionFetch = 1 << 4;
        string access = (errorCode & InstructionFetch) != 0 ? "instruction fetch from" : (errorCode & Write) != 0 ? "write to" : "read from";
        string page = (errorCode & Present) != 0 ? "a protected page" : "a non-present page";
        string mode = (errorCode & User) != 0 ? " in user mode" : " in kernel mode";
        string reserved = (errorCode & ReservedBit) != 0 ? ", reserved bit set in a paging entry" : "";
        return string.Concat(access, " ", page, mode + reserved);
    }

    /// <summary>Describes a selector error code (SDM Vol. 3A §6.13), e.g. "IDT entry 0x21"; "none" for zero.</summary>
    public static string DescribeSelectorError(ulong errorCode)
    {
        if (errorCode == 0)
            return "none";
        const ulong External = 1 << 0;
        const ulong Idt = 1 << 1;
        const ulong Ldt = 1 << 2;
        ulong index = (errorCode >> 3) & 0x1FFF;
        string table = (errorCode & Idt) != 0 ? "IDT" : (errorCode & Ldt) != 0 ? "LDT" : "GDT";
        string source = (errorCode & External) != 0 ? " (external event)" : "";
        return string.Concat(table, " entry 0x", index.ToString("x"), source);
    }
}
