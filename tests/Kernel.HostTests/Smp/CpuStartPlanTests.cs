// Tests for CpuStartPlan: QEMU's real MADTs and synthetic ones (AcpiTableBuilder) with disabled, online-capable,
// x2APIC, duplicated and unlisted processors, cpus=N and smp=off; plus a property over random processor lists.
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.Acpi;
using Kernel.HostTests.Acpi;
using Kernel.HostTests.PropertyTesting;
using Kernel.Smp;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Smp;

public class CpuStartPlanTests
{
    private const uint Lapic = 0xFEE00000;
    private const uint Enabled = 1;
    private const uint OnlineCapable = 2;
    private const byte Acpi63Revision = 5;

    private static readonly CpuStartOptions All = new CpuStartOptions(true, 0, false);
    private static readonly CpuStartOptions AllX2Apic = new CpuStartOptions(true, 0, true);

    private static MadtProcessor[] Processors(byte revision, params byte[][] entries)
    {
        Madt madt = Madt.Parse(MadtTable(Lapic, 1, revision, entries));
        Assert.Equal(MadtStatus.Ok, madt.Status);
        return madt.Processors;
    }

    private static CpuStartDecision[] Decisions(CpuStartPlan plan) => plan.Cpus.Select(c => c.Decision).ToArray();

    private static uint[] ApicIds(CpuStartPlan plan) => plan.Cpus.Select(c => c.ApicId).ToArray();

    private static int[] LogicalIndices(CpuStartPlan plan) => plan.Cpus.Select(c => c.LogicalIndex).ToArray();

    [Theory]
    [InlineData(AcpiDumpData.Q35FourCpus, 3)]
    [InlineData(AcpiDumpData.PcFourCpus, 3)]
    [InlineData(AcpiDumpData.Q35OneCpu, 0)]
    [InlineData(AcpiDumpData.PcOneCpu, 0)]
    public void QemusMadtStartsEveryOtherCpu(string machine, int toStart)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        Madt madt = Madt.Parse(AcpiTables.Discover(dump.RsdpAddress, dump.Memory).Find(Madt.Signature));

        CpuStartPlan plan = CpuStartPlan.Create(madt.Processors, 0, All);

