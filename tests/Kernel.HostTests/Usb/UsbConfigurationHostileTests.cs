// The configuration walk against hostile and broken descriptors: zero and overlong bLengths, wrong wTotalLength,
// orphans, absurd counts; and properties over random and mutated bytes: never a throw, never a hang, bounded results.
using System;
using System.Collections.Generic;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class UsbConfigurationHostileTests
{
    private static byte[] WithTotalLength(byte[] bytes, int totalLength)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[2] = (byte)totalLength;
        copy[3] = (byte)(totalLength >> 8);
        return copy;
    }

    [Fact]
    public void ZeroBLengthStopsTheWalkAndKeepsWhatCameBefore()
    {
        byte[] bytes = (byte[])RealDescriptors.LogitechUnifyingConfiguration.Clone();
        bytes[34] = 0; // interface 1's bLength

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.BadLength, configuration.Status);
        Assert.Equal(34, configuration.ProblemOffset);
        Assert.Equal(1, configuration.InterfaceCount);
        Assert.NotNull(configuration.FindBootKeyboard(out _));
        Assert.Equal("bLength too small at offset 34", configuration.Describe());
    }

    [Fact]
    public void BLengthOfOneCannotLoopEither()
    {
        byte[] bytes = { 0x09, 0x02, 0x0C, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32, 0x01, 0x04, 0x00 };

        Assert.Equal(UsbDescriptorStatus.BadLength, UsbConfiguration.Parse(bytes).Status);
    }

    [Fact]
    public void BLengthPastTheEndIsReportedNotRead()
    {
        byte[] bytes = (byte[])RealDescriptors.QemuKeyboardConfiguration.Clone();
        bytes[27] = 0x40; // the endpoint claims 64 bytes

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.PastEnd, configuration.Status);
        Assert.Equal(27, configuration.ProblemOffset);
        Assert.Equal(0, configuration.Interface(0).EndpointCount);
        Assert.Null(configuration.FindBootKeyboard(out _));
    }

    [Fact]
    public void TotalLengthBeyondTheBytesWalksWhatWasRead()
    {
        UsbConfiguration configuration = UsbConfiguration.Parse(WithTotalLength(RealDescriptors.QemuKeyboardConfiguration, 0x400));

        Assert.Equal(UsbDescriptorStatus.Truncated, configuration.Status);
        Assert.NotNull(configuration.FindBootKeyboard(out _));
    }

    [Fact]
    public void TotalLengthShorterThanTheBytesIgnoresTheRest()
    {
        // The first 9 bytes of GET_DESCRIPTOR(config) only, as a driver reads them to learn wTotalLength.
        UsbConfiguration header = UsbConfiguration.Parse(RealDescriptors.LogitechUnifyingConfiguration.AsSpan(0, 9));
        Assert.Equal(UsbDescriptorStatus.Truncated, header.Status);
        Assert.Equal(84, header.TotalLength);

        // wTotalLength covering interface 0 only: the bytes after it are junk the walk must not read.
        UsbConfiguration first = UsbConfiguration.Parse(WithTotalLength(RealDescriptors.LogitechUnifyingConfiguration, 34));
        Assert.Equal(1, first.InterfaceCount);
        Assert.Equal(UsbDescriptorStatus.InterfaceCountMismatch, first.Status);
    }

    [Fact]
    public void TotalLengthBelowNineIsRejected()
    {
        Assert.Equal(UsbDescriptorStatus.BadTotalLength, UsbConfiguration.Parse(WithTotalLength(RealDescriptors.QemuKeyboardConfiguration, 4)).Status);
        Assert.True(UsbDescriptorStatusText.IsFatal(UsbDescriptorStatus.BadTotalLength));
    }

    [Fact]
    public void EndpointBeforeAnyInterfaceIsSkipped()
    {
        byte[] bytes =
        {
            0x09, 0x02, 0x29, 0x00, 0x01, 0x01, 0x00, 0xA0, 0x32,
            0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0A,
            0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00,
            0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
            0x07, 0x05, 0x82, 0x03, 0x08, 0x00, 0x0A,
        };

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.OrphanDescriptor, configuration.Status);
        Assert.Equal(9, configuration.ProblemOffset);
        Assert.Equal(0x82, configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint) == null ? 0 : endpoint.Address);
        Assert.False(configuration.Interface(0).HasHid);
    }

    [Fact]
    public void EndlessInterfaceListIsCappedAt32()
    {
        List<byte> bytes = new List<byte> { 0x09, 0x02, 0, 0, 0xFF, 0x01, 0x00, 0x80, 0x32 };
        for (int i = 0; i < 200; i++)
            bytes.AddRange(new byte[] { 0x09, 0x04, (byte)i, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0A });
        byte[] array = WithTotalLength(bytes.ToArray(), Math.Min(bytes.Count, 0xFFFF));

        UsbConfiguration configuration = UsbConfiguration.Parse(array);

        Assert.Equal(UsbConfiguration.MaxInterfaces, configuration.InterfaceCount);
        Assert.Equal(UsbDescriptorStatus.TooManyInterfaces, configuration.Status);
        Assert.Equal(9 + 32 * 16, configuration.ProblemOffset);
    }

    [Fact]
    public void EndlessEndpointListIsCappedAt32()
    {
        List<byte> bytes = new List<byte> { 0x09, 0x02, 0, 0, 0x01, 0x01, 0x00, 0x80, 0x32, 0x09, 0x04, 0x00, 0x00, 0xFF, 0x03, 0x01, 0x01, 0x00 };
        for (int i = 0; i < 100; i++)
            bytes.AddRange(new byte[] { 0x07, 0x05, (byte)(0x80 | (i & 0x0F)), 0x03, 0x08, 0x00, 0x0A });
        byte[] array = WithTotalLength(bytes.ToArray(), bytes.Count);

        UsbConfiguration configuration = UsbConfiguration.Parse(array);

        Assert.Equal(UsbInterface.MaxEndpoints, configuration.Interface(0).EndpointCount);
        Assert.Equal(UsbDescriptorStatus.TooManyEndpoints, configuration.Status);
    }

    [Fact]
    public void DeclaredEndpointCountThatDisagreesIsNoted()
    {
        byte[] bytes = (byte[])RealDescriptors.QemuKeyboardConfiguration.Clone();
        bytes[13] = 3; // bNumEndpoints

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.EndpointCountMismatch, configuration.Status);
        Assert.Equal("endpoint count differs from bNumEndpoints", configuration.Describe());
        Assert.NotNull(configuration.FindBootKeyboard(out _));
    }

    [Fact]
    public void UnknownAndClassSpecificDescriptorsAreStepedOver()
    {
        // An interface association (type 11) and a class-specific interface descriptor (type 0x24) in the walk.
        byte[] bytes =
        {
            0x09, 0x02, 0x2F, 0x00, 0x01, 0x01, 0x00, 0xA0, 0x32,
            0x08, 0x0B, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
            0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
            0x05, 0x24, 0x00, 0x10, 0x01,
            0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00,
            0x07, 0x05, 0x81, 0x03, 0x08, 0x00, 0x0A,
        };

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.NotNull(configuration.FindBootKeyboard(out _));
    }

    [Theory]
    [InlineData(new byte[0], UsbDescriptorStatus.TooShort)]
    [InlineData(new byte[] { 0x09 }, UsbDescriptorStatus.TooShort)]
    [InlineData(new byte[] { 0x12, 0x01, 0, 0, 0, 0, 0, 0, 0 }, UsbDescriptorStatus.WrongType)]
    [InlineData(new byte[] { 0x09, 0x02, 0x09, 0x00 }, UsbDescriptorStatus.PastEnd)]
    [InlineData(new byte[] { 0x00, 0x02, 0x09, 0x00, 0, 0, 0, 0, 0 }, UsbDescriptorStatus.BadLength)]
    public void BrokenConfigurationHeadersAreFatal(byte[] bytes, UsbDescriptorStatus expected)
    {
        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(expected, configuration.Status);
        Assert.Equal(0, configuration.InterfaceCount);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ArbitraryBytesNeverThrowAndStayBounded()
    {
        Gen.Byte.Array[0, 600].ForAll(bytes =>
        {
            UsbConfiguration configuration = UsbConfiguration.Parse(bytes);
            AssertBounded(configuration, bytes.Length);
            UsbDeviceDescriptor.TryParse(bytes, out _);
            UsbHubDescriptor.TryParse(bytes, out _);
            UsbEndpointDescriptor.TryParse(bytes, out _);
            HidDescriptor.TryParse(bytes, out _);
        }, iterations: 500);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ArbitraryBodiesBehindAValidHeaderNeverThrow()
    {
        // Random bytes rarely pass the header; this puts a valid one in front of random descriptors.
        Gen.Byte.Array[0, 1200].ForAll(body =>
        {
            byte[] bytes = new byte[9 + body.Length];
            byte[] header = { 0x09, 0x02, (byte)bytes.Length, (byte)(bytes.Length >> 8), 0x01, 0x01, 0x00, 0x80, 0x32 };
            header.CopyTo(bytes, 0);
            body.CopyTo(bytes, 9);
            AssertBounded(UsbConfiguration.Parse(bytes), bytes.Length);
        }, iterations: 500);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedRealConfigurationsNeverThrow()
    {
        byte[][] originals =
        {
            RealDescriptors.QemuKeyboardConfiguration, RealDescriptors.LogitechUnifyingConfiguration,
            RealDescriptors.RohmCompositeConfiguration, RealDescriptors.LinuxXhciSuperSpeedRootHubConfiguration,
        };
        Gen.Select(Gen.Int[0, originals.Length - 1], ByteMutation.Of(84)).ForAll((which, mutation) =>
        {
            byte[] bytes = mutation.Apply(originals[which]);
            UsbConfiguration configuration = UsbConfiguration.Parse(bytes);
            AssertBounded(configuration, bytes.Length);
            UsbInterface keyboard = configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint);
            if (keyboard != null)
            {
                Assert.True(keyboard.IsBootKeyboard);
                Assert.True(endpoint.IsInterruptIn);
            }
        }, iterations: 1000);
    }

    private static void AssertBounded(UsbConfiguration configuration, int length)
    {
        Assert.InRange(configuration.InterfaceCount, 0, UsbConfiguration.MaxInterfaces);
        // Each interface takes 9 bytes and each endpoint 7, so the counts cannot exceed what the bytes hold.
        int endpoints = 0;
        for (int i = 0; i < configuration.InterfaceCount; i++)
        {
            Assert.InRange(configuration.Interface(i).EndpointCount, 0, UsbInterface.MaxEndpoints);
            endpoints += configuration.Interface(i).EndpointCount;
        }

        Assert.True(configuration.InterfaceCount * 9 + endpoints * 7 <= length);
        Assert.InRange(configuration.ProblemOffset, -1, length);
        Assert.NotNull(configuration.Describe());
    }
}
