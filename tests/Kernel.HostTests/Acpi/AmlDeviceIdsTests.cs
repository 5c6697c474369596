// Tests for AmlDeviceIds (issue 12): a PS/2 keyboard's ID found in QEMU's real DSDTs and in synthetic AML in each
// form firmware writes it (Name(_HID, EisaId), Name(_CID, "string"), a _CID package, Method(_HID) { Return }),
// in an SSDT, and not found where it is not; and the DSDT read through the FADT.
using System;
using System.Linq;
using System.Text;
using Kernel.Acpi;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

public class AmlDeviceIdsTests
{
    private static readonly string[] s_keyboard = { "PNP0303", "PNP030B" };

    // AML opcodes (ACPI 6.5 §20.2): NameOp, MethodOp, ReturnOp, PackageOp, DWordPrefix, StringPrefix.
    private const byte NameOp = 0x08;
    private const byte MethodOp = 0x14;
    private const byte ReturnOp = 0xA4;
    private const byte PackageOp = 0x12;
    private const byte DWordPrefix = 0x0C;
    private const byte StringPrefix = 0x0D;

    [Theory]
    [InlineData("PNP0303", new byte[] { 0x41, 0xD0, 0x03, 0x03 })]
    [InlineData("PNP030B", new byte[] { 0x41, 0xD0, 0x03, 0x0B })]
    [InlineData("PNP0F13", new byte[] { 0x41, 0xD0, 0x0F, 0x13 })]
    [InlineData("CPQA0D7", new byte[] { 0x0E, 0x11, 0xA0, 0xD7 })]
    public void CompressesEisaIdsAsAmlStoresThem(string id, byte[] expected)
    {
        byte[] compressed = new byte[4];

        Assert.True(AmlDeviceIds.TryCompressEisaId(id, compressed));
        Assert.Equal(expected, compressed);
    }

    [Theory]
    [InlineData("PNP030")]
    [InlineData("pnp0303")]
    [InlineData("PNP03G3")]
    [InlineData("ACPI0003")]
    public void RejectsWhatIsNotAnEisaId(string id) => Assert.False(AmlDeviceIds.TryCompressEisaId(id, new byte[4]));

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void QemusDsdtDeclaresPnp0303(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        Assert.True(tables.Dsdt.IsValid, tables.Dsdt.Describe());
        Assert.Equal(dump.AddressOf("DSDT"), tables.Dsdt.PhysicalAddress);
        AmlIdSearch search = AmlDeviceIds.Search(tables, s_keyboard);
        Assert.Equal(AmlIdSearchStatus.Found, search.Status);
        Assert.Equal("PNP0303", search.Id);
        Assert.Equal("DSDT", search.Table);
    }