        Assert.Equal(toStart, plan.StartCount);
        Assert.Equal(Enumerable.Range(0, toStart + 1), LogicalIndices(plan).Where(i => i >= 0));
        Assert.Equal(CpuStartDecision.Boot, plan.Cpus[0].Decision);
        Assert.True(plan.BootCpuListed);
    }

    [Fact]
    public void BootEnabledAndOnlineCapableProcessors()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision,
            LocalApic(0, 0, Enabled), LocalApic(1, 1, Enabled), LocalApic(2, 2, Enabled), LocalApic(3, 3, OnlineCapable));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Start, CpuStartDecision.Start, CpuStartDecision.HotAddSlot }, Decisions(plan));
        Assert.Equal(new[] { 0, 1, 2, -1 }, LogicalIndices(plan));
        Assert.Equal(new[] { 0, 1, 2, 3 }, plan.Cpus.Select(c => c.MadtIndex));
        Assert.Equal((2, 3, 1), (plan.StartCount, plan.RunningCount, plan.HotAddSlotCount));
        Assert.Equal("cpus: 4 listed, 1 boot + 2 to start, 1 hot-add slot, 0 skipped", plan.Summary());
    }

    [Fact]
    public void DisabledProcessorIsNeverStarted()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), LocalApic(1, 1, 0), LocalApic(2, 2, Enabled));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Disabled, CpuStartDecision.Start }, Decisions(plan));
        Assert.Equal(new[] { 0, -1, 1 }, LogicalIndices(plan));
        Assert.Equal("cpus: 3 listed, 1 boot + 1 to start, 0 hot-add slots, 0 skipped, 1 disabled", plan.Summary());
    }

    [Fact]
    public void OnlineCapableBitBeforeAcpi63IsReservedSoTheSlotIsDisabled()
    {
        MadtProcessor[] processors = Processors(4, LocalApic(0, 0, Enabled), LocalApic(1, 1, OnlineCapable));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(CpuStartDecision.Disabled, plan.Cpus[1].Decision);
        Assert.Equal(0, plan.HotAddSlotCount);
    }

    [Fact]
    public void X2ApicId300StartsOnlyWithX2Apic()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), X2Apic(300, Enabled, 1));

        CpuStartPlan withX2Apic = CpuStartPlan.Create(processors, 0, AllX2Apic);
        CpuStartPlan withoutX2Apic = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Start }, Decisions(withX2Apic));
        Assert.Equal(300u, withX2Apic.Cpus[1].ApicId);
        Assert.True(withX2Apic.Cpus[1].IsX2ApicEntry);
        Assert.Equal(1, withX2Apic.LogicalIndexOf(300));
        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Unreachable }, Decisions(withoutX2Apic));
        Assert.Equal(-1, withoutX2Apic.LogicalIndexOf(300));
        Assert.Equal("cpus: 2 listed, 1 boot + 0 to start, 0 hot-add slots, 0 skipped, 1 unreachable without x2APIC", withoutX2Apic.Summary());
    }

    [Theory]
    [InlineData(0xFEu, false, true)]
    [InlineData(0xFFu, false, false)]
    [InlineData(0xFFu, true, true)]
    [InlineData(0xFFFF_FFFEu, true, true)]
    [InlineData(0xFFFF_FFFFu, true, false)]
    public void ReachableApicIds(uint apicId, bool x2Apic, bool reachable)
    {
        Assert.Equal(reachable, CpuStartPlan.IsReachable(apicId, x2Apic));
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), X2Apic(apicId, Enabled, 1));
        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, new CpuStartOptions(true, 0, x2Apic));
        Assert.Equal(reachable ? CpuStartDecision.Start : CpuStartDecision.Unreachable, plan.Cpus[1].Decision);
    }

    [Fact]
    public void CpuListedAsXApicAndX2ApicStartsOnce()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision,
            LocalApic(0, 0, Enabled), LocalApic(1, 1, Enabled), X2Apic(0, Enabled, 0), X2Apic(1, Enabled, 1), X2Apic(2, Enabled, 2));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Start, CpuStartDecision.Duplicate, CpuStartDecision.Duplicate, CpuStartDecision.Start },
            Decisions(plan));
        Assert.Equal(new[] { 0u, 1u, 0u, 1u, 2u }, ApicIds(plan));
        Assert.Equal(new[] { 0, 1, -1, -1, 2 }, LogicalIndices(plan));
        Assert.Equal("cpus: 5 listed, 1 boot + 2 to start, 0 hot-add slots, 0 skipped, 2 duplicates", plan.Summary());
    }

    [Fact]
    public void DuplicatePrefersTheEnabledEntry()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), LocalApic(5, 5, 0), X2Apic(5, Enabled, 5));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.Duplicate, CpuStartDecision.Start }, Decisions(plan));
        Assert.Equal(2, plan.Cpus[2].MadtIndex);
    }

    [Fact]
    public void BootCpuComesFirstAndTheRestKeepMadtOrder()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision,
            LocalApic(10, 4, Enabled), LocalApic(11, 6, Enabled), LocalApic(12, 2, Enabled), LocalApic(13, 8, Enabled));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 6, All);

        Assert.Equal(new[] { 6u, 4u, 2u, 8u }, ApicIds(plan));
        Assert.Equal(new[] { 1, 0, 2, 3 }, plan.Cpus.Select(c => c.MadtIndex));
        Assert.Equal(new[] { 0, 1, 2, 3 }, LogicalIndices(plan));
        Assert.Equal(11u, plan.Cpus[0].ProcessorUid);
    }

    [Fact]
    public void BootCpuMissingFromTheMadtIsStillCpu0()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(1, 1, Enabled), LocalApic(2, 2, Enabled));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, All);

        Assert.False(plan.BootCpuListed);
        Assert.Equal(new[] { 0u, 1u, 2u }, ApicIds(plan));
        Assert.Equal(-1, plan.Cpus[0].MadtIndex);
        Assert.Equal(new[] { 0, 1, 2 }, LogicalIndices(plan));
        Assert.Equal("cpus: 2 listed, 1 boot + 2 to start, 0 hot-add slots, 0 skipped, boot CPU not in the MADT", plan.Summary());
    }

    [Fact]
    public void NoProcessorsAtAllIsJustTheBootCpu()
    {
        CpuStartPlan plan = CpuStartPlan.Create(null, 3, All);

        PlannedCpu boot = Assert.Single(plan.Cpus);
        Assert.Equal((3u, CpuStartDecision.Boot, 0), (boot.ApicId, boot.Decision, boot.LogicalIndex));
        Assert.Equal(0, plan.ListedCount);
    }

    [Fact]
    public void CpusOneRunsOnlyTheBootCpu()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), LocalApic(1, 1, Enabled), LocalApic(2, 2, OnlineCapable));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, new CpuStartOptions(true, 1, false));

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.SkippedByLimit, CpuStartDecision.HotAddSlot }, Decisions(plan));
        Assert.Equal("cpus: 3 listed, 1 boot + 0 to start, 1 hot-add slot, 1 skipped (cpus=1)", plan.Summary());
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(1024, 3)]
    [InlineData(0, 3)]
    public void CpusNCountsTheBootCpu(int limit, int toStart)
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 3, Enabled), LocalApic(1, 0, Enabled), LocalApic(2, 1, Enabled), LocalApic(3, 2, Enabled));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, new CpuStartOptions(true, limit, false));

        Assert.Equal(toStart, plan.StartCount);
        Assert.Equal(3 - toStart, plan.SkippedCount);
        // The first ones in MADT order are started.
        Assert.Equal(new[] { 3u, 1u, 2u }.Take(toStart), plan.Cpus.Where(c => c.Decision == CpuStartDecision.Start).Select(c => c.ApicId));
    }

    [Fact]
    public void SmpOffRunsOnlyTheBootCpuWhateverCpusSays()
    {
        MadtProcessor[] processors = Processors(Acpi63Revision, LocalApic(0, 0, Enabled), LocalApic(1, 1, Enabled), LocalApic(2, 2, Enabled));

        CpuStartPlan plan = CpuStartPlan.Create(processors, 0, new CpuStartOptions(false, 3, false));

        Assert.Equal(new[] { CpuStartDecision.Boot, CpuStartDecision.SkippedByLimit, CpuStartDecision.SkippedByLimit }, Decisions(plan));
        Assert.Equal("cpus: 3 listed, 1 boot + 0 to start, 0 hot-add slots, 2 skipped (smp=off)", plan.Summary());
    }

    [Fact]
    public void EveryDecisionHasAName()
    {
        foreach (CpuStartDecision decision in System.Enum.GetValues<CpuStartDecision>())
            Assert.NotEqual("unknown", CpuStartPlan.DecisionName(decision));
    }

    // A processor as the parser makes it: Online Capable only when Enabled is clear.
    private static readonly Gen<MadtProcessor> GenProcessor =
        Gen.Select(Gen.OneOf(Gen.UInt[0, 12], Gen.UInt[250, 260], Gen.Const(0xFFFF_FFFFu)), Gen.UInt[0, 3], Gen.Bool, Gen.UInt[0, 20],
            (apicId, flags, x2Apic, uid) => new MadtProcessor(uid, apicId, flags, x2Apic, (flags & 1) == 0 && (flags & 2) != 0));

    private static string Print((MadtProcessor[] Processors, uint Boot, bool Smp, int Limit, bool X2Apic) input) =>
        "boot " + input.Boot + " smp " + input.Smp + " cpus " + input.Limit + " x2apic " + input.X2Apic + ": "
        + string.Join(", ", input.Processors.Select(p => p.ApicId + "/" + p.Flags + (p.IsX2Apic ? "x2" : "")));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void PlanStartsEachUsableCpuOnceWithinTheLimit()
    {
        Gen.Select(GenProcessor.Array[0, 24], Gen.UInt[0, 12], Gen.Bool, Gen.Int[0, 8], Gen.Bool).ForAll((processors, boot, smp, limit, x2Apic) =>
        {
            CpuStartPlan plan = CpuStartPlan.Create(processors, boot, new CpuStartOptions(smp, limit, x2Apic));
            PlannedCpu[] cpus = plan.Cpus;

            // Boot CPU first, every MADT entry exactly once, the rest in MADT order.
            Assert.Equal((boot, CpuStartDecision.Boot, 0), (cpus[0].ApicId, cpus[0].Decision, cpus[0].LogicalIndex));
            Assert.Equal(processors.Length + (plan.BootCpuListed ? 0 : 1), cpus.Length);
            int[] madtOrder = cpus.Skip(1).Select(c => c.MadtIndex).ToArray();
            Assert.Equal(madtOrder.OrderBy(i => i), madtOrder);
            Assert.Equal(Enumerable.Range(0, processors.Length), cpus.Select(c => c.MadtIndex).Where(i => i >= 0).OrderBy(i => i));
            Assert.Single(cpus, c => c.Decision == CpuStartDecision.Boot);

            PlannedCpu[] running = cpus.Where(c => c.Runs).ToArray();
            // Never a CPU twice, never one that cannot or may not run.
            Assert.Equal(running.Length, running.Select(c => c.ApicId).Distinct().Count());
            foreach (PlannedCpu cpu in cpus.Where(c => c.Decision == CpuStartDecision.Start))
            {
                MadtProcessor entry = processors[cpu.MadtIndex];
                Assert.True(entry.IsEnabled);
                Assert.True(CpuStartPlan.IsReachable(entry.ApicId, x2Apic));
                Assert.NotEqual(boot, entry.ApicId);
            }

            foreach (PlannedCpu cpu in cpus.Where(c => c.MadtIndex >= 0 && !processors[c.MadtIndex].IsEnabled))
                Assert.True(cpu.Decision == CpuStartDecision.Duplicate || cpu.Decision == CpuStartDecision.HotAddSlot
                    || cpu.Decision == CpuStartDecision.Disabled || cpu.Decision == CpuStartDecision.Boot);

            // cpus=N (boot included) and smp=off respected; indices dense 0..n-1, in plan order.
            int cap = !smp ? 1 : limit == 0 ? int.MaxValue : limit;
            Assert.True(running.Length <= cap);
            Assert.Equal(Enumerable.Range(0, running.Length), running.Select(c => c.LogicalIndex));
            Assert.All(cpus.Where(c => !c.Runs), c => Assert.Equal(-1, c.LogicalIndex));
            Assert.Equal(running.Length, plan.RunningCount);

            // Skipped only when the limit was reached, and every enabled reachable distinct CPU is accounted for.
            if (plan.SkippedCount > 0)
                Assert.Equal(cap, running.Length);
            HashSet<uint> startable = new HashSet<uint>(processors.Where(p => p.IsEnabled && p.ApicId != boot
                && CpuStartPlan.IsReachable(p.ApicId, x2Apic)).Select(p => p.ApicId));
            Assert.Equal(startable.Count, plan.StartCount + plan.SkippedCount);
            Assert.Equal(processors.Length, plan.StartCount + plan.SkippedCount + plan.HotAddSlotCount + plan.DisabledCount
                + plan.UnreachableCount + plan.DuplicateCount + (plan.BootCpuListed ? 1 : 0));
        }, iterations: 1000, print: Print);
    }
}
