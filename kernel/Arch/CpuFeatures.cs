// CPUID feature bits the kernel depends on (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, Appendix E).
namespace Kernel.Arch
{
    /// <summary>What the processor supports, read once with CPUID.</summary>
    internal static unsafe class CpuFeatures
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

        private static bool Read(ref bool feature)
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
}