    [Fact]
    public void FindsNameHidEisaId() =>
        Assert.True(AmlDeviceIds.Contains(Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x03, 0x03)), "PNP0303"));

    [Fact]
    public void FindsNameCidString() =>
        Assert.Equal("PNP030B", AmlDeviceIds.FindAny(Table("DSDT", Concat(Name("_CID"), AmlString("PNP030B"))), s_keyboard));

    [Fact]
    public void FindsAnIdInsideACidPackage()
    {
        // Name (_CID, Package (0x02) { EisaId ("PNP0303"), "PNP030B" }): PackageOp PkgLength NumElements elements.
        byte[] elements = Concat(EisaId(0x41, 0xD0, 0x03, 0x03), AmlString("PNP030B"));
        byte[] package = Concat(new byte[] { PackageOp, (byte)(2 + elements.Length), 2 }, elements);

        Assert.True(AmlDeviceIds.Contains(Concat(Name("_CID"), package), "PNP0303"));
        Assert.True(AmlDeviceIds.Contains(Concat(Name("_CID"), package), "PNP030B"));
    }

    [Fact]
    public void FindsAnIdReturnedByAHidMethod()
    {
        // As ThinkPads write it: Method (_HID) { If (WIN8) { Return (0x7100AE30) } Return (0x0303D041) }.
        byte[] body = Concat(new byte[] { ReturnOp }, new byte[] { DWordPrefix, 0x30, 0xAE, 0x00, 0x71 },
            new byte[] { ReturnOp }, EisaId(0x41, 0xD0, 0x03, 0x03));
        byte[] method = Concat(new byte[] { MethodOp, (byte)(1 + 4 + 1 + body.Length) }, Encoding.ASCII.GetBytes("_HID"), new byte[] { 0 }, body);

        Assert.True(AmlDeviceIds.Contains(method, "PNP0303"));
    }

    [Fact]
    public void StringIdsMatchWithoutCaseButOnlyWhole()
    {
        Assert.True(AmlDeviceIds.Contains(AmlString("PNP030b"), "PNP030B"));
        Assert.False(AmlDeviceIds.Contains(Concat(new byte[] { StringPrefix }, Encoding.ASCII.GetBytes("PNP03031"), new byte[] { 0 }), "PNP0303"));
        Assert.False(AmlDeviceIds.Contains(Encoding.ASCII.GetBytes("PNP0303\0"), "PNP0303")); // no StringPrefix
    }

    [Fact]
    public void IgnoresTheIdWithoutItsPrefixAndOtherIds()
    {
        Assert.False(AmlDeviceIds.Contains(new byte[] { 0x0A, 0x41, 0xD0, 0x03, 0x03 }, "PNP0303")); // BytePrefix
        Assert.False(AmlDeviceIds.Contains(Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x0F, 0x13)), "PNP0303")); // a PS/2 mouse
        Assert.False(AmlDeviceIds.Contains(Concat(Name("_HID"), new byte[] { DWordPrefix, 0x41, 0xD0, 0x03 }), "PNP0303")); // cut short
    }

    [Fact]
    public void LooksOnlyPastTheHeader()
    {
        // The pattern in the OEM table id field is header, not AML.
        byte[] table = Table("DSDT", new byte[8]);
        new byte[] { DWordPrefix, 0x41, 0xD0, 0x03, 0x03 }.CopyTo(table, 16);

        Assert.Null(AmlDeviceIds.FindAny(table, s_keyboard));
    }

    [Fact]
    public void FindsTheIdInAnSsdtWhenTheDsdtHasNone()
    {
        byte[] ssdt = Table("SSDT", Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x03, 0x0B)));
        AcpiTables tables = Discover(Table("DSDT", Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x0F, 0x13))), ssdt);

        AmlIdSearch search = AmlDeviceIds.Search(tables, s_keyboard);

        Assert.Equal(AmlIdSearchStatus.Found, search.Status);
        Assert.Equal("PNP030B", search.Id);
        Assert.Equal("SSDT", search.Table);
    }

    [Fact]
    public void NotFoundWhenNoTableDeclaresIt()
    {
        AcpiTables tables = Discover(Table("DSDT", Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x0F, 0x13))), Table("SSDT", new byte[16]));

        Assert.Equal(AmlIdSearchStatus.NotFound, AmlDeviceIds.Search(tables, s_keyboard).Status);
    }

    [Fact]
    public void NoAnswerWhenTheDsdtIsUnreadable()
    {
        byte[] dsdt = Table("DSDT", Concat(Name("_HID"), EisaId(0x41, 0xD0, 0x03, 0x03)));
        dsdt[HeaderLength] ^= 0xFF; // checksum now wrong
        AcpiTables tables = Discover(dsdt);

        Assert.Equal(AcpiTableStatus.BadChecksum, tables.Dsdt.Status);
        Assert.True(tables.DsdtBytes.IsEmpty);
        Assert.Equal(AmlIdSearchStatus.TablesUnreadable, AmlDeviceIds.Search(tables, s_keyboard).Status);
        Assert.Contains(tables.Summary(), line => line.StartsWith("acpi: table skipped: ACPI table DSDT at 0x9000: bad checksum", StringComparison.Ordinal));
    }

    [Fact]
    public void NoAnswerWithoutAFadt()
    {
        FakePhysicalMemory memory = SyntheticAcpi.Machine(2, SyntheticAcpi.Hpet());
        AcpiTables tables = AcpiTables.Discover(SyntheticAcpi.RsdpAt, memory);

        Assert.Equal(AcpiTableStatus.Missing, tables.Dsdt.Status);
        Assert.Equal(AmlIdSearchStatus.TablesUnreadable, AmlDeviceIds.Search(tables, s_keyboard).Status);
        Assert.Single(tables.Summary());
    }

    /// <summary>A machine whose FADT (revision 3, 8042 flag clear) points at <paramref name="dsdt"/> at 0x9000; more tables listed after it.</summary>
    internal static AcpiTables Discover(byte[] dsdt, params byte[][] more)
    {
        const ulong dsdtAt = 0x9000;
        byte[] fadt = FadtTable(3, 244, 0, 0);
        BitConverter.GetBytes((uint)dsdtAt).CopyTo(fadt, 40);
        FakePhysicalMemory memory = SyntheticAcpi.Machine(2, new[] { Resum(fadt) }.Concat(more).ToArray());
        memory.Add(dsdtAt, dsdt);
        return AcpiTables.Discover(SyntheticAcpi.RsdpAt, memory);
    }

    internal static byte[] Table(string signature, byte[] aml) => Sdt(signature, aml, 2);

    internal static byte[] Name(string name) => Concat(new byte[] { NameOp }, Encoding.ASCII.GetBytes(name));

    internal static byte[] EisaId(byte b0, byte b1, byte b2, byte b3) => new byte[] { DWordPrefix, b0, b1, b2, b3 };

    internal static byte[] AmlString(string text) => Concat(new byte[] { StringPrefix }, Encoding.ASCII.GetBytes(text), new byte[] { 0 });

    internal static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
