// Tests for Madt: QEMU's real MADTs (q35 and pc, 1 and 4 CPUs) and synthetic tables for every entry type and
// every way the entry walk can go wrong.
using System;
using System.Linq;
using Kernel.Acpi;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

public class MadtTests
{
    private const uint Lapic = 0xFEE00000;
    private const ushort LevelActiveHigh = 0x000D; // polarity 01, trigger 11
    private const ushort LevelActiveLow = 0x000F;  // polarity 11, trigger 11

    private static Madt FromDump(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);
        return Madt.Parse(tables.Find(Madt.Signature));
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu, 1)]
    [InlineData(AcpiDumpData.Q35FourCpus, 4)]
    [InlineData(AcpiDumpData.PcOneCpu, 1)]
    [InlineData(AcpiDumpData.PcFourCpus, 4)]
    public void QemuListsOneEnabledLocalApicPerCpu(string machine, int cpus)
    {
        Madt madt = FromDump(machine);

        Assert.Equal(MadtStatus.Ok, madt.Status);
        Assert.Equal(cpus, madt.ProcessorCount);
        Assert.Equal(Enumerable.Range(0, cpus).Select(i => (uint)i), madt.Processors.Select(p => p.ApicId));
        Assert.Equal(Enumerable.Range(0, cpus).Select(i => (uint)i), madt.Processors.Select(p => p.ProcessorUid));
        Assert.All(madt.Processors, p => Assert.True(p.IsEnabled && !p.IsX2Apic));
        Assert.Equal(0, madt.UnknownEntryCount);
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void QemuHasOneIoApicTheStandardLocalApicAndPcAtCompatibility(string machine)
    {
        Madt madt = FromDump(machine);

        Assert.Equal(Lapic, madt.LocalApicAddress32);
        Assert.Equal(Lapic, madt.LocalApicAddress);
        Assert.False(madt.HasLocalApicAddressOverride);
        Assert.True(madt.IsPcAtCompatible);
        MadtIoApic ioApic = Assert.Single(madt.IoApics);
        Assert.Equal(0, ioApic.Id);
        Assert.Equal(0xFEC00000u, ioApic.Address);
        Assert.Equal(0u, ioApic.GsiBase);
        Assert.Equal(0, madt.IoApicFor(0));
        Assert.Equal(0, madt.IoApicFor(23));
        Assert.Empty(madt.NmiSources);
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void QemuOverridesTheTimerToGsi2AndMakesThePciIrqsLevelActiveHigh(string machine)
    {
        Madt madt = FromDump(machine);

        Assert.Equal(new[] { (0, 2u, (ushort)0), (5, 5u, LevelActiveHigh), (9, 9u, LevelActiveHigh), (10, 10u, LevelActiveHigh), (11, 11u, LevelActiveHigh) },
            madt.Overrides.Select(o => ((int)o.SourceIrq, o.Gsi, o.Flags)));
        Assert.All(madt.Overrides, o => Assert.Equal(0, o.Bus));
        Assert.Equal(InterruptPolarity.ConformsToBus, madt.Overrides[0].Polarity);
        Assert.Equal(InterruptTriggerMode.ConformsToBus, madt.Overrides[0].TriggerMode);
        Assert.Equal(InterruptPolarity.ActiveHigh, madt.Overrides[2].Polarity);
        Assert.Equal(InterruptTriggerMode.Level, madt.Overrides[2].TriggerMode);

        IsaIrqRoute timer = madt.ResolveIsaIrq(0);
        Assert.True(timer.IsValid && timer.IsOverridden);
        Assert.Equal(2u, timer.Gsi);
        Assert.False(timer.ActiveLow);
        Assert.False(timer.LevelTriggered);

        IsaIrqRoute sci = madt.ResolveIsaIrq(9);
        Assert.Equal(9u, sci.Gsi);
        Assert.False(sci.ActiveLow);
        Assert.True(sci.LevelTriggered);

        IsaIrqRoute keyboard = madt.ResolveIsaIrq(1);
        Assert.True(keyboard.IsValid);
        Assert.False(keyboard.IsOverridden);
        Assert.Equal(1u, keyboard.Gsi);
        Assert.False(keyboard.ActiveLow || keyboard.LevelTriggered || keyboard.IsShadowed);
    }

    [Fact]
    public void QemuWiresNmiToLint1OfEveryProcessor()
    {
        Madt madt = FromDump(AcpiDumpData.Q35FourCpus);

        MadtLocalApicNmi nmi = Assert.Single(madt.LocalApicNmis);
        Assert.True(nmi.AppliesToAllProcessors);
        Assert.Equal(1, nmi.Lint);
        Assert.Equal(InterruptPolarity.ConformsToBus, nmi.Polarity);
        Assert.False(nmi.IsX2Apic);
    }

    [Fact]
    public void Irq2IsShadowedWhenTheTimerIsOverriddenOntoGsi2()
    {
        Madt madt = FromDump(AcpiDumpData.Q35OneCpu);

        IsaIrqRoute cascade = madt.ResolveIsaIrq(2);

        Assert.True(cascade.IsValid);
        Assert.True(cascade.IsShadowed);
        Assert.Equal(2u, cascade.Gsi);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    [InlineData(255)]
    public void NonIsaIrqsDoNotResolve(int irq)
    {
        Assert.False(FromDump(AcpiDumpData.PcOneCpu).ResolveIsaIrq(irq).IsValid);
    }

    [Fact]
    public void ActiveLowOverrideAndNonIsaBusOverride()
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 0, 1, Override(0, 7, 20, LevelActiveLow), Override(1, 8, 21, LevelActiveLow)));

        IsaIrqRoute seven = madt.ResolveIsaIrq(7);
        Assert.Equal(20u, seven.Gsi);
        Assert.True(seven.ActiveLow);
        Assert.True(seven.LevelTriggered);

        IsaIrqRoute eight = madt.ResolveIsaIrq(8); // the override is for bus 1, not ISA
        Assert.False(eight.IsOverridden);
        Assert.Equal(8u, eight.Gsi);
        Assert.False(madt.IsPcAtCompatible);
    }

    [Fact]
    public void LocalApicAddressOverrideWins()
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 1, 1, LocalApic(0, 0, 1), LocalApicAddressOverride(0x1_2345_6000)));

        Assert.Equal(Lapic, madt.LocalApicAddress32);
        Assert.True(madt.HasLocalApicAddressOverride);
        Assert.Equal(0x1_2345_6000UL, madt.LocalApicAddress);
        Assert.Equal(1, madt.ProcessorCount);
    }

    [Fact]
    public void ZeroLengthEntryStopsTheWalkKeepingEarlierEntries()
    {
        byte[] table = MadtTable(Lapic, 1, 1, LocalApic(0, 0, 1), Raw(0, 0, 8), LocalApic(1, 1, 1));

        Madt madt = Madt.Parse(table);

        Assert.Equal(MadtStatus.BadEntryLength, madt.Status);
        Assert.Equal(44 + 8, madt.ErrorOffset);
        Assert.Equal(1, madt.ProcessorCount);
        Assert.Equal("zero-length entry", Madt.StatusName(madt.Status));
    }

    [Fact]
    public void EntryOverrunningTheTableStopsTheWalk()
    {
        byte[] table = MadtTable(Lapic, 1, 1, IoApic(0, 0xFEC00000, 0), Raw(2, 40, 10));

        Madt madt = Madt.Parse(table);

        Assert.Equal(MadtStatus.EntryOverrunsTable, madt.Status);
        Assert.Equal(44 + 12, madt.ErrorOffset);
        Assert.Single(madt.IoApics);
        Assert.Empty(madt.Overrides);
    }

    [Fact]
    public void LoneTrailingByteOverrunsTheTable()
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 1, 1, LocalApic(0, 0, 1), new byte[] { 0 }));

        Assert.Equal(MadtStatus.EntryOverrunsTable, madt.Status);
        Assert.Equal(1, madt.ProcessorCount);
    }

    [Fact]
    public void KnownEntryShorterThanItsStructureStopsTheWalk()
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 1, 1, Raw(1, 8, 8), IoApic(1, 0xFEC01000, 24)));

        Assert.Equal(MadtStatus.EntryTooShort, madt.Status);
        Assert.Empty(madt.IoApics);
    }

    [Fact]
    public void UnknownEntryTypesAreSkippedAndCounted()
    {
        byte[] table = MadtTable(Lapic, 1, 1, Raw(0x7F, 4, 4), LocalApic(0, 0, 1), Raw(0x0B, 80, 80), LocalApic(1, 1, 1));

        Madt madt = Madt.Parse(table);

        Assert.Equal(MadtStatus.Ok, madt.Status);
        Assert.Equal(2, madt.UnknownEntryCount);
        Assert.Equal(2, madt.ProcessorCount);
    }

    [Fact]
    public void LongerEntriesThanTheSpecDescribesAreReadByTheirKnownPrefix()
    {
        byte[] longIoApic = new byte[16];
        IoApic(3, 0xFEC00000, 0).CopyTo(longIoApic, 0);
        longIoApic[1] = 16;

        Madt madt = Madt.Parse(MadtTable(Lapic, 1, 1, longIoApic, LocalApic(0, 0, 1)));

        Assert.Equal(MadtStatus.Ok, madt.Status);
        Assert.Equal(3, madt.IoApics[0].Id);
        Assert.Equal(1, madt.ProcessorCount);
    }

    [Fact]
    public void X2ApicProcessorsAndNmisAreParsed()
    {
        byte[] table = MadtTable(Lapic, 0, 4, X2Apic(0x100, 1, 7), X2Apic(0x101, 0, 8), X2ApicNmi(0x5, 0xFFFFFFFF, 1), X2ApicNmi(0, 7, 0));

        Madt madt = Madt.Parse(table);

        Assert.Equal(1, madt.ProcessorCount);
        Assert.Equal(0x100u, madt.Processors[0].ApicId);
        Assert.Equal(7u, madt.Processors[0].ProcessorUid);
        Assert.True(madt.Processors[0].IsX2Apic);
        Assert.False(madt.Processors[1].IsUsable);
        Assert.True(madt.LocalApicNmis[0].AppliesToAllProcessors);
        Assert.Equal(InterruptPolarity.ActiveHigh, madt.LocalApicNmis[0].Polarity);
        Assert.Equal(InterruptTriggerMode.Edge, madt.LocalApicNmis[0].TriggerMode);
        Assert.False(madt.LocalApicNmis[1].AppliesToAllProcessors);
        Assert.Equal(0, madt.LocalApicNmis[1].Lint);
    }

    [Fact]
    public void NmiSourceIsParsed()
    {
        MadtNmiSource source = Assert.Single(Madt.Parse(MadtTable(Lapic, 0, 1, NmiSource(LevelActiveLow, 17))).NmiSources);

        Assert.Equal(17u, source.Gsi);
        Assert.Equal(LevelActiveLow, source.Flags);
    }

    [Theory]
    [InlineData(5, 2u, true)]   // disabled, online capable, MADT 6.3+: usable later
    [InlineData(4, 2u, false)]  // before revision 5 bit 1 is reserved
    [InlineData(45, 2u, false)] // ACPI 6.2 errata B's revision 45 predates the bit
    [InlineData(5, 0u, false)]  // disabled and not online capable: ignore
    [InlineData(1, 1u, true)]   // enabled
    public void ProcessorCountHonoursOnlineCapableOnlyWhereDefined(byte revision, uint flags, bool counted)
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 1, revision, LocalApic(0, 0, 1), LocalApic(1, 1, flags)));

        Assert.Equal(counted ? 2 : 1, madt.ProcessorCount);
    }

    [Fact]
    public void IoApicForPicksTheHighestBaseAtOrBelowTheGsi()
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 0, 1, IoApic(2, 0xFEC01000, 24), IoApic(1, 0xFEC00000, 0), IoApic(3, 0xFEC02000, 48)));

        Assert.Equal(1, madt.IoApicFor(0));
        Assert.Equal(1, madt.IoApicFor(23));
        Assert.Equal(0, madt.IoApicFor(24));
        Assert.Equal(2, madt.IoApicFor(100));
        Assert.Equal(-1, Madt.Parse(MadtTable(Lapic, 0, 1, IoApic(1, 0xFEC00000, 8))).IoApicFor(7));
    }

    [Fact]
    public void WrongSignatureOrTooShortTableParsesNothing()
    {
        byte[] hpet = Sdt("HPET", new byte[20]);
        Assert.Equal(MadtStatus.BadSignature, Madt.Parse(hpet).Status);
        Assert.Equal(MadtStatus.TooShort, Madt.Parse(Sdt("APIC", new byte[4])).Status);
        Assert.Equal(MadtStatus.TooShort, Madt.Parse(default).Status);

        byte[] truncated = MadtTable(Lapic, 1, 1, LocalApic(0, 0, 1));
        Madt madt = Madt.Parse(truncated.AsSpan(0, truncated.Length - 4));
        Assert.Equal(MadtStatus.TooShort, madt.Status);
        Assert.Empty(madt.Processors);
        Assert.Equal(0, madt.ProcessorCount);
    }
}
