// Tests for Ps2Presence (issue 12): the PS/2 decision on table sets that agree and disagree, real QEMU tables
// among them (with the FADT's 8042 flag cleared, as 49 of 160 real machines ship it), and each probe outcome.
using System;
using System.Text;
using Kernel.Acpi;
using Kernel.HostTests.Acpi;
using Kernel.Input;
using Xunit;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Input;

public class Ps2PresenceTests
{
    private const int BootArchitectureOffset = 109;

    [Fact]
    public void FadtSaysNo8042ButDsdtDeclaresKeyboardAndControllerAnswers_UsesIt()
    {
        (Fadt fadt, AcpiTables tables) = Q35WithFadt8042Flag(set: false);

        Ps2Decision decision = Ps2Presence.Decide(fadt, AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds), Ps2ProbeResult.Answered);

        Assert.True(decision.UseController);
        Assert.Equal("FADT says no 8042, DSDT declares PNP0303, controller answered", decision.Evidence);
    }

    [Fact]
    public void RealQ35TablesAgree_UsesIt()
    {
        (Fadt fadt, AcpiTables tables) = Q35WithFadt8042Flag(set: true);

        Ps2Decision decision = Ps2Presence.Decide(fadt, AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds), Ps2ProbeResult.Answered);

        Assert.True(decision.UseController);
        Assert.Equal("FADT says 8042 present, DSDT declares PNP0303, controller answered", decision.Evidence);
    }

    [Fact]
    public void PcHasAnAcpi1FadtSoTheDsdtAndProbeDecide()
    {
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.PcOneCpu);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);

        Ps2Decision decision = Ps2Presence.Decide(Fadt.Parse(tables.Find(Fadt.Signature)), AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds),
            Ps2ProbeResult.Answered);

        Assert.True(decision.UseController);
        Assert.StartsWith("FADT cannot say", decision.Evidence);
        Assert.EndsWith("DSDT declares PNP0303, controller answered", decision.Evidence);
    }

    [Fact]
    public void DsdtDeclaresKeyboardButStatusReadsFF_NoController()
    {
        (Fadt fadt, AcpiTables tables) = Q35WithFadt8042Flag(set: false);

        Ps2Decision decision = Ps2Presence.Decide(fadt, AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds), Ps2ProbeResult.NoController);

        Assert.False(decision.UseController);
        Assert.Equal("FADT says no 8042, DSDT declares PNP0303, no controller (status 0xFF)", decision.Evidence);
    }

    [Fact]
    public void FadtSays8042ButNothingAnswers_NoController()
    {
        (Fadt fadt, AcpiTables tables) = Q35WithFadt8042Flag(set: true);

        Ps2Decision decision = Ps2Presence.Decide(fadt, AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds), Ps2ProbeResult.TimedOut);

        Assert.False(decision.UseController);
        Assert.EndsWith("controller did not answer in time", decision.Evidence);
    }

    [Fact]
    public void BothTablesSayNoAndNothingAnswers_AsQ35WithI8042Off()
    {
        // q35,i8042=off: the FADT clears the flag and the DSDT has no keyboard device.
        byte[] dsdt = AmlDeviceIdsTests.Table("DSDT", AmlDeviceIdsTests.Concat(AmlDeviceIdsTests.Name("_HID"), AmlDeviceIdsTests.EisaId(0x41, 0xD0, 0x0F, 0x13)));
        AcpiTables tables = AmlDeviceIdsTests.Discover(dsdt);

        Ps2Decision decision = Ps2Presence.Decide(Fadt.Parse(tables.Find(Fadt.Signature)), AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds),
            Ps2ProbeResult.NoController);

        Assert.False(decision.UseController);
        Assert.Equal("FADT says no 8042, DSDT declares no PS/2 keyboard, no controller (status 0xFF)", decision.Evidence);
    }

    [Fact]
    public void BothTablesSayNoButTheControllerAnswers_UsesItAndSaysSo()
    {
        Ps2Decision decision = Ps2Presence.Decide(Ps2FirmwareFlag.Absent, Ps2TableEvidence.NotDeclared, null, null, Ps2ProbeResult.Answered);

        Assert.True(decision.UseController);
        Assert.Equal("FADT says no 8042, DSDT declares no PS/2 keyboard, controller answered anyway", decision.Evidence);
    }

    [Theory]
    [InlineData(Ps2FirmwareFlag.Present, Ps2TableEvidence.NotDeclared, Ps2ProbeResult.Answered, true)]
    [InlineData(Ps2FirmwareFlag.Present, Ps2TableEvidence.Unreadable, Ps2ProbeResult.Answered, true)]
    [InlineData(Ps2FirmwareFlag.Unknown, Ps2TableEvidence.Unreadable, Ps2ProbeResult.Answered, true)]
    [InlineData(Ps2FirmwareFlag.Absent, Ps2TableEvidence.Unreadable, Ps2ProbeResult.Answered, true)]
    [InlineData(Ps2FirmwareFlag.Absent, Ps2TableEvidence.Declared, Ps2ProbeResult.TimedOut, false)]
    [InlineData(Ps2FirmwareFlag.Present, Ps2TableEvidence.Declared, Ps2ProbeResult.NoController, false)]
    [InlineData(Ps2FirmwareFlag.Unknown, Ps2TableEvidence.NotDeclared, Ps2ProbeResult.TimedOut, false)]
    public void TheControllersAnswerHasTheLastWord(Ps2FirmwareFlag fadt, Ps2TableEvidence tables, Ps2ProbeResult probe, bool use) =>
        Assert.Equal(use, Ps2Presence.Decide(fadt, tables, "PNP0303", "DSDT", probe).UseController);

    [Fact]
    public void FirmwareFlagFromTheFadt()
    {
        Assert.Equal(Ps2FirmwareFlag.Unknown, Ps2Presence.FirmwareFlag(null));
        Assert.Equal(Ps2FirmwareFlag.Unknown, Ps2Presence.FirmwareFlag(Fadt.Parse(FadtTable(1, Fadt.Acpi1Length, 0, 0))));
        Assert.Equal(Ps2FirmwareFlag.Unknown, Ps2Presence.FirmwareFlag(Fadt.Parse(new byte[40])));
        Assert.Equal(Ps2FirmwareFlag.Absent, Ps2Presence.FirmwareFlag(Fadt.Parse(FadtTable(3, 244, Fadt.BootLegacyDevices, 0))));
        Assert.Equal(Ps2FirmwareFlag.Present, Ps2Presence.FirmwareFlag(Fadt.Parse(FadtTable(3, 244, Fadt.Boot8042, 0))));
    }

    [Fact]
    public void KeyboardIdsAreEisaIds()
    {
        byte[] compressed = new byte[4];
        foreach (string id in Ps2Presence.KeyboardIds)
            Assert.True(AmlDeviceIds.TryCompressEisaId(id, compressed), id);
        Assert.Equal("PNP0303", Ps2Presence.KeyboardIds[0]);
    }

    // QEMU's real q35 tables, with the FADT's 8042 flag set or cleared (and its checksum fixed).
    private static (Fadt, AcpiTables) Q35WithFadt8042Flag(bool set)
    {
        AcpiDumpData dump = AcpiDumpData.Load(AcpiDumpData.Q35OneCpu);
        byte[] facp = dump.Memory.RegionAt(dump.AddressOf("FACP"));
        ushort flags = BitConverter.ToUInt16(facp, BootArchitectureOffset);
        flags = set ? (ushort)(flags | Fadt.Boot8042) : (ushort)(flags & ~Fadt.Boot8042);
        BitConverter.GetBytes(flags).CopyTo(facp, BootArchitectureOffset);
        FixChecksum(facp, ChecksumOffset, facp.Length);
        AcpiTables tables = AcpiTables.Discover(dump.RsdpAddress, dump.Memory);
        return (Fadt.Parse(tables.Find(Fadt.Signature)), tables);
    }
}
