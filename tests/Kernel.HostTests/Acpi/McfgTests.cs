// Tests for Mcfg: QEMU q35's real MCFG (pc has none), synthetic tables for each way one can be malformed, and
// properties: well-formed entries parse back as written, and no input makes the parser throw.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.Acpi;
using Kernel.HostTests.PropertyTesting;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

public class McfgTests
{
    private const int ReservedLength = 8;

    /// <summary>An MCFG: header, 8 reserved bytes, then one 16-byte structure per entry (reserved bytes set to 0xEE).</summary>
    private static byte[] Table(params (ulong Base, ushort Segment, byte StartBus, byte EndBus)[] entries)
    {
        var body = new List<byte>(new byte[ReservedLength]);
        foreach (var (baseAddress, segment, startBus, endBus) in entries)
        {
            body.AddRange(BitConverter.GetBytes(baseAddress));
            body.AddRange(BitConverter.GetBytes(segment));
            body.Add(startBus);
            body.Add(endBus);
            body.AddRange(new byte[] { 0xEE, 0xEE, 0xEE, 0xEE });
        }

        return Sdt(Mcfg.Signature, body.ToArray());
    }

    private static void SetLength(byte[] table, uint length) => BitConverter.GetBytes(length).CopyTo(table, 4);

    // ---- QEMU ---------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    public void Q35HasOneEcamWindowForAllOfSegmentZeroAt0xB0000000(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        Mcfg mcfg = Mcfg.Parse(tables.Find(Mcfg.Signature));

