// Tests for PciAddress: every in-range address keeps its parts, every out-of-range part is rejected, and the
// "ssss:bb:dd.f" text reads back to the same address.
using System;
using System.Globalization;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Pci;
using Xunit;

namespace Kernel.HostTests.Pci;

public class PciAddressTests
{
    /// <summary>Any valid (segment, bus, device, function).</summary>
    internal static readonly Gen<(int Segment, int Bus, int Device, int Function)> ValidParts =
        Gen.Select(Gen.Int[0, PciAddress.SegmentCount - 1], Gen.Int[0, PciAddress.BusCount - 1],
            Gen.Int[0, PciAddress.DeviceCount - 1], Gen.Int[0, PciAddress.FunctionCount - 1]);

    /// <summary>Any valid address.</summary>
    internal static readonly Gen<PciAddress> Valid = ValidParts.Select(p => new PciAddress(p.Segment, p.Bus, p.Device, p.Function));

    /// <summary>A value outside [0, count): negative or too large, edges included.</summary>
    private static Gen<int> OutOfRange(int count) =>
        Gen.OneOf(Gen.Int[int.MinValue, -1], Gen.Int[count, int.MaxValue], Gen.Const(-1), Gen.Const(count));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AValidAddressKeepsItsParts()
    {
        ValidParts.ForAll((segment, bus, device, function) =>
        {
            var address = new PciAddress(segment, bus, device, function);

            Assert.Equal(segment, address.Segment);
            Assert.Equal(bus, address.Bus);
            Assert.Equal(device, address.Device);
            Assert.Equal(function, address.Function);
        });
    }

    [Fact]
    public void TheThreePartConstructorIsSegmentZero()
    {
        var address = new PciAddress(0x12, 31, 7);

        Assert.Equal(0, address.Segment);
        Assert.Equal("0000:12:1f.7", address.ToString());
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AnOutOfRangeDeviceIsRejected() =>
        Gen.Select(ValidParts, OutOfRange(PciAddress.DeviceCount)).ForAll((p, device) =>
        {
            var error = Assert.Throws<ArgumentException>(() => new PciAddress(p.Segment, p.Bus, device, p.Function));
            Assert.Contains("device number " + device, error.Message);
        });

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AnOutOfRangeFunctionIsRejected() =>
        Gen.Select(ValidParts, OutOfRange(PciAddress.FunctionCount)).ForAll((p, function) =>
        {
            var error = Assert.Throws<ArgumentException>(() => new PciAddress(p.Segment, p.Bus, p.Device, function));
            Assert.Contains("function number " + function, error.Message);
        });

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AnOutOfRangeBusOrSegmentIsRejected()
    {
        Gen.Select(ValidParts, OutOfRange(PciAddress.BusCount)).ForAll((p, bus) =>
            Assert.Throws<ArgumentException>(() => new PciAddress(p.Segment, bus, p.Device, p.Function)));
        Gen.Select(ValidParts, OutOfRange(PciAddress.SegmentCount)).ForAll((p, segment) =>
            Assert.Throws<ArgumentException>(() => new PciAddress(segment, p.Bus, p.Device, p.Function)));
    }

    [Theory]
    [InlineData(0, 0, 0, 0, "0000:00:00.0")]
    [InlineData(0, 0, 31, 3, "0000:00:1f.3")]
    [InlineData(0xFFFF, 0xFF, 31, 7, "ffff:ff:1f.7")]
    public void TextIsSegmentBusDeviceFunctionInHex(int segment, int bus, int device, int function, string text) =>
        Assert.Equal(text, new PciAddress(segment, bus, device, function).ToString());

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void TextReadsBackToTheSameAddress()
    {
        Valid.ForAll(address =>
        {
            string[] parts = address.ToString().Split(':', '.');

            Assert.Equal(4, parts.Length);
            Assert.Equal(address.Segment, int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(address.Bus, int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(address.Device, int.Parse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(address.Function, int.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        });
    }
}
