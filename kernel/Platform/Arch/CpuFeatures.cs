// CPUID feature bits the kernel depends on (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, Appendix E).
namespace Kernel.Arch;

/// <summary>What the processor supports, read once with CPUID.</summary>
public static class CpuFeatures
{
    private const uint StandardFeatures = 0x1;
    private const uint ExtendedFeatures = 0x80000001;
    private const uint EdxPat = 1u << 16;            // leaf 1
    private const uint EdxApic = 1u << 9;            // leaf 1
    private const uint EcxX2Apic = 1u << 21;         // leaf 1
    private const uint EdxNoExecute = 1u << 20;      // leaf 0x80000001
    private const uint EdxGigabytePages = 1u << 26;  // leaf 0x80000001

    private static bool s_read;
    private static bool s_noExecute;
    private static bool s_gigabytePages;
    private static bool s_pat;
    private static bool s_apic;
    private static bool s_x2apic;

    /// <summary>This CPU's initial APIC ID (CPUID leaf 1, EBX bits 31-24): read on the CPU asking, every time.</summary>
    /// <remarks>Safety: none for the caller; cpuid writes into a stack buffer of the four registers.</remarks>
    public static unsafe uint InitialApicId()
    {
        uint* registers = stackalloc uint[4];
        Native.CpuId(StandardFeatures, 0, registers);
        return registers[1] >> 24;
    }

    /// <summary>The CPU vendor string from CPUID leaf 0, e.g. "GenuineIntel".</summary>
    /// <remarks>Safety: none for the caller; cpuid writes into a stack buffer of the four registers.</remarks>
    public static unsafe string Vendor()
    {
        uint* registers = stackalloc uint[4];
        Native.CpuId(0, 0, registers);
        // The vendor string is in EBX, EDX, ECX, in that order.
        char* text = stackalloc char[12];
        Unpack(registers[1], text);
        Unpack(registers[3], text + 4);
        Unpack(registers[2], text + 8);
        return new string(text, 0, 12);
    }

    /// <summary>The processor brand string from CPUID leaves 0x80000002-4, trimmed, or null.</summary>
    /// <remarks>Safety: none for the caller; cpuid writes into a stack buffer of the four registers.</remarks>
    public static unsafe string Brand()
    {
        uint* registers = stackalloc uint[4];
        Native.CpuId(0x80000000, 0, registers);
        if (registers[0] < 0x80000004)
            return null;
        char* text = stackalloc char[48];
        for (uint leaf = 0; leaf < 3; leaf++)
        {
            Native.CpuId(0x80000002 + leaf, 0, registers);
            for (int r = 0; r < 4; r++)
                Unpack(registers[r], text + leaf * 16 + r * 4);
        }
        int start = 0;
        int end = 48;
        while (end > 0 && (text[end - 1] == '\0' || text[end - 1] == ' '))
            end--;
        while (start < end && text[start] == ' ')
            start++;
        return new string(text, start, end - start);
    }

    /// <summary>The features the kernel cares about, space separated.</summary>
    /// <remarks>Safety: none for the caller; cpuid writes into a stack buffer of the four registers.</remarks>
    public static unsafe string Summary()
    {
        uint* registers = stackalloc uint[4];
        Native.CpuId(StandardFeatures, 0, registers);
        uint ecx = registers[2];
        uint edx = registers[3];
        string text = "";
        text += (edx & (1u << 25)) != 0 ? "sse " : "";
        text += (edx & (1u << 26)) != 0 ? "sse2 " : "";
        text += (ecx & (1u << 0)) != 0 ? "sse3 " : "";
        text += (ecx & (1u << 19)) != 0 ? "sse4.1 " : "";
        text += (ecx & (1u << 20)) != 0 ? "sse4.2 " : "";
        text += (ecx & (1u << 28)) != 0 ? "avx " : "";
        text += (ecx & (1u << 30)) != 0 ? "rdrand " : "";
        text += Apic ? "apic " : "";
        text += X2Apic ? "x2apic " : "";
        text += PageAttributeTable ? "pat " : "";
        text += NoExecute ? "nx " : "";
        text += GigabytePages ? "pdpe1gb " : "";
        return text.Length == 0 ? "(none)" : text.Substring(0, text.Length - 1);
    }

    private static unsafe void Unpack(uint value, char* destination)
    {
        for (int i = 0; i < 4; i++)
            destination[i] = (char)((value >> (8 * i)) & 0xFF);
    }

    /// <summary>The NX (execute-disable) bit exists (EFER.NXE may be set).</summary>
    public static bool NoExecute => Read(ref s_noExecute);

    /// <summary>1 GiB pages exist.</summary>
    public static bool GigabytePages => Read(ref s_gigabytePages);

    /// <summary>A local APIC exists.</summary>
    public static bool Apic => Read(ref s_apic);

    /// <summary>The local APIC supports x2APIC mode.</summary>
    public static bool X2Apic => Read(ref s_x2apic);

    /// <summary>The page attribute table exists.</summary>
    public static bool PageAttributeTable => Read(ref s_pat);

    private static unsafe bool Read(ref bool feature)
    {
        if (!s_read)
        {
            uint* registers = stackalloc uint[4];
            Native.CpuId(StandardFeatures, 0, registers);
            s_pat = (registers[3] & EdxPat) != 0;
            s_apic = (registers[3] & EdxApic) != 0;
            s_x2apic = (registers[2] & EcxX2Apic) != 0;
            Native.CpuId(ExtendedFeatures, 0, registers);
            s_noExecute = (registers[3] & EdxNoExecute) != 0;
            s_gigabytePages = (registers[3] & EdxGigabytePages) != 0;
            s_read = true;
        }
        return feature;
    }
}
