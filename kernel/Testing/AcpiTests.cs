#if KERNEL_TESTS
// In-kernel tests of the ACPI tables QEMU's firmware publishes (the host tests cover parsing in depth).
using Kernel.Acpi;
using Kernel.Console;
namespace Kernel.Testing;

public static class AcpiTests
{
    public static void TablesFound()
    {
        AcpiTables acpi = TestRunner.Boot.Acpi;
        Expect.True(acpi != null && acpi.Count > 0, "tables listed by the root table");
        if (acpi == null)
            return;
        Expect.Equal(0, acpi.ProblemCount, "no table failed validation");
        Expect.True(acpi.IndexOf(Madt.Signature) >= 0, "a MADT");
        Expect.True(acpi.IndexOf(Fadt.Signature) >= 0, "a FADT");
    }

    public static void MadtDescribesTheMachine()
    {
        Madt madt = TestRunner.Boot.Madt;
        Expect.True(madt != null && madt.Status == MadtStatus.Ok, "MADT parsed");
        if (madt == null)
            return;
        Expect.True(madt.ProcessorCount >= 1, "at least the boot CPU");
        Expect.True(madt.IoApics.Length >= 1, "an I/O APIC");
        Expect.Equal(0xFEE00000UL, madt.LocalApicAddress, "local APIC at the architectural default");
        Expect.Equal(2L, madt.ResolveIsaIrq(0).Gsi, "QEMU routes the timer's ISA IRQ 0 to GSI 2");
        // The boot tests compare this line with the -smp they asked QEMU for.
        Terminal.WriteLine("  madt: processors=" + madt.ProcessorCount.ToString());
    }
}
#endif
