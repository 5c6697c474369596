// Tests for AcpiTables.Discover from the RSDP to the root table: QEMU's real tables (captured by
// scripts/capture-acpi.sh) and synthetic corruptions of the RSDP and the XSDT/RSDT.
using System;
using System.Linq;
using CsCheck;
using Kernel.Acpi;
using Kernel.HostTests.PropertyTesting;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;
using static Kernel.HostTests.Acpi.SyntheticAcpi;

namespace Kernel.HostTests.Acpi;

public class AcpiTablesTests
{
    [Fact]
    public void Q35ListsItsTablesThroughTheXsdt()
    {
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.Q35OneCpu);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        Assert.Equal(RsdpStatus.Ok, tables.RsdpStatus);
        Assert.Equal(2, tables.RsdpRevision);
        Assert.Equal("BOCHS", tables.RsdpOemId);
        Assert.Equal("XSDT", tables.Root.Signature);
        Assert.True(tables.Root.IsValid);
        Assert.Equal(dump.AddressOf("XSDT"), tables.Root.PhysicalAddress);
        Assert.Equal(AcpiTableStatus.Missing, tables.RejectedXsdt.Status);
        Assert.Equal(new[] { "FACP", "APIC", "HPET", "MCFG", "WAET", "BGRT" }, Signatures(tables));
        Assert.Equal(0, tables.ProblemCount);
    }

    [Fact]
    public void PcHasNoMcfg()
    {
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.PcOneCpu);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        Assert.Equal(new[] { "FACP", "APIC", "HPET", "WAET", "BGRT" }, Signatures(tables));
        Assert.Equal(-1, tables.IndexOf("MCFG"));
        Assert.True(tables.Find("MCFG").IsEmpty);
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void EveryCapturedTableIsValidWithItsHeaderFields(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        // The dump lists RSDP and XSDT first, then the tables in XSDT order, then the DSDT the FADT names.
        var listed = dump.Tables.Skip(2).Where(t => t.Signature != "DSDT").ToList();
        Assert.Equal(listed.Count, tables.Count);
        for (int i = 0; i < tables.Count; i++)
        {
            AcpiTableInfo info = tables[i];
            Assert.Equal(AcpiTableStatus.Ok, info.Status);
            Assert.Equal(listed[i].Signature, info.Signature);
            Assert.Equal(listed[i].Address, info.PhysicalAddress);
            Assert.Equal((uint)listed[i].Bytes.Length, info.Length);
            Assert.Equal(listed[i].Bytes[8], info.Revision);
            Assert.True(tables.TableBytes(i).SequenceEqual(listed[i].Bytes));
        }

        Assert.Equal("BOCHS", tables[tables.IndexOf("APIC")].OemId);
        Assert.Equal("BXPC", tables[tables.IndexOf("APIC")].OemTableId);
        Assert.Equal("EDK2", tables[tables.IndexOf("BGRT")].OemTableId);
        Assert.True(tables.Dsdt.IsValid);
        Assert.True(tables.DsdtBytes.SequenceEqual(dump.Bytes("DSDT")));
    }

    [Fact]
    public void NoRsdpAddressMeansNoTables()
    {
        AcpiTables tables = AcpiTables.Discover(0, new FakePhysicalMemory());

        Assert.Equal(RsdpStatus.NotProvided, tables.RsdpStatus);
        Assert.Equal(0, tables.Count);
        Assert.Equal(AcpiTableStatus.Missing, tables.Root.Status);
    }

    [Fact]
    public void UnreadableRsdpIsReported()
    {
        AcpiTables tables = AcpiTables.Discover(0xDEAD0000, new FakePhysicalMemory());

        Assert.Equal(RsdpStatus.Unreadable, tables.RsdpStatus);
        Assert.Equal(0, tables.Count);
    }

    [Fact]
    public void RsdpWithBadSignatureIsNotUsed()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        byte[] rsdp = memory.RegionAt(RsdpAt);
        rsdp[3] = (byte)'X';
        FixChecksum(rsdp, 8, 20);
        FixChecksum(rsdp, 32, 36);

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(RsdpStatus.BadSignature, tables.RsdpStatus);
        Assert.Equal(0, tables.Count);
    }

    [Fact]
    public void RsdpWithBadChecksumIsNotUsed()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        memory.RegionAt(RsdpAt)[8]++;

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(RsdpStatus.BadChecksum, tables.RsdpStatus);
        Assert.Equal(0, tables.Count);
        Assert.Equal(AcpiTableStatus.Missing, tables.Root.Status);
        Assert.Contains("bad checksum", tables.DescribeRsdp());
    }

    [Fact]
    public void BadExtendedChecksumDistrustsTheXsdtButUsesTheRsdt()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt(), Hpet());
        memory.RegionAt(RsdpAt)[32]++; // the extended checksum; bytes 0-19 still sum to zero

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(RsdpStatus.BadExtendedChecksum, tables.RsdpStatus);
        Assert.Equal("RSDT", tables.Root.Signature);
        Assert.Equal(RsdtAt, tables.Root.PhysicalAddress);
        Assert.Equal(new[] { "APIC", "HPET" }, Signatures(tables));
        Assert.Equal(0, tables.ProblemCount);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void XsdtPointingAtGarbageFallsBackToTheRsdt()
    {
        // Any readable header's worth of bytes that does not start with "XSDT" (fewer bytes are Unreadable).
        Gen.Byte.Array[AcpiTables.HeaderLength, 64].Where(bytes => bytes[0] != (byte)'X').ForAll(garbage =>
        {
            FakePhysicalMemory memory = Machine(2, SimpleMadt(), Hpet());
            memory.Add(XsdtAt, garbage);

            AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

            Assert.Equal(RsdpStatus.Ok, tables.RsdpStatus);
            Assert.Equal(AcpiTableStatus.BadSignature, tables.RejectedXsdt.Status);
            Assert.Equal(XsdtAt, tables.RejectedXsdt.PhysicalAddress);
            Assert.Equal("RSDT", tables.Root.Signature);
            Assert.Equal(new[] { "APIC", "HPET" }, Signatures(tables));
        }, iterations: 100, print: garbage => Convert.ToHexString(garbage));
    }

    [Fact]
    public void XsdtWithBadChecksumAndNoRsdtLeavesNoTables()
    {
        FakePhysicalMemory memory = new FakePhysicalMemory();
        byte[] xsdt = Xsdt(FirstTableAt);
        xsdt[ChecksumOffset]++;
        memory.Add(XsdtAt, xsdt).Add(FirstTableAt, SimpleMadt()).Add(RsdpAt, Rsdp(2, 0, XsdtAt));

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.BadChecksum, tables.RejectedXsdt.Status);
        Assert.Equal(AcpiTableStatus.Missing, tables.Root.Status);
        Assert.Equal(0, tables.Count);
    }

    [Fact]
    public void RootTableWithTheWrongSignatureIsRejected()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        memory.Add(XsdtAt, Hpet()); // a valid table, but not an XSDT

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.BadSignature, tables.RejectedXsdt.Status);
        Assert.Equal("HPET", tables.RejectedXsdt.Signature);
        Assert.Equal("RSDT", tables.Root.Signature);
    }

    [Fact]
    public void Revision0RsdpUsesTheRsdt()
    {
        FakePhysicalMemory memory = Machine(0, SimpleMadt(), Hpet());

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal(20, memory.RegionAt(RsdpAt).Length); // nothing readable past the ACPI 1.0 RSDP
        Assert.Equal(RsdpStatus.Ok, tables.RsdpStatus);
        Assert.Equal(0, tables.RsdpRevision);
        Assert.Equal("RSDT", tables.Root.Signature);
        Assert.Equal(new[] { "APIC", "HPET" }, Signatures(tables));
        Assert.Equal(FirstTableAt + TableStride, tables[1].PhysicalAddress);
    }

    [Fact]
    public void Revision2RsdpWithoutXsdtAddressUsesTheRsdt()
    {
        FakePhysicalMemory memory = Machine(2, SimpleMadt());
        memory.Add(RsdpAt, Rsdp(2, (uint)RsdtAt, 0));

        AcpiTables tables = AcpiTables.Discover(RsdpAt, memory);

        Assert.Equal("RSDT", tables.Root.Signature);
        Assert.Equal(AcpiTableStatus.Missing, tables.RejectedXsdt.Status);
        Assert.Equal(new[] { "APIC" }, Signatures(tables));
    }
}
