// Tests for LegacyHandoff (xHCI 1.2 §7 extended capabilities, §7.1 USB Legacy Support, §4.22.1 pre-OS to OS
// hand-off) against a simulated register file: QEMU's xHCI has no legacy support capability, so this is the only
// place the hand-off runs. Capabilities are walked from HCCPARAMS1.xECP (bits 31:16, in dwords); each header has the
// ID in 7:0 and the next pointer in 15:8 (dwords, 0 = last). USBLEGSUP: BIOS Owned bit 16, OS Owned bit 24.
// USBLEGCTLSTS (capability + 4): SMI enables 0, 4, 13, 14, 15; RW1C SMI events 29, 30, 31.
using System;
using System.Linq;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class LegacyHandoffTests
{
    private const uint RegisterBytes = 0x1000;
    private const uint BiosOwned = 1u << 16;
    private const uint OsOwned = 1u << 24;
    private const uint SmiEnables = 1u << 0 | 1u << 4 | 1u << 13 | 1u << 14 | 1u << 15;
    private const uint SmiEvents = 7u << 29;

    private const uint Protocol2 = 0x500;  // Supported Protocol (USB 2), next 4 dwords.
    private const uint Protocol3 = 0x510;  // Supported Protocol (USB 3), next 0x0C dwords.
    private const uint Legacy = 0x540;     // Legacy support, last.

    private static uint Header(byte id, uint nextDwords, uint rest = 0) => id | nextDwords << 8 | rest;

    /// <summary>HCCPARAMS1 with xECP pointing at firstCapability (a byte offset), and AC64 / CSZ bits set for noise.</summary>
    private static SimulatedRegisters WithCapabilities(uint firstCapability, params (uint Offset, uint Header)[] capabilities)
    {
        var registers = new SimulatedRegisters();
        registers[XhciRegisters.CapabilityParameters1] = firstCapability / 4 << 16 | 0x0000_0005;
        foreach ((uint offset, uint header) in capabilities)
            registers[offset] = header;
        return registers;
    }

    private static SimulatedRegisters ThreeCapabilities(uint legacySupport) => WithCapabilities(Protocol2,
        (Protocol2, Header(2, 4, 0x0200_0000)), (Protocol3, Header(2, 0x0C, 0x0300_0000)), (Legacy, Header(1, 0, legacySupport)));

    /// <summary>A clock that advances by step microseconds on every register read (time passes while polling).</summary>
    private static Func<ulong> ClockAdvancingPerRead(SimulatedRegisters registers, ulong step, ulong start = 5_000_000)
    {
        ulong now = start;
        Func<uint, uint, uint> previous = registers.OnRead;
        registers.OnRead = (offset, value) =>
        {
            now += step;
            return previous != null ? previous(offset, value) : value;
        };
        return () => now;
    }

    /// <summary>
    /// A firmware that clears BIOS Owned at the releaseAfter-th read of USBLEGSUP after the OS set OS Owned (never
    /// when releaseAfter is 0).
    /// </summary>
    private static void Firmware(SimulatedRegisters registers, uint capability, int releaseAfter)
    {
        int reads = 0;
        registers.OnRead = (offset, value) =>
        {
            if (offset == capability && (value & OsOwned) != 0 && releaseAfter > 0 && ++reads >= releaseAfter)
                return value & ~BiosOwned;
            return value;
        };
    }

    private static uint LastWrite(SimulatedRegisters registers, uint offset) =>
        registers.Log.Last(e => e.Write && e.Offset == offset).Value;

    private static void AssertSmiDisabledAndAcknowledged(SimulatedRegisters registers, uint capability, uint controlBefore)
    {
        uint written = LastWrite(registers, capability + 4);
        Assert.Equal(0u, written & SmiEnables);
        Assert.Equal(SmiEvents, written & SmiEvents);
        Assert.Equal(controlBefore & ~(SmiEnables | SmiEvents), written & ~(SmiEnables | SmiEvents));
        Assert.Single(registers.Log, e => e.Write && e.Offset == capability + 4);
    }

    [Fact]
    public void NoCapabilitiesMeansNoCapabilityAndNoWrites()
    {
        var registers = WithCapabilities(0);
        HandoffOutcome outcome = LegacyHandoff.TakeOwnership(registers, RegisterBytes, () => 0, out ulong elapsed);
        Assert.Equal((HandoffOutcome.NoCapability, 0UL), (outcome, elapsed));
        Assert.DoesNotContain(registers.Log, e => e.Write);
    }

    [Fact]
    public void OnlyOtherCapabilitiesMeansNoCapability()
    {
        var registers = WithCapabilities(Protocol2, (Protocol2, Header(2, 4)), (Protocol3, Header(2, 0)));
        Assert.Equal(HandoffOutcome.NoCapability, LegacyHandoff.TakeOwnership(registers, RegisterBytes, () => 0, out _));
        Assert.DoesNotContain(registers.Log, e => e.Write);
    }

    [Fact]
    public void FindsLegacySupportAsTheSecondCapability()
    {
        var registers = WithCapabilities(Protocol2, (Protocol2, Header(2, 0x10)), (0x540, Header(1, 0)));
        Assert.Equal(0x540u, LegacyHandoff.FindCapability(registers, RegisterBytes, XhciRegisters.LegacySupportCapability));
        Assert.Equal(Protocol2, LegacyHandoff.FindCapability(registers, RegisterBytes, XhciRegisters.SupportedProtocolCapability));
        Assert.Equal(0u, LegacyHandoff.FindCapability(registers, RegisterBytes, 0xC0));
    }

    [Fact]
    public void FindCapabilityAfterFindsTheSecondSupportedProtocol()
    {
        SimulatedRegisters registers = ThreeCapabilities(0);
        byte protocol = XhciRegisters.SupportedProtocolCapability;
        uint first = LegacyHandoff.FindCapability(registers, RegisterBytes, protocol);
        uint second = LegacyHandoff.FindCapability(registers, RegisterBytes, protocol, first);
        Assert.Equal((Protocol2, Protocol3), (first, second));
        Assert.Equal(0u, LegacyHandoff.FindCapability(registers, RegisterBytes, protocol, second));
        Assert.Equal(Legacy, LegacyHandoff.FindCapability(registers, RegisterBytes, XhciRegisters.LegacySupportCapability));
    }

    [Fact]
    public void EndlessCapabilityListTerminates()
    {
        // Next pointers are forward offsets in dwords, so a list cannot point back; the worst a broken one can do is
        // chain a header in every dword to the end of the block. The walk stops (after 64) and reads nothing outside.
        var registers = new SimulatedRegisters();
        registers[XhciRegisters.CapabilityParameters1] = 0x100 / 4 << 16;
        for (uint offset = 0x100; offset < RegisterBytes; offset += 4)
            registers[offset] = Header(2, 1);
        Assert.Equal(0u, LegacyHandoff.FindCapability(registers, RegisterBytes, 1));
        Assert.InRange(registers.Log.Count, 2, 66);
        Assert.All(registers.Log, e => Assert.True(e.Offset < RegisterBytes));
    }

    [Fact]
    public void ListRunningOffTheRegisterBlockTerminates()
    {
        var registers = WithCapabilities(0xF00, (0xF00, Header(2, 0xFF)));
        Assert.Equal(0u, LegacyHandoff.FindCapability(registers, RegisterBytes, 1));
        Assert.All(registers.Log, e => Assert.True(e.Offset < RegisterBytes));
        registers = new SimulatedRegisters();
        registers[XhciRegisters.CapabilityParameters1] = 0xFFFF_0000;
        Assert.Equal(0u, LegacyHandoff.FindCapability(registers, RegisterBytes, 1));
        Assert.All(registers.Log, e => Assert.True(e.Offset < RegisterBytes));
    }

    [Fact]
    public void FirmwareNotOwningItGivesNotOwnedAndSetsOsOwned()
    {
        SimulatedRegisters registers = ThreeCapabilities(0);
        registers[Legacy + 4] = 0xFFFF_FFFF;
        HandoffOutcome outcome = LegacyHandoff.TakeOwnership(registers, RegisterBytes, () => 42, out ulong elapsed);
        Assert.Equal((HandoffOutcome.NotOwned, 0UL), (outcome, elapsed));
        Assert.Equal(Header(1, 0, OsOwned), registers[Legacy]);
        // (0xFFFFFFFF & ~SMI enables & ~events) | events.
        Assert.Equal(0xFFFF_1FEEu, LastWrite(registers, Legacy + 4));
        AssertSmiDisabledAndAcknowledged(registers, Legacy, 0xFFFF_FFFF);
    }

    [Theory]
    [InlineData(1, 0UL)]
    [InlineData(5, 1000UL)]
    [InlineData(4000, 999_750UL)]
    [InlineData(4001, 1_000_000UL)] // Released on the very read that reaches the timeout: still released.
    public void FirmwareReleasingGivesReleasedWithTheElapsedTime(int releaseAfter, ulong expectedElapsed)
    {
        SimulatedRegisters registers = ThreeCapabilities(BiosOwned);
        registers[Legacy + 4] = 0xE000_E011;
        Firmware(registers, Legacy, releaseAfter);
        Func<ulong> clock = ClockAdvancingPerRead(registers, 250);
        HandoffOutcome outcome = LegacyHandoff.TakeOwnership(registers, RegisterBytes, clock, out ulong elapsed);
        Assert.Equal((HandoffOutcome.Released, expectedElapsed), (outcome, elapsed));
        Assert.Equal(Header(1, 0, OsOwned), registers[Legacy]);
        // OS Owned was requested once, with BIOS Owned as read; nothing forced.
        Assert.Equal(Header(1, 0, BiosOwned | OsOwned), Assert.Single(registers.Log, e => e.Write && e.Offset == Legacy).Value);
        Assert.Equal(0xE000_0000u, LastWrite(registers, Legacy + 4));
        AssertSmiDisabledAndAcknowledged(registers, Legacy, 0xE000_E011);
        Assert.Contains("released it in " + (expectedElapsed / 1000).ToString() + " ms", LegacyHandoff.Describe(outcome, elapsed));
    }

    [Fact]
    public void FirmwareNeverReleasingIsForcedAfterOneSecond()
    {
        SimulatedRegisters registers = ThreeCapabilities(BiosOwned);
        registers[Legacy + 4] = 0x0011_2011;
        Firmware(registers, Legacy, releaseAfter: 0);
        Func<ulong> clock = ClockAdvancingPerRead(registers, 1000);
        HandoffOutcome outcome = LegacyHandoff.TakeOwnership(registers, RegisterBytes, clock, out ulong elapsed);
        Assert.Equal((HandoffOutcome.Forced, LegacyHandoff.TimeoutMicroseconds), (outcome, elapsed));
        Assert.Equal(1_000_000UL, LegacyHandoff.TimeoutMicroseconds);
        Assert.Equal(Header(1, 0, OsOwned), registers[Legacy]);
        Assert.Equal(Header(1, 0, OsOwned), LastWrite(registers, Legacy));
        // It polled for the whole second (a read every 1000 us), not less.
        Assert.InRange(registers.Log.Count(e => !e.Write && e.Offset == Legacy), 1001, 1004);
        Assert.Equal(0xE011_0000u, LastWrite(registers, Legacy + 4));
        AssertSmiDisabledAndAcknowledged(registers, Legacy, 0x0011_2011);
        Assert.Contains("taken by force", LegacyHandoff.Describe(outcome, elapsed));
    }

    [Fact]
    public void ForcedHandoffWithACoarseClockStillStops()
    {
        // A clock that jumps 300 ms per read: the timeout is reached on the 5th poll (elapsed 1.2 s).
        SimulatedRegisters registers = WithCapabilities(0x20, (0x20, Header(1, 0, BiosOwned)));
        Firmware(registers, 0x20, releaseAfter: 0);
        Func<ulong> clock = ClockAdvancingPerRead(registers, 300_000);
        Assert.Equal(HandoffOutcome.Forced, LegacyHandoff.TakeOwnership(registers, 0x100, clock, out ulong elapsed));
        Assert.Equal(1_200_000UL, elapsed);
        Assert.Equal(Header(1, 0, OsOwned), registers[0x20]);
        AssertSmiDisabledAndAcknowledged(registers, 0x20, 0);
    }
}
