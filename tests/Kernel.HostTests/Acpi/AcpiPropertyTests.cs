// Properties of the ACPI parsers: no input makes them throw, whatever the firmware hands over (mutations of QEMU's
// real tables, captured by scripts/capture-acpi.sh), and well-formed generated tables parse back to what was written.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.Acpi;
using Kernel.HostTests.PropertyTesting;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

public class AcpiPropertyTests
{
    private static readonly string[] Dumps =
        { AcpiDumpData.Q35OneCpu, AcpiDumpData.Q35FourCpus, AcpiDumpData.PcOneCpu, AcpiDumpData.PcFourCpus };

    private static readonly Lazy<AcpiDumpData[]> s_dumps = new(() => Dumps.Select(AcpiDumpData.Load).ToArray());

    /// <summary>One captured table of each dump with the given signature, and a mutation of it.</summary>
    private static Gen<(string Dump, byte[] Original, ByteMutation Mutation)> MutatedCaptured(string signature)
    {
        var tables = s_dumps.Value.Select((dump, i) => (Dumps[i], dump.Bytes(signature))).Where(t => t.Item2 != null).ToArray();
        return Gen.Int[0, tables.Length - 1].SelectMany(i =>
            ByteMutation.Of(tables[i].Item2.Length).Select(m => (tables[i].Item1, tables[i].Item2, m)));
    }

