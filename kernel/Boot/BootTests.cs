#if KERNEL_TESTS
// In-kernel tests of what the firmware phase gathered.
using System;
using Kernel.Console;
using Kernel.Testing;

namespace Kernel.Boot
{
    internal static unsafe class BootTests
    {
        public static void MemoryMapParsed()
        {
            Expect.True(KernelMain.MemoryMap != null, "the firmware memory map was accepted");
            if (KernelMain.MemoryMap == null)
                return;
            Expect.True(KernelMain.MemoryMap.UsableBytes >= 64UL << 20, "at least 64 MiB usable (QEMU runs with 256 MiB)");
            Expect.True(KernelMain.MemoryMap.LoaderBytes > 0, "the kernel's own loader regions are present");
        }

        public static void OptionsSayTestMode()
        {
            Expect.True(KernelMain.Options.TestMode, "the test option was read from boot.cfg or LoadOptions");
            Expect.True(KernelMain.Options.EffectiveLine != null && KernelMain.Options.EffectiveLine.Length > 0, "effective option line");
        }

        public static void SymbolTableNamesThisMethod()
        {
            Expect.True(Symbols.IsLoaded, "kernel.sym was loaded");
            delegate*<void> self = &SymbolTableNamesThisMethod;
            string name = Symbols.MethodAt((ulong)self);
            Expect.True(name != null && name.EndsWith("BootTests::SymbolTableNamesThisMethod"), "symbol for this method, got: " + name);
        }

        public static void ExceptionTypeNamesComeFromSymbols()
        {
            Exception e = new InvalidOperationException("x");
            Expect.True(e.GetType().Name.EndsWith("InvalidOperationException"), "type name, got: " + e.GetType().Name);
        }

        public static void AcpiRsdpFound()
        {
            ulong rsdp = KernelMain.Info.AcpiRsdp;
            Expect.True(rsdp != 0, "the firmware published an ACPI RSDP");
            if (rsdp == 0)
                return;
            // "RSD PTR " (ACPI 6.5 §5.2.5.3), read through the direct map: firmware tables are not identity-mapped.
            ReadOnlySpan<byte> signature = Memory.KernelAddressSpace.PhysicalBytes(rsdp, 8);
            Expect.True(signature.SequenceEqual("RSD PTR "u8), "RSDP signature");
        }

        public static void ImageBoundsKnown()
        {
            delegate*<void> self = &ImageBoundsKnown;
            ulong address = (ulong)self;
            Expect.True(KernelMain.Info.ImageBase != 0 && address >= KernelMain.Info.ImageBase
                && address < KernelMain.Info.ImageBase + KernelMain.Info.ImageSize, "this code lies inside the loaded image");
        }
    }
}
#endif
