// Route strings and transaction translator fields for the xHCI slot context (xHCI 1.2 §6.2.2, §8.9; USB 2.0 §11.14).
using System;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class UsbRouteTests
{
    [Fact]
    public void DeviceOnARootPortHasAnEmptyRouteAndNoTt()
    {
        UsbRoute route = UsbRoute.Compute(new[] { new UsbHop(3, UsbSpeed.Low, 1) });

        Assert.Equal(UsbRouteStatus.Ok, route.Status);
        Assert.Equal(0u, route.RouteString);
        Assert.Equal(3, route.RootPort);
        Assert.Equal(UsbSpeed.Low, route.Speed);
        Assert.False(route.HasTransactionTranslator);
    }

    [Fact]
    public void EachTierTakesFourBitsFromTheBottom()
    {
        UsbHop[] path =
        {
            new UsbHop(1, UsbSpeed.High, 1), new UsbHop(2, UsbSpeed.High, 2), new UsbHop(15, UsbSpeed.High, 3),
            new UsbHop(4, UsbSpeed.High, 4), new UsbHop(5, UsbSpeed.High, 5), new UsbHop(6, UsbSpeed.High, 6),
        };

        UsbRoute route = UsbRoute.Compute(path);

        Assert.Equal(UsbRouteStatus.Ok, route.Status);
        Assert.Equal(0x654F2u, route.RouteString);
        Assert.Equal(1, route.RootPort);
    }

    [Fact]
    public void LowSpeedKeyboardBehindHighSpeedHubUsesItsTt()
    {
        UsbRoute route = UsbRoute.Compute(new[] { new UsbHop(2, UsbSpeed.High, 4, hasMultipleTts: true), new UsbHop(3, UsbSpeed.Low, 5) });

        Assert.Equal(0x3u, route.RouteString);
        Assert.True(route.HasTransactionTranslator);
        Assert.Equal(4, route.TtHubSlotId);
        Assert.Equal(3, route.TtPort);
        Assert.True(route.MultiTt);
    }

    [Fact]
    public void HighSpeedDeviceBehindHighSpeedHubNeedsNoTt()
    {
        UsbRoute route = UsbRoute.Compute(new[] { new UsbHop(2, UsbSpeed.High, 4), new UsbHop(3, UsbSpeed.High, 5) });

        Assert.False(route.HasTransactionTranslator);
        Assert.Equal(0, route.TtPort);
    }

    [Fact]
    public void FullSpeedHubsBetweenUseTheNearestHighSpeedHubsTt()
    {
        // Root port 1 -> high-speed hub (slot 2) port 4 -> full-speed hub (slot 3) port 2 -> low-speed keyboard.
        UsbHop[] path = { new UsbHop(1, UsbSpeed.High, 2), new UsbHop(4, UsbSpeed.Full, 3), new UsbHop(2, UsbSpeed.Low, 7) };

        UsbRoute route = UsbRoute.Compute(path);

        Assert.Equal(0x24u, route.RouteString);
        Assert.Equal(2, route.TtHubSlotId);
        Assert.Equal(4, route.TtPort);
        Assert.False(route.MultiTt);
    }

    [Fact]
    public void BehindFullSpeedHubsOnlyThereIsNoTt()
    {
        // QEMU's usb-hub is full speed: a keyboard behind it on a root port talks full/low speed directly.
        UsbRoute route = UsbRoute.Compute(new[] { new UsbHop(5, UsbSpeed.Full, 1), new UsbHop(1, UsbSpeed.Full, 2) });

        Assert.Equal(0x1u, route.RouteString);
        Assert.Equal(5, route.RootPort);
        Assert.False(route.HasTransactionTranslator);
    }

    [Fact]
    public void SuperSpeedHubChainHasARouteAndNoTt()
    {
        UsbRoute route = UsbRoute.Compute(new[] { new UsbHop(7, UsbSpeed.Super, 1), new UsbHop(4, UsbSpeed.Super, 2) });

        Assert.Equal(0x4u, route.RouteString);
        Assert.False(route.HasTransactionTranslator);
    }

    [Fact]
    public void HubPortAbove15CannotBeEncoded()
    {
        Assert.Equal(UsbRouteStatus.PortTooLarge, UsbRoute.Compute(new[] { new UsbHop(1, UsbSpeed.High, 1), new UsbHop(16, UsbSpeed.Full, 2) }).Status);
        // Root ports are not in the route string: 16 is fine there.
        Assert.Equal(UsbRouteStatus.Ok, UsbRoute.Compute(new[] { new UsbHop(16, UsbSpeed.High, 1) }).Status);
        Assert.Equal(UsbRouteStatus.RootPortTooLarge, UsbRoute.Compute(new[] { new UsbHop(256, UsbSpeed.High, 1) }).Status);
    }

    [Fact]
    public void BadPathsAreRefused()
    {
        Assert.Equal(UsbRouteStatus.Empty, UsbRoute.Compute(ReadOnlySpan<UsbHop>.Empty).Status);
        Assert.Equal(UsbRouteStatus.BadPort, UsbRoute.Compute(new[] { new UsbHop(0, UsbSpeed.High, 1) }).Status);
        Assert.Equal(UsbRouteStatus.BadPort, UsbRoute.Compute(new[] { new UsbHop(1, UsbSpeed.High, 1), new UsbHop(0, UsbSpeed.Low, 2) }).Status);
        UsbHop[] deep = new UsbHop[7];
        for (int i = 0; i < deep.Length; i++)
            deep[i] = new UsbHop(1, UsbSpeed.High, i + 1);
        Assert.Equal(UsbRouteStatus.TooDeep, UsbRoute.Compute(deep).Status);
        Assert.Equal(0u, UsbRoute.Compute(deep).RouteString);
    }

    [Theory]
    [InlineData(UsbSpeed.Low, 8)]
    [InlineData(UsbSpeed.Full, 8)]
    [InlineData(UsbSpeed.High, 64)]
    [InlineData(UsbSpeed.Super, 512)]
    [InlineData(UsbSpeed.Unknown, 0)]
    public void DefaultControlPacketSizePerSpeed(UsbSpeed speed, int expected) =>
        Assert.Equal(expected, UsbSpeeds.DefaultMaxPacketSize0(speed));

    [Fact]
    public void SpeedsAreXhciPortSpeedIds()
    {
        Assert.Equal(1, (int)UsbSpeed.Full);
        Assert.Equal(2, (int)UsbSpeed.Low);
        Assert.Equal(3, (int)UsbSpeed.High);
        Assert.Equal(4, (int)UsbSpeed.Super);
    }
}
