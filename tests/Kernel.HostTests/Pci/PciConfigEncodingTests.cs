// Tests for PciConfigEncoding: the CONFIG_ADDRESS layout of mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2, Figure 3-2)
// and the ECAM offset (PCIe Base 4.0 §7.2.2, Table 7-1) decode back to the address and offset they encode, with
// the reserved bits clear; out-of-range input is rejected, and an access is allowed exactly when it is inside the
// space and aligned to its width.
using System;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Pci;
using Xunit;

namespace Kernel.HostTests.Pci;

public class PciConfigEncodingTests
{
    private static readonly Gen<PciAddress> SegmentZero =
        Gen.Select(Gen.Int[0, 255], Gen.Int[0, 31], Gen.Int[0, 7]).Select((bus, device, function) => new PciAddress(bus, device, function));

    private static readonly Gen<int> LegacyOffset = Gen.Int[0, PciConfigEncoding.LegacySpaceBytes - 1];

    private static readonly Gen<int> ExtendedOffset = Gen.Int[0, PciConfigEncoding.ExtendedSpaceBytes - 1];

    // ---- mechanism #1: CONFIG_ADDRESS ---------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ConfigAddressDecodesToTheBusDeviceFunctionAndDword()
    {
        Gen.Select(SegmentZero, LegacyOffset).ForAll((address, offset) =>
        {
            uint value = PciConfigEncoding.LegacyConfigAddress(address, offset);

            Assert.Equal(1u, value >> 31);                   // Enable
            Assert.Equal(0u, (value >> 24) & 0x7F);          // reserved
            Assert.Equal(address.Bus, (value >> 16) & 0xFF);
            Assert.Equal(address.Device, (value >> 11) & 0x1F);
            Assert.Equal(address.Function, (value >> 8) & 0x7);
            Assert.Equal((uint)offset & ~3u, value & 0xFC);  // the dword; the byte lane is the data port's
            Assert.Equal(0u, value & 0x3);
        });
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EveryByteOfADwordHasTheDwordsConfigAddress()
    {
        Gen.Select(SegmentZero, Gen.Int[0, 63]).ForAll((address, dword) =>
        {
            uint first = PciConfigEncoding.LegacyConfigAddress(address, dword * 4);
            for (int lane = 1; lane < 4; lane++)
                Assert.Equal(first, PciConfigEncoding.LegacyConfigAddress(address, dword * 4 + lane));
        });
    }

    [Theory]
    [InlineData(0, 0, 0, 0x00, 0x8000_0000u)]
    [InlineData(0, 31, 3, 0x10, 0x8000_FB10u)] // 00:1f.3 BAR0
    [InlineData(0x12, 5, 1, 0x3E, 0x8012_293Cu)]
    [InlineData(255, 31, 7, 0xFF, 0x80FF_FFFCu)]
    public void ConfigAddressKnownValues(int bus, int device, int function, int offset, uint expected) =>
        Assert.Equal(expected, PciConfigEncoding.LegacyConfigAddress(new PciAddress(bus, device, function), offset));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ConfigAddressRejectsOffsetsOutsideTheLegacySpace()
    {
        Gen.Select(SegmentZero, Gen.OneOf(Gen.Int[int.MinValue, -1], Gen.Int[PciConfigEncoding.LegacySpaceBytes, int.MaxValue]))
            .ForAll((address, offset) => Assert.Throws<ArgumentException>(() => PciConfigEncoding.LegacyConfigAddress(address, offset)));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ConfigAddressRejectsSegmentsOtherThanZero()
    {
        Gen.Select(PciAddressTests.Valid.Where(a => a.Segment != 0), LegacyOffset).ForAll((address, offset) =>
        {
            var error = Assert.Throws<ArgumentException>(() => PciConfigEncoding.LegacyConfigAddress(address, offset));
            Assert.Contains("segment 0 only", error.Message);
        });
    }

    // ---- ECAM ------------------------------------------------------------------------------------------------

    /// <summary>An address at or above startBus, with startBus.</summary>
    private static readonly Gen<(PciAddress Address, int StartBus)> InWindow =
        PciAddressTests.Valid.SelectMany(a => Gen.Int[0, a.Bus].Select(start => (a, start)));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EcamOffsetDecodesToTheBusDeviceFunctionAndByte()
    {
        Gen.Select(InWindow, ExtendedOffset).ForAll((window, offset) =>
        {
            (PciAddress address, int startBus) = window;
            uint value = PciConfigEncoding.EcamOffset(address, offset, startBus);

            Assert.Equal(address.Bus - startBus, (int)(value >> 20));
            Assert.Equal(address.Device, (value >> 15) & 0x1F);
            Assert.Equal(address.Function, (value >> 12) & 0x7);
            Assert.Equal((uint)offset, value & 0xFFF);
            Assert.True(value < (uint)(PciAddress.BusCount - startBus) * PciConfigEncoding.EcamBusBytes, "inside the window");
        });
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void TheWindowStartsStartBusMebibytesAboveTheBaseAddress()
    {
        // The MCFG base address is where bus 0 of the segment would be, whatever bus the window starts at.
        Gen.Select(InWindow, ExtendedOffset).ForAll((window, offset) =>
        {
            (PciAddress address, int startBus) = window;
            ulong fromBase = (ulong)startBus * PciConfigEncoding.EcamBusBytes + PciConfigEncoding.EcamOffset(address, offset, startBus);

            Assert.Equal(PciConfigEncoding.EcamOffset(address, offset, 0), fromBase);
        });
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 0, 0x0000_0000u)]
    [InlineData(0, 31, 3, 0x10, 0, 0x000F_B010u)]
    [InlineData(2, 1, 0, 0x100, 0, 0x0020_8100u)]  // the first extended capability of 02:01.0
    [InlineData(2, 1, 0, 0x100, 2, 0x0000_8100u)]  // the same, in a window that starts at bus 2
    [InlineData(255, 31, 7, 0xFFF, 0, 0x0FFF_FFFFu)]
    public void EcamOffsetKnownValues(int bus, int device, int function, int offset, int startBus, uint expected) =>
        Assert.Equal(expected, PciConfigEncoding.EcamOffset(new PciAddress(bus, device, function), offset, startBus));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EcamOffsetRejectsBusesBelowTheWindow()
    {
        PciAddressTests.Valid.Where(a => a.Bus < 255).SelectMany(a => Gen.Int[a.Bus + 1, 255].Select(start => (a, start)))
            .ForAll((address, startBus) => Assert.Throws<ArgumentException>(() => PciConfigEncoding.EcamOffset(address, 0, startBus)));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EcamOffsetRejectsOffsetsOutsideTheExtendedSpace()
    {
        Gen.Select(PciAddressTests.Valid, Gen.OneOf(Gen.Int[int.MinValue, -1], Gen.Int[PciConfigEncoding.ExtendedSpaceBytes, int.MaxValue]))
            .ForAll((address, offset) => Assert.Throws<ArgumentException>(() => PciConfigEncoding.EcamOffset(address, offset, 0)));
    }

    // ---- which accesses are allowed -----------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AnAccessIsAllowedExactlyWhenInsideTheSpaceAndAlignedToItsWidth()
    {
        Gen<int> space = Gen.OneOf(Gen.Const(PciConfigEncoding.LegacySpaceBytes), Gen.Const(PciConfigEncoding.ExtendedSpaceBytes));
        Gen.Select(Gen.Int[-8, 4200], Gen.Int[0, 8], space).ForAll((offset, width, spaceBytes) =>
        {
            bool expected = (width == 1 || width == 2 || width == 4) && offset >= 0 && offset + width <= spaceBytes && offset % width == 0;

            Assert.Equal(expected, PciConfigEncoding.OffsetProblem(offset, width, spaceBytes) == null);
        });
    }

    [Theory]
    [InlineData(0x42, 4, 256, "offset 0x42 is not aligned to its width 4")]
    [InlineData(0x100, 1, 256, "offset 0x100 (width 1) is outside the 256-byte configuration space")]
    [InlineData(0xFFE, 4, 4096, "offset 0xffe (width 4) is outside the 4096-byte configuration space")]
    [InlineData(-1, 1, 4096, "offset 0xffffffff (width 1) is outside the 4096-byte configuration space")]
    [InlineData(0, 3, 256, "access width 3 is not 1, 2 or 4 bytes")]
    public void ProblemsAreNamed(int offset, int width, int spaceBytes, string problem) =>
        Assert.Equal(problem, PciConfigEncoding.OffsetProblem(offset, width, spaceBytes));
}
