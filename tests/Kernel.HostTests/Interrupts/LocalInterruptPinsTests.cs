// Tests for LocalInterruptPins: QEMU's real MADTs (LINT1 is the NMI input of every processor) and the entries a
// firmware may write instead: one processor's own entry, LINT0 as the NMI pin, active-low pins, no entry at all.
using Kernel.Acpi;
using Kernel.HostTests.Acpi;
using Kernel.Interrupts;
using Xunit;

namespace Kernel.HostTests.Interrupts;

public class LocalInterruptPinsTests
{
    private const ushort ActiveLowEdge = 0x0007; // polarity 11, trigger 01
    private const ushort ActiveHighLevel = 0x000D; // polarity 01, trigger 11

    private static MadtLocalApicNmi[] FromDump(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);
        return Madt.Parse(tables.Find(Madt.Signature)).LocalApicNmis;
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void QemusMadtMakesLint1TheNmiInput(string machine)
    {
        MadtLocalApicNmi[] entries = FromDump(machine);

        LocalInterruptPinSetting apic = LocalInterruptPins.Choose(entries, true, 0, picInUse: false);
        LocalInterruptPinSetting pic = LocalInterruptPins.Choose(entries, true, 0, picInUse: true);

        Assert.Equal(LocalInterruptPins.Masked, apic.Lint0);
        Assert.Equal(LocalInterruptPins.DeliverNmi, apic.Lint1);
        Assert.Equal("LINT0 masked, LINT1 NMI (from the MADT)", apic.Description);
        Assert.Equal(LocalInterruptPins.DeliverExtInt, pic.Lint0);
        Assert.Equal(LocalInterruptPins.DeliverNmi, pic.Lint1);
        Assert.Equal("LINT0 ExtINT, LINT1 NMI (from the MADT)", pic.Description);
    }

    [Fact]
    public void WithoutAnEntryLint1IsTheNmiInputAsOnEveryPc()
    {
        LocalInterruptPinSetting setting = LocalInterruptPins.Choose(new MadtLocalApicNmi[0], true, 0, picInUse: false);

        Assert.Equal(LocalInterruptPins.Masked, setting.Lint0);
        Assert.Equal(LocalInterruptPins.DeliverNmi, setting.Lint1);
        Assert.Contains("the PC default", setting.Description);
        Assert.Equal(setting.Lint1, LocalInterruptPins.Choose(null, false, 0, picInUse: false).Lint1);
    }

    [Fact]
    public void AnEntryForAnotherProcessorDoesNotApplyButOneForThisProcessorDoes()
    {
        var entries = new[] { new MadtLocalApicNmi(3, ActiveLowEdge, 0, false) };

        LocalInterruptPinSetting other = LocalInterruptPins.Choose(entries, true, 0, picInUse: false);
        LocalInterruptPinSetting mine = LocalInterruptPins.Choose(entries, true, 3, picInUse: false);
        LocalInterruptPinSetting unknownUid = LocalInterruptPins.Choose(entries, false, 3, picInUse: false);

        Assert.Equal(LocalInterruptPins.DeliverNmi, other.Lint1); // the default, the entry is someone else's
        Assert.Equal(LocalInterruptPins.DeliverNmi | LocalInterruptPins.ActiveLow, mine.Lint0);
        Assert.Equal(LocalInterruptPins.Masked, mine.Lint1);
        Assert.Equal("LINT0 NMI active low, LINT1 masked (from the MADT)", mine.Description);
        Assert.Equal(LocalInterruptPins.DeliverNmi, unknownUid.Lint1);
    }

    [Fact]
    public void AnNmiIsEdgeTriggeredWhateverTheEntrySays()
    {
        var entries = new[] { new MadtLocalApicNmi(Madt.AllLocalApicProcessors, ActiveHighLevel, 1, false) };

        Assert.Equal(LocalInterruptPins.DeliverNmi, LocalInterruptPins.Choose(entries, true, 0, picInUse: false).Lint1);
    }

    [Fact]
    public void X2ApicEntriesUseTheirOwnAllProcessorsValueAndBadPinsAreIgnored()
    {
        var entries = new[]
        {
            new MadtLocalApicNmi(Madt.AllX2ApicProcessors, 0, 0, true),
            new MadtLocalApicNmi(Madt.AllLocalApicProcessors, 0, 2, false), // there is no LINT2
        };

        LocalInterruptPinSetting setting = LocalInterruptPins.Choose(entries, true, 0, picInUse: true);

        Assert.Equal(LocalInterruptPins.DeliverNmi, setting.Lint0);
        Assert.Equal(LocalInterruptPins.Masked, setting.Lint1);
    }
}