        Assert.Equal(McfgStatus.Ok, mcfg.Status);
        Assert.Equal(-1, mcfg.ErrorIndex);
        McfgEntry entry = Assert.Single(mcfg.Entries);
        Assert.Equal(0xB000_0000UL, entry.BaseAddress);
        Assert.Equal(0, entry.Segment);
        Assert.Equal(0, entry.StartBus);
        Assert.Equal(255, entry.EndBus);
        Assert.True(mcfg.TryFindSegment(0, out McfgEntry found));
        Assert.Equal(entry.BaseAddress, found.BaseAddress);
        Assert.False(mcfg.TryFindSegment(1, out _));
        Assert.Equal("MCFG ok", mcfg.DescribeStatus());
    }

    [Theory]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void PcHasNoMcfgAndParsingNothingIsTooShort(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        ReadOnlySpan<byte> none = AcpiTables.Discover(dump.RsdpAddress, dump.Memory).Find(Mcfg.Signature);

        Assert.True(none.IsEmpty);
        Mcfg mcfg = Mcfg.Parse(none);
        Assert.Equal(McfgStatus.TooShort, mcfg.Status);
        Assert.Empty(mcfg.Entries);
        Assert.False(mcfg.TryFindSegment(0, out _));
    }

    // ---- malformed tables ----------------------------------------------------------------------------------------

    [Fact]
    public void ATableCutShortOfItsDeclaredLengthIsTooShort()
    {
        byte[] table = AcpiDumpData.Load(AcpiDumpData.Q35OneCpu).Bytes(Mcfg.Signature);

        for (int length = 0; length < table.Length; length++)
        {
            Mcfg mcfg = Mcfg.Parse(table.AsSpan(0, length));
            Assert.Equal(McfgStatus.TooShort, mcfg.Status);
            Assert.Empty(mcfg.Entries);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(36u)]
    [InlineData(43u)]
    public void ADeclaredLengthShorterThanTheReservedFieldIsTooShort(uint length)
    {
        byte[] table = Table((0xB000_0000, 0, 0, 255));
        SetLength(table, length);

        Assert.Equal(McfgStatus.TooShort, Mcfg.Parse(Resum(table)).Status);
    }

    [Fact]
    public void AnotherSignatureIsRejected()
    {
        byte[] table = Table((0xB000_0000, 0, 0, 255));
        table[0] = (byte)'X';

        Mcfg mcfg = Mcfg.Parse(Resum(table));

        Assert.Equal(McfgStatus.BadSignature, mcfg.Status);
        Assert.Empty(mcfg.Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(15)]
    public void EntryBytesThatAreNotAMultipleOf16LeaveAPartialEntryAndKeepTheWholeOnes(int extra)
    {
        byte[] whole = Table((0xB000_0000, 0, 0, 255));
        byte[] table = Sdt(Mcfg.Signature, whole.Skip(HeaderLength).Concat(new byte[extra]).ToArray());

        Mcfg mcfg = Mcfg.Parse(table);

        Assert.Equal(McfgStatus.PartialEntry, mcfg.Status);
        Assert.Equal(0xB000_0000UL, Assert.Single(mcfg.Entries).BaseAddress);
        Assert.Equal("MCFG: partial entry at the end", mcfg.DescribeStatus());
    }

    [Fact]
    public void ATableWithNoEntriesSaysSo()
    {
        Mcfg mcfg = Mcfg.Parse(Table());

        Assert.Equal(McfgStatus.NoEntries, mcfg.Status);
        Assert.Empty(mcfg.Entries);
        Assert.False(mcfg.TryFindSegment(0, out _));
    }

    [Fact]
    public void AnEntryEndingBeforeItStartsIsSkippedAndNamed()
    {
        Mcfg mcfg = Mcfg.Parse(Table((0xB000_0000, 0, 0, 255), (0xC000_0000, 1, 0x20, 0x1F)));

        Assert.Equal(McfgStatus.EmptyBusRange, mcfg.Status);
        Assert.Equal(1, mcfg.ErrorIndex);
        Assert.Equal(0, Assert.Single(mcfg.Entries).Segment);
        Assert.False(mcfg.TryFindSegment(1, out _));
        Assert.Equal("MCFG: end bus below start bus (entry 1)", mcfg.DescribeStatus());
    }

    [Fact]
    public void AOneBusRangeIsFine()
    {
        Mcfg mcfg = Mcfg.Parse(Table((0xE000_0000, 0, 7, 7)));

        Assert.Equal(McfgStatus.Ok, mcfg.Status);
        Assert.Equal(7, Assert.Single(mcfg.Entries).EndBus);
    }

    [Theory]
    [InlineData(0xB000_1000UL)]
    [InlineData(0xB008_0000UL)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL)]
    public void ABaseOffA1MiBBoundaryIsSkippedAndNamed(ulong baseAddress)
    {
        Mcfg mcfg = Mcfg.Parse(Table((baseAddress, 0, 0, 255)));

        Assert.Equal(McfgStatus.MisalignedBase, mcfg.Status);
        Assert.Equal(0, mcfg.ErrorIndex);
        Assert.Empty(mcfg.Entries);
    }

    [Fact]
    public void TheFirstEntryForASegmentIsTheOneFound()
    {
        Mcfg mcfg = Mcfg.Parse(Table((0x8000_0000, 1, 0, 63), (0xB000_0000, 0, 0, 127), (0xD000_0000, 0, 128, 255)));

        Assert.True(mcfg.TryFindSegment(0, out McfgEntry entry));
        Assert.Equal(0xB000_0000UL, entry.BaseAddress);
        Assert.Equal(127, entry.EndBus);
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void WellFormedEntriesParseBackAsWritten()
    {
        Gen<(ulong, ushort, byte, byte)> entry =
            Gen.Select(Gen.ULong[0, (1UL << 44) - 1], Gen.UShort, Gen.Byte, Gen.Byte)
                .Select((mebibytes, segment, a, b) => (mebibytes << 20, segment, Math.Min(a, b), Math.Max(a, b)));

        entry.Array[1, 12].ForAll(entries =>
        {
            Mcfg mcfg = Mcfg.Parse(Table(entries));

            Assert.Equal(McfgStatus.Ok, mcfg.Status);
            Assert.Equal(entries, mcfg.Entries.Select(e => (e.BaseAddress, e.Segment, e.StartBus, e.EndBus)).ToArray());
        });
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void NoInputMakesTheParserThrow()
    {
        // Random bytes, and random bytes behind a real signature and a length anywhere near the buffer's.
        Gen<byte[]> anything = Gen.Byte.Array[0, 120];
        Gen<byte[]> plausible = Gen.Select(Gen.Byte.Array[0, 120], Gen.Int[-8, 8]).Select((bytes, slack) =>
        {
            byte[] table = new byte[Math.Max(bytes.Length, 8)];
            bytes.CopyTo(table, 0);
            "MCFG"u8.ToArray().CopyTo(table, 0);
            BitConverter.GetBytes((uint)Math.Max(0, table.Length + slack)).CopyTo(table, 4);
            return table;
        });

        Gen.OneOf(anything, plausible).ForAll(bytes =>
        {
            Mcfg mcfg = Mcfg.Parse(bytes);

            Assert.NotNull(mcfg.Entries);
            Assert.True(Enum.IsDefined(mcfg.Status));
            Assert.All(mcfg.Entries, e => Assert.True(e.EndBus >= e.StartBus && (e.BaseAddress & 0xFFFFF) == 0));
        }, iterations: 2000);
    }
}
