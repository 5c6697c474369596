// Tests for PortStatus.WriteValue (xHCI 1.2 §5.4.8, Table 5-27): PED is RW1CS (writing 1 disables the port), the
// change bits 17-23 are RW1CS, PR (4) and WPR (31) are RW1S commands, LWS (16) is a write strobe, and PP (9), PIC
// (15:14) and the wake enables (27:25) are RW and must be written back as read.
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class PortStatusTests
{
    private const uint Ped = 1u << 1;
    private const uint Pr = 1u << 4;
    private const uint Pp = 1u << 9;
    private const uint Lws = 1u << 16;
    private const uint Wpr = 1u << 31;
    private const uint ChangeBits = 0x7Fu << 17;
    private const uint ReadWriteBits = Pp | 3u << 14 | 7u << 25;

    [Fact]
    public void ChangeBitsAreBits17To23()
    {
        Assert.Equal(ChangeBits, PortStatus.AllChanges);
        Assert.Equal((1u << 17, 1u << 18, 1u << 21), (PortStatus.ConnectChange, PortStatus.EnableChange, PortStatus.ResetChange));
        Assert.Equal((Ped, Pr, Pp, Wpr), (PortStatus.Enabled, PortStatus.Reset, PortStatus.Power, PortStatus.WarmReset));
    }

    [Fact]
    public void ClearingConnectChangeOfAnEnabledPortWritesOnlyPowerAndThatChange()
    {
        // Connected, enabled, powered, high speed, every change pending.
        uint current = 0x00FE_0E03 | Pp;
        Assert.Equal(0x0002_0200u, PortStatus.WriteValue(current, 0, PortStatus.ConnectChange));
    }

    [Fact]
    public void ResetKeepsPowerAndTheWakeEnablesAndClearsNothing()
    {
        uint current = 0x0E00_0000 | 0xC000 | Pp | Ped | 1 | PortStatus.ConnectChange;
        Assert.Equal(0x0E00_C210u, PortStatus.WriteValue(current, PortStatus.Reset, 0));
    }

    [Fact]
    public void SpeedAndLinkStateFields()
    {
        Assert.Equal(UsbSpeed.High, PortStatus.Speed(0x0000_0E03 & ~0x0200u));
        Assert.Equal(UsbSpeed.Super, PortStatus.Speed(0x0000_1000));
        Assert.Equal((UsbSpeed)0xF, PortStatus.Speed(0xFFFF_FFFF));
        Assert.Equal(5, PortStatus.LinkState(5u << 5));
        Assert.Equal(0xF, PortStatus.LinkState(0xFFFF_FFFF));
    }

    private static readonly Gen<uint> GenCommand = Gen.Int[0, 3].Select(i => new[] { 0u, Pr, Wpr, Pr | Wpr }[i]);

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void WriteValueNeverDisablesThePortAndClearsExactlyTheRequestedChanges()
    {
        Gen.Select(Gen.UInt, GenCommand, Gen.UInt).ForAll((current, set, clear) =>
        {
            uint value = PortStatus.WriteValue(current, set, clear);
            Assert.Equal(0u, value & Ped);
            Assert.Equal(clear & ChangeBits, value & ChangeBits);
            Assert.Equal(current & Pp, value & Pp);
            Assert.Equal(current & ReadWriteBits, value & ReadWriteBits);
            Assert.Equal(set, value & set);
            // No command, strobe or other bit unless asked for.
            Assert.Equal(set & Pr, value & Pr);
            Assert.Equal(set & Wpr, value & Wpr);
            Assert.Equal(0u, value & Lws);
            Assert.Equal(0u, value & ~(ReadWriteBits | ChangeBits | set));
        }, iterations: 2000, print: t => $"current 0x{t.Item1:X8} set 0x{t.Item2:X8} clear 0x{t.Item3:X8}");
    }
}
