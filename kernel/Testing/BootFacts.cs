#if KERNEL_TESTS
// What the in-kernel tests need to know about this boot, handed down by Boot (the tests sit below it and may not
// read its state): the firmware's facts, the parsed tables, and the boot options the tests check against.
using Kernel.Acpi;
using Kernel.Firmware;
using Kernel.Interrupts;
using Kernel.Memory;

namespace Kernel.Testing;

/// <summary>This boot's facts, for the tests.</summary>
public sealed class BootFacts
{
    /// <summary>Collects the facts (Boot calls this once, before running the tests).</summary>
    public BootFacts(BootInfo info, MemoryMap memoryMap, AcpiTables acpi, Madt madt, string heapDesign, IrqMode irqMode,
        int timerHz, int videoMaxWidth, bool testMode, string optionLine)
    {
        Info = info;
        MemoryMap = memoryMap;
        Acpi = acpi;
        Madt = madt;
        HeapDesign = heapDesign;
        IrqMode = irqMode;
        TimerHz = timerHz;
        VideoMaxWidth = videoMaxWidth;
        TestMode = testMode;
        OptionLine = optionLine;
    }

    /// <summary>What the firmware phase gathered.</summary>
    public BootInfo Info { get; }

    /// <summary>The parsed firmware memory map.</summary>
    public MemoryMap MemoryMap { get; }

    /// <summary>The ACPI tables found.</summary>
    public AcpiTables Acpi { get; }

    /// <summary>The parsed MADT, or null.</summary>
    public Madt Madt { get; }

    /// <summary>The heap= option.</summary>
    public string HeapDesign { get; }

    /// <summary>The irq= option.</summary>
    public IrqMode IrqMode { get; }

    /// <summary>The timer= option.</summary>
    public int TimerHz { get; }

    /// <summary>The width bound of the video= option.</summary>
    public int VideoMaxWidth { get; }

    /// <summary>Whether the test option was seen.</summary>
    public bool TestMode { get; }

    /// <summary>The effective option line the boot log shows.</summary>
    public string OptionLine { get; }
}
#endif