    private static string PrintMutation((string Dump, byte[] Original, ByteMutation Mutation) t) => $"{t.Dump}: {t.Mutation}";

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedCapturedMadtsNeverThrowAndAlwaysHaveAStatus()
    {
        MutatedCaptured("APIC").ForAll((dump, original, mutation) =>
        {
            Madt madt = Madt.Parse(mutation.Apply(original));

            Assert.True(Enum.IsDefined(madt.Status), $"status {madt.Status}");
            Assert.NotNull(madt.Processors);
            Assert.NotNull(madt.IoApics);
            Assert.NotNull(madt.Overrides);
            Assert.NotNull(madt.NmiSources);
            Assert.NotNull(madt.LocalApicNmis);
            Assert.NotNull(Madt.StatusName(madt.Status));
            Assert.NotNull(madt.Summary());
            for (int irq = 0; irq < 16; irq++)
                madt.ResolveIsaIrq(irq);
        }, iterations: 300, print: PrintMutation);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedCapturedFadtsNeverThrowAndAlwaysHaveAStatus()
    {
        MutatedCaptured("FACP").ForAll((dump, original, mutation) =>
        {
            Fadt fadt = Fadt.Parse(mutation.Apply(original));

            Assert.True(Enum.IsDefined(fadt.Status), $"status {fadt.Status}");
            Assert.NotNull(Fadt.StatusName(fadt.Status));
            if (fadt.Status != FadtStatus.Ok)
                Assert.False(fadt.ResetRegisterSupported, "a rejected FADT offers no reset register");
        }, iterations: 300, print: PrintMutation);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedCapturedMcfgsNeverThrowAndOnlyListWholeWindows()
    {
        MutatedCaptured("MCFG").ForAll((dump, original, mutation) =>
        {
            Mcfg mcfg = Mcfg.Parse(mutation.Apply(original));

            Assert.True(Enum.IsDefined(mcfg.Status), $"status {mcfg.Status}");
            Assert.NotNull(mcfg.DescribeStatus());
            Assert.All(mcfg.Entries, e => Assert.True(e.EndBus >= e.StartBus && (e.BaseAddress & 0xFFFFF) == 0));
        }, iterations: 300, print: PrintMutation);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void DiscoveryNeverThrowsOnMutatedRsdpsAndRootTables()
    {
        // Which structure to damage: the RSDP, or the XSDT (or RSDT) it points to, in one of the captured machines.
        Gen<(int Dump, string Target, ByteMutation Mutation)> damage =
            Gen.Select(Gen.Int[0, Dumps.Length - 1], Gen.OneOf(Gen.Const("RSDP"), Gen.Const("XSDT"), Gen.Const("RSDT")))
                .SelectMany((dump, target) => ByteMutation.Of(Target(s_dumps.Value[dump], target).Length)
                    .Select(m => (dump, target, m)));

        damage.ForAll((dumpIndex, target, mutation) =>
        {
            AcpiDumpData dump = AcpiDumpData.Load(Dumps[dumpIndex]);
            ulong address = target == "RSDP" ? dump.RsdpAddress : dump.AddressOf(target);
            if (address == 0 && target != "RSDP")
                return; // this machine has no such table
            dump.Memory.Add(address, mutation.Apply(dump.Memory.RegionAt(address)));

            AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

            Assert.True(Enum.IsDefined(tables.RsdpStatus));
            Assert.True(tables.Count >= 0 && tables.Count <= AcpiTables.MaxTables);
            for (int i = 0; i < tables.Count; i++)
            {
                Assert.True(Enum.IsDefined(tables[i].Status));
                if (tables[i].IsValid)
                    Assert.Equal((int)tables[i].Length, tables.TableBytes(i).Length);
            }
            Assert.NotNull(tables.Summary());
            Assert.NotNull(tables.DescribeRsdp());
        }, iterations: 300, print: t => $"{Dumps[t.Item1]}, {t.Item2}: {t.Item3}");
    }

    private static byte[] Target(AcpiDumpData dump, string target) =>
        target == "RSDP" ? dump.Memory.RegionAt(dump.RsdpAddress) : dump.Bytes(target) ?? Array.Empty<byte>();

    // ---- round trips ------------------------------------------------------------------------------------------

    /// <summary>A MADT entry the round trip writes: a processor's local APIC, an I/O APIC, or an ISA override.</summary>
    public abstract record MadtEntrySpec;

    public sealed record LocalApicSpec(byte Uid, byte ApicId) : MadtEntrySpec;

    public sealed record IoApicSpec(byte Id, uint Address, uint GsiBase) : MadtEntrySpec;

    public sealed record OverrideSpec(byte Irq, uint Gsi, ushort Flags) : MadtEntrySpec;

    private static readonly Gen<MadtEntrySpec> MadtEntry = Gen.OneOf(
        Gen.Select(Gen.Byte, Gen.Byte, (uid, id) => (MadtEntrySpec)new LocalApicSpec(uid, id)),
        Gen.Select(Gen.Byte, Gen.UInt, Gen.UInt, (id, address, gsi) => (MadtEntrySpec)new IoApicSpec(id, address, gsi)),
        Gen.Select(Gen.Byte[0, 15], Gen.UInt[0, 255], Gen.UShort[0, 15], (irq, gsi, flags) => (MadtEntrySpec)new OverrideSpec(irq, gsi, flags)));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void WellFormedMadtsParseBackAsWritten()
    {
        Gen.Select(Gen.UInt, MadtEntry.Array[0, 40]).ForAll((localApicAddress, entries) =>
        {
            byte[][] raw = entries.Select(e => e switch
            {
                LocalApicSpec p => LocalApic(p.Uid, p.ApicId, Madt.LocalApicEnabled),
                IoApicSpec io => IoApic(io.Id, io.Address, io.GsiBase),
                OverrideSpec o => Override(0, o.Irq, o.Gsi, o.Flags),
                _ => throw new InvalidOperationException(),
            }).ToArray();

            Madt madt = Madt.Parse(MadtTable(localApicAddress, 1, 3, raw));

            Assert.Equal(MadtStatus.Ok, madt.Status);
            Assert.Equal(localApicAddress, madt.LocalApicAddress);
            Assert.Equal(entries.OfType<LocalApicSpec>().Select(p => ((uint)p.Uid, (uint)p.ApicId)),
                madt.Processors.Select(p => (p.ProcessorUid, p.ApicId)));
            Assert.Equal(entries.OfType<IoApicSpec>().Select(io => (io.Id, io.Address, io.GsiBase)),
                madt.IoApics.Select(io => (io.Id, io.Address, io.GsiBase)));
            Assert.Equal(entries.OfType<OverrideSpec>().Select(o => (o.Irq, o.Gsi, o.Flags)),
                madt.Overrides.Select(o => (o.SourceIrq, o.Gsi, o.Flags)));
        }, print: t => $"local APIC at 0x{t.Item1:X}, entries [{string.Join(", ", t.Item2.AsEnumerable())}]");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void WellFormedFadtsParseBackAsWritten()
    {
        // Revision 3 and later at the full ACPI 2.0 length carry every field the parser reads.
        Gen.Select(Gen.Byte[3, 6], Gen.UShort, Gen.UInt, Gen.UShort).ForAll((revision, bootFlags, flags, sci) =>
        {
            Fadt fadt = Fadt.Parse(FadtTable(revision, 244, bootFlags, flags, sci));

            Assert.Equal(FadtStatus.Ok, fadt.Status);
            Assert.Equal(revision, fadt.Revision);
            Assert.Equal(sci, fadt.SciInterrupt);
            Assert.Equal(flags, fadt.Flags);
            Assert.True(fadt.BootArchitectureKnown);
            Assert.Equal(bootFlags, fadt.BootArchitectureFlags);
        });
    }
}
