// SETUP packet encodings (USB 2.0 Table 9-2 and §9.4, HID 1.11 §7.2, USB 2.0 §11.24.2) as bytes and as the
// Setup Stage TRB's immediate ulong.
using System;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class SetupPacketTests
{
    private static byte[] Bytes(SetupPacket packet)
    {
        byte[] bytes = new byte[8];
        Assert.True(packet.TryWrite(bytes));
        Assert.Equal(BitConverter.ToUInt64(bytes), packet.ToUInt64());
        return bytes;
    }

    [Fact]
    public void GetDeviceDescriptorEncodes() =>
        Assert.Equal(new byte[] { 0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x12, 0x00 }, Bytes(SetupPacket.GetDeviceDescriptor(18)));

    [Fact]
    public void GetConfigurationDescriptorEncodesIndexAndLength() =>
        Assert.Equal(new byte[] { 0x80, 0x06, 0x01, 0x02, 0x00, 0x00, 0x54, 0x00 }, Bytes(SetupPacket.GetConfigurationDescriptor(1, 84)));

    [Fact]
    public void GetDeviceDescriptorAsTheTrbImmediateValue() =>
        Assert.Equal(0x0012_0000_0100_0680UL, SetupPacket.GetDeviceDescriptor(18).ToUInt64());

    [Fact]
    public void SetConfigurationEncodes() =>
        Assert.Equal(new byte[] { 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.SetConfiguration(1)));

    [Fact]
    public void HidSetProtocolBootEncodes() =>
        Assert.Equal(new byte[] { 0x21, 0x0B, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.HidSetProtocol(1, boot: true)));

    [Fact]
    public void HidSetIdlePutsTheDurationInTheHighByte() =>
        Assert.Equal(new byte[] { 0x21, 0x0A, 0x00, 0x7D, 0x00, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.HidSetIdle(0, 125)));

    [Fact]
    public void HidSetReportOutputEncodes() =>
        Assert.Equal(new byte[] { 0x21, 0x09, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00 }, Bytes(SetupPacket.HidSetOutputReport(0, 1)));

    [Fact]
    public void GetHidReportDescriptorGoesToTheInterface() =>
        Assert.Equal(new byte[] { 0x81, 0x06, 0x00, 0x22, 0x02, 0x00, 0x3F, 0x00 }, Bytes(SetupPacket.GetHidReportDescriptor(2, 63)));

    [Fact]
    public void HubRequestsEncode()
    {
        Assert.Equal(new byte[] { 0xA0, 0x06, 0x00, 0x29, 0x00, 0x00, 0x47, 0x00 }, Bytes(SetupPacket.GetHubDescriptor(false, 71)));
        Assert.Equal(new byte[] { 0xA0, 0x06, 0x00, 0x2A, 0x00, 0x00, 0x0C, 0x00 }, Bytes(SetupPacket.GetHubDescriptor(true, 12)));
        Assert.Equal(new byte[] { 0xA3, 0x00, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00 }, Bytes(SetupPacket.GetPortStatus(3)));
        Assert.Equal(new byte[] { 0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00 }, Bytes(SetupPacket.GetHubStatus()));
        Assert.Equal(new byte[] { 0x23, 0x03, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.SetPortFeature(HubPortFeature.Power, 2)));
        Assert.Equal(new byte[] { 0x23, 0x03, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.SetPortFeature(HubPortFeature.Reset, 2)));
        Assert.Equal(new byte[] { 0x23, 0x01, 0x10, 0x00, 0x05, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.ClearPortFeature(HubPortFeature.ConnectionChange, 5)));
        Assert.Equal(new byte[] { 0x23, 0x01, 0x14, 0x00, 0x05, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.ClearPortFeature(HubPortFeature.ResetChange, 5)));
        Assert.Equal(new byte[] { 0x20, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.SetHubDepth(1)));
    }

    [Fact]
    public void ClearEndpointHaltGoesToTheEndpoint() =>
        Assert.Equal(new byte[] { 0x02, 0x01, 0x00, 0x00, 0x81, 0x00, 0x00, 0x00 }, Bytes(SetupPacket.ClearEndpointHalt(0x81)));

    [Fact]
    public void DirectionFollowsBit7()
    {
        Assert.True(SetupPacket.GetDeviceDescriptor(8).IsDeviceToHost);
        Assert.False(SetupPacket.SetConfiguration(1).IsDeviceToHost);
    }

    [Fact]
    public void ShortDestinationIsRefusedUntouched()
    {
        byte[] bytes = { 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA };

        Assert.False(SetupPacket.SetConfiguration(1).TryWrite(bytes));
        Assert.All(bytes, b => Assert.Equal(0xAA, b));
    }
}
