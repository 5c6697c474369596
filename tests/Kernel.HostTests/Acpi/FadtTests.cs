// Tests for Fadt: QEMU's q35 (ACPI 2.0+ FADT, revision 3) and pc (ACPI 1.0 FADT, revision 1) tables, and
// synthetic tables of each revision and length.
using System;
using Kernel.Acpi;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

public class FadtTests
{
    private static Fadt FromDump(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);
        return Fadt.Parse(tables.Find(Fadt.Signature));
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.Q35FourCpus)]
    public void Q35ReportsAn8042AndNoOtherLegacyDevices(string machine)
    {
        Fadt fadt = FromDump(machine);

        Assert.Equal(FadtStatus.Ok, fadt.Status);
        Assert.Equal(3, fadt.Revision);
        Assert.Equal(244u, fadt.Length);
        Assert.True(fadt.BootArchitectureKnown);
        Assert.Equal(Fadt.Boot8042, fadt.BootArchitectureFlags);
        Assert.True(fadt.Has8042);
        Assert.False(fadt.HasLegacyDevices);
        Assert.Equal(9, fadt.SciInterrupt);
    }

    [Fact]
    public void Q35HasTheResetRegisterAtPortCf9()
    {
        Fadt fadt = FromDump(AcpiDumpData.Q35OneCpu);

        Assert.Equal(0x84A5u, fadt.Flags);
        Assert.True(fadt.ResetRegisterSupported);
        Assert.Equal(GenericAddress.SystemIo, fadt.ResetRegister.AddressSpaceId);
        Assert.Equal(8, fadt.ResetRegister.BitWidth);
        Assert.Equal(0, fadt.ResetRegister.BitOffset);
        Assert.Equal(0xCF9UL, fadt.ResetRegister.Address);
        Assert.Equal(0x0F, fadt.ResetValue);
    }

    [Theory]
    [InlineData(AcpiDumpData.PcOneCpu)]
    [InlineData(AcpiDumpData.PcFourCpus)]
    public void PcHasAnAcpi1FadtSoThe8042IsAssumed(string machine)
    {
        Fadt fadt = FromDump(machine);

        Assert.Equal(FadtStatus.Ok, fadt.Status);
        Assert.Equal(1, fadt.Revision);
        Assert.Equal((uint)Fadt.Acpi1Length, fadt.Length);
        Assert.False(fadt.BootArchitectureKnown);
        Assert.Equal(0, fadt.BootArchitectureFlags);
        Assert.True(fadt.Has8042);
        Assert.True(fadt.HasLegacyDevices);
        Assert.False(fadt.ResetRegisterSupported); // the table ends before RESET_REG
        Assert.Equal(9, fadt.SciInterrupt);
    }

    [Fact]
    public void PcsReservedByteAt109IsZeroAndMustNotBeReadAsBootFlags()
    {
        // What makes the revision check necessary: read as IAPC_BOOT_ARCH, pc's zero would mean "no 8042".
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.PcOneCpu);

        Assert.Equal(0, dump.Bytes("FACP")[109]);
        Assert.True(Fadt.Parse(dump.Bytes("FACP")).Has8042);
    }

    [Fact]
    public void Revision3WithoutThe8042FlagHasNo8042()
    {
        Fadt fadt = Fadt.Parse(FadtTable(3, 244, Fadt.BootLegacyDevices, 0));

        Assert.True(fadt.BootArchitectureKnown);
        Assert.False(fadt.Has8042);
        Assert.True(fadt.HasLegacyDevices);
    }

    [Fact]
    public void Revision2FadtHasTheResetRegisterButNoBootFlags()
    {
        Fadt fadt = Fadt.Parse(FadtTable(2, 129, 0, Fadt.FlagResetRegisterSupported));

        Assert.False(fadt.BootArchitectureKnown);
        Assert.True(fadt.Has8042);
        Assert.True(fadt.ResetRegisterSupported);
        Assert.Equal(0xCF9UL, fadt.ResetRegister.Address);
        Assert.Equal(0x06, fadt.ResetValue);
    }

    [Fact]
    public void ResetRegisterIsUnsupportedWithoutTheFlag()
    {
        Fadt fadt = Fadt.Parse(FadtTable(3, 244, Fadt.Boot8042, 0));

        Assert.False(fadt.ResetRegisterSupported);
        Assert.Equal(0xCF9UL, fadt.ResetRegister.Address);
    }

    [Fact]
    public void TableShorterThanAcpi1IsTooShort()
    {
        Fadt fadt = Fadt.Parse(Sdt("FACP", new byte[100 - HeaderLength], 3));

        Assert.Equal(FadtStatus.TooShort, fadt.Status);
        Assert.False(fadt.BootArchitectureKnown);
        Assert.True(fadt.Has8042);
        Assert.False(fadt.ResetRegisterSupported);
    }

    [Fact]
    public void DeclaredLengthBeyondTheBytesIsTooShort()
    {
        byte[] table = FadtTable(3, 244, Fadt.Boot8042, 0);

        Assert.Equal(FadtStatus.TooShort, Fadt.Parse(table.AsSpan(0, 200)).Status);
    }

    [Fact]
    public void WrongSignatureIsRejected()
    {
        byte[] table = FadtTable(3, 244, Fadt.Boot8042, 0);
        table[0] = (byte)'X';

        Fadt fadt = Fadt.Parse(table);

        Assert.Equal(FadtStatus.BadSignature, fadt.Status);
        Assert.Equal("bad signature", Fadt.StatusName(fadt.Status));
    }

    [Theory]
    [InlineData(AcpiDumpData.Q35OneCpu)]
    [InlineData(AcpiDumpData.PcOneCpu)]
    public void PointsAtTheDumpedDsdt(string machine)
    {
        AcpiDumpData dump = AcpiDumpData.Load(machine);

        Assert.Equal(dump.AddressOf("DSDT"), Fadt.Parse(dump.Bytes("FACP")).DsdtAddress);
    }

    [Fact]
    public void PrefersXDsdtToTheOld32BitField()
    {
        byte[] table = FadtTable(3, 244, 0, 0);
        BitConverter.GetBytes(0x1000u).CopyTo(table, 40);
        BitConverter.GetBytes(0x1_2345_6000UL).CopyTo(table, 140);

        Assert.Equal(0x1_2345_6000UL, Fadt.Parse(Resum(table)).DsdtAddress);

        BitConverter.GetBytes(0UL).CopyTo(table, 140);
        Assert.Equal(0x1000UL, Fadt.Parse(Resum(table)).DsdtAddress);
    }

    [Fact]
    public void Acpi1FadtHasOnlyThe32BitDsdtField()
    {
        byte[] table = FadtTable(1, Fadt.Acpi1Length, 0, 0);
        BitConverter.GetBytes(0x7000u).CopyTo(table, 40);

        Assert.Equal(0x7000UL, Fadt.Parse(Resum(table)).DsdtAddress);
    }
}
