// Tests for AcpiTables.Discover on the tables the root lists: each problem is reported against its table, which
// is skipped while the others still parse.
using System;
using System.Linq;
using Kernel.Acpi;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;
using static Kernel.HostTests.Acpi.SyntheticAcpi;

namespace Kernel.HostTests.Acpi;

public class AcpiTableValidationTests
{
    [Fact]
    public void TableWithBadChecksumIsReportedBySignatureAndSkippedWhileOthersParse()
    {
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.Q35FourCpus);
        dump.Memory.RegionAt(dump.AddressOf("HPET"))[40] ^= 0x55;

        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        AcpiTableInfo hpet = tables[Array.IndexOf(Signatures(tables), "HPET")];
        Assert.Equal(AcpiTableStatus.BadChecksum, hpet.Status);
        Assert.False(hpet.IsValid);
        Assert.Equal("ACPI table HPET at 0xfb77000: bad checksum, skipped", hpet.Describe());
        Assert.Equal(-1, tables.IndexOf("HPET"));
        Assert.True(tables.Find("HPET").IsEmpty);
        Assert.Equal(1, tables.ProblemCount);
        Assert.Equal(4, Madt.Parse(tables.Find("APIC")).ProcessorCount);
        Assert.Equal(6, tables.Count);
    }

    [Fact]
    public void TableLongerThanReadableMemoryIsTruncated()
    {
        byte[] hpet = Hpet();
        BitConverter.GetBytes(200u).CopyTo(hpet, 4); // the region holds only 56 bytes
        FakePhysicalMemory memory = Machine(2, Resum(hpet), SimpleMadt());

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.Truncated, tables[0].Status);
        Assert.Equal(200u, tables[0].Length);
        Assert.Equal(AcpiTableStatus.Ok, tables[1].Status);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(35u)]
    [InlineData(AcpiTables.MaxTableLength + 1)]
    [InlineData(0xFFFFFFFFu)]
    public void TableWithImpossibleLengthIsBadLength(uint length)
    {
        byte[] hpet = Hpet();
        BitConverter.GetBytes(length).CopyTo(hpet, 4);
        FakePhysicalMemory memory = Machine(2, hpet, SimpleMadt());

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.BadLength, tables[0].Status);
        Assert.Equal("HPET", tables[0].Signature);
        Assert.True(tables[1].IsValid);
    }

    [Fact]
    public void TableWithUnprintableSignatureIsBadSignature()
    {
        byte[] junk = Sdt("\u0001\u0002AB", new byte[8]);
        FakePhysicalMemory memory = Machine(2, junk);

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.BadSignature, tables[0].Status);
        Assert.Equal("??AB", tables[0].Signature);
    }

    [Fact]
    public void UnreadableAndNullEntriesAreReportedAndSkipped()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        memory.Add(XsdtAt, Xsdt(0, 0xBAD000, FirstTableAt));

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(3, tables.Count);
        Assert.Equal(AcpiTableStatus.Missing, tables[0].Status);
        Assert.Equal(AcpiTableStatus.Unreadable, tables[1].Status);
        Assert.Equal(0xBAD000UL, tables[1].PhysicalAddress);
        Assert.Equal(AcpiTableStatus.Ok, tables[2].Status);
        Assert.Equal(2, tables.ProblemCount);
        Assert.Equal(2, tables.IndexOf("APIC"));
    }

    [Fact]
    public void RootTableEntriesBeyondTheLimitAreIgnoredAndCounted()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        ulong[] entries = Enumerable.Repeat(FirstTableAt, AcpiTables.MaxTables + 44).ToArray();
        memory.Add(XsdtAt, Xsdt(entries));

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTables.MaxTables, tables.Count);
        Assert.Equal(44, tables.IgnoredEntries);
    }

    [Fact]
    public void TablesLargerThanOneChunkAreSummedWhole()
    {
        byte[] ssdt = Sdt("SSDT", Enumerable.Range(0, 10000).Select(i => (byte)(i * 7)).ToArray());
        FakePhysicalMemory memory = Machine(2, ssdt);
        Assert.Equal(AcpiTableStatus.Ok, AcpiTables.Discover(RsdpAt, memory)[0].Status);

        ssdt[9000] ^= 1; // in the third 4 KiB chunk
        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.BadChecksum, tables[0].Status);
        Assert.Equal(10036u, tables[0].Length);
    }

    [Fact]
    public void TableListedTwiceIsReadOnce()
    {
        FakePhysicalMemory once = Machine(2, SimpleMadt());
        AcpiTables.Discover(RsdpAt, once);
        FakePhysicalMemory twice = Machine(2, SimpleMadt());
        twice.Add(XsdtAt, Xsdt(FirstTableAt, FirstTableAt));

        AcpiTables tables = AcpiTables.Discover(RsdpAt, twice);

        Assert.Equal(2, tables.Count);
        Assert.True(tables[0].IsValid && tables[1].IsValid);
        Assert.True(tables.TableBytes(1).SequenceEqual(tables.TableBytes(0)));
        Assert.Equal(once.Reads, twice.Reads);
    }

    [Fact]
    public void OutOfRangeIndexGivesAMissingEntryAndNoBytes()
    {
        AcpiTables tables = AcpiTables.Discover(RsdpAt, Machine(2, SimpleMadt()));

        Assert.Equal(AcpiTableStatus.Missing, tables[5].Status);
        Assert.Equal(AcpiTableStatus.Missing, tables[-1].Status);
        Assert.True(tables.TableBytes(5).IsEmpty);
        Assert.True(tables.TableBytes(-1).IsEmpty);
    }
}
