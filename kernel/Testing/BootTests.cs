#if KERNEL_TESTS
// In-kernel tests of what the firmware phase gathered.
using System;
using Kernel.Diagnostics;
namespace Kernel.Testing;

public static class BootTests
{
    public static void MemoryMapParsed()
    {
        Expect.True(TestRunner.Boot.MemoryMap != null, "the firmware memory map was accepted");
        if (TestRunner.Boot.MemoryMap == null)
            return;
        Expect.True(TestRunner.Boot.MemoryMap.UsableBytes >= 64UL << 20, "at least 64 MiB usable (QEMU runs with 256 MiB)");
        Expect.True(TestRunner.Boot.MemoryMap.LoaderBytes > 0, "the kernel's own loader regions are present");
    }

    public static void OptionsSayTestMode()
    {
        Expect.True(TestRunner.Boot.TestMode, "the test option was read from boot.cfg or LoadOptions");
        Expect.True(TestRunner.Boot.OptionLine != null && TestRunner.Boot.OptionLine.Length > 0, "effective option line");
    }

    public static unsafe void SymbolTableNamesThisMethod()
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
        ulong rsdp = TestRunner.Boot.Info.AcpiRsdp;
        Expect.True(rsdp != 0, "the firmware published an ACPI RSDP");
        if (rsdp == 0)
            return;
        // "RSD PTR " (ACPI 6.5 §5.2.5.3), read through the direct map: firmware tables are not identity-mapped.
        ReadOnlySpan<byte> signature = Memory.KernelAddressSpace.PhysicalBytes(rsdp, 8);
        Expect.True(signature.SequenceEqual("RSD PTR "u8), "RSDP signature");
    }

    public static unsafe void ImageBoundsKnown()
    {
        delegate*<void> self = &ImageBoundsKnown;
        ulong address = (ulong)self;
        Expect.True(TestRunner.Boot.Info.ImageBase != 0 && address >= TestRunner.Boot.Info.ImageBase
            && address < TestRunner.Boot.Info.ImageBase + TestRunner.Boot.Info.ImageSize, "this code lies inside the loaded image");
    }
}
#endif
