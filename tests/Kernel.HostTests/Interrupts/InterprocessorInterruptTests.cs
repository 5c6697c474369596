// Tests for InterprocessorInterrupt: ICR values worked out by hand from the SDM's bit layout (Vol. 3A §11.6.1
// Figure 11-12, §11.12.9/§11.12.10 for x2APIC): vector 7:0, delivery mode 10:8 (NMI 100b, INIT 101b, STARTUP 110b),
// destination mode 11, level Assert 14, trigger 15, shorthand 19:18, xAPIC destination in the high word's 31:24,
// x2APIC destination in 63:32. The broadcast forms are Example 8-1's (§8.4.4.1): 0x000C4500 and 0x000C46vv.
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Interrupts;
using Xunit;

namespace Kernel.HostTests.Interrupts;

public class InterprocessorInterruptTests
{
    private static (IpiStatus Status, uint High, uint Low) XApic(InterprocessorInterrupt ipi)
    {
        IpiStatus status = ipi.EncodeXApic(out uint high, out uint low);
        return (status, high, low);
    }

    private static (IpiStatus Status, ulong Value) X2Apic(InterprocessorInterrupt ipi)
    {
        IpiStatus status = ipi.EncodeX2Apic(out ulong value);
        return (status, value);
    }

    [Fact]
    public void InitToApic1()
    {
        // INIT 101b << 8 = 0x500, Assert 0x4000; destination 1 << 24.
        Assert.Equal((IpiStatus.Ok, 0x0100_0000u, 0x0000_4500u), XApic(InterprocessorInterrupt.Init(1)));
        Assert.Equal((IpiStatus.Ok, 0x0000_0001_0000_4500UL), X2Apic(InterprocessorInterrupt.Init(1)));
    }

    [Fact]
    public void StartupWithTrampolineAtPage8()
    {
        // STARTUP 110b << 8 = 0x600, Assert 0x4000, vector 0x8000 / 4 KiB = 0x08.
        InterprocessorInterrupt sipi = InterprocessorInterrupt.Startup(1, 0x8000);
        Assert.Equal(IpiStatus.Ok, sipi.Status);
        Assert.Equal(0x08, sipi.Vector);
        Assert.Equal((IpiStatus.Ok, 0x0100_0000u, 0x0000_4608u), XApic(sipi));
        Assert.Equal((IpiStatus.Ok, 0x0000_0001_0000_4608UL), X2Apic(sipi));
    }

    [Theory]
    [InlineData(0x0000UL, 0x0000_4600u)]
    [InlineData(0x9F000UL, 0x0000_469Fu)]
    [InlineData(0x9F000UL - 0x1000, 0x0000_469Eu)]
    [InlineData(0xC0000UL, 0x0000_46C0u)]
    [InlineData(0xFF000UL, 0x0000_46FFu)]
    public void StartupVectorIsTheTrampolinePage(ulong address, uint low)
    {
        Assert.Equal((IpiStatus.Ok, 0x0200_0000u, low), XApic(InterprocessorInterrupt.Startup(2, address)));
    }

    [Theory]
    [InlineData(0x8001UL, IpiStatus.TrampolineNotPageAligned)]
    [InlineData(0x8800UL, IpiStatus.TrampolineNotPageAligned)]
    [InlineData(0xFFFFFUL, IpiStatus.TrampolineNotPageAligned)]
    [InlineData(0x100000UL, IpiStatus.TrampolineAbove1MiB)]
    [InlineData(0x108000UL, IpiStatus.TrampolineAbove1MiB)]
    [InlineData(0x1_0000_8000UL, IpiStatus.TrampolineAbove1MiB)]
    [InlineData(0xA0000UL, IpiStatus.TrampolineInReservedPages)]
    [InlineData(0xB8000UL, IpiStatus.TrampolineInReservedPages)]
    [InlineData(0xBF000UL, IpiStatus.TrampolineInReservedPages)]
    public void BadTrampolinesAreRejectedNotEncoded(ulong address, IpiStatus expected)
    {
        InterprocessorInterrupt sipi = InterprocessorInterrupt.Startup(1, address);
        Assert.Equal(expected, sipi.Status);
        Assert.Equal((expected, 0u, 0u), XApic(sipi));
        Assert.Equal((expected, 0UL), X2Apic(sipi));
        Assert.Equal(expected, InterprocessorInterrupt.StartupToAllExcludingSelf(address).Status);
        Assert.Equal(expected, InterprocessorInterrupt.StartupVectorFor(address, out byte vector));
        Assert.Equal(0, vector);
    }

    [Fact]
    public void FixedVectorToOneCpu()
    {
        // Fixed 000b, Assert 0x4000, vector 0x40; destination 2 << 24.
        Assert.Equal((IpiStatus.Ok, 0x0200_0000u, 0x0000_4040u), XApic(InterprocessorInterrupt.Fixed(2, 0x40)));
        Assert.Equal((IpiStatus.Ok, 0x0000_0002_0000_4040UL), X2Apic(InterprocessorInterrupt.Fixed(2, 0x40)));
        Assert.Equal((IpiStatus.Ok, 0xFE00_0000u, 0x0000_40FFu), XApic(InterprocessorInterrupt.Fixed(0xFE, 0xFF)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(15)]
    public void FixedVectorsBelow16AreIllegal(byte vector)
    {
        Assert.Equal(IpiStatus.IllegalVector, InterprocessorInterrupt.Fixed(1, vector).Status);
        Assert.Equal(IpiStatus.IllegalVector, InterprocessorInterrupt.FixedToSelf(vector).Status);
        Assert.Equal(IpiStatus.IllegalVector, InterprocessorInterrupt.FixedToAllExcludingSelf(vector).Status);
        Assert.Equal((IpiStatus.IllegalVector, 0u, 0u), XApic(InterprocessorInterrupt.Fixed(1, vector)));
        Assert.Equal(IpiStatus.Ok, InterprocessorInterrupt.Fixed(1, 16).Status);
    }

    [Fact]
    public void NmiToOneCpu()
    {
        // NMI 100b << 8 = 0x400, Assert 0x4000, vector 0.
        Assert.Equal((IpiStatus.Ok, 0x0300_0000u, 0x0000_4400u), XApic(InterprocessorInterrupt.Nmi(3)));
        Assert.Equal((IpiStatus.Ok, 0x0000_0003_0000_4400UL), X2Apic(InterprocessorInterrupt.Nmi(3)));
    }

    [Fact]
    public void ShorthandsIgnoreTheDestination()
    {
        // Self 01b << 18 = 0x40000; all excluding self 11b << 18 = 0xC0000. High word / destination 0.
        Assert.Equal((IpiStatus.Ok, 0u, 0x0004_40F0u), XApic(InterprocessorInterrupt.FixedToSelf(0xF0)));
        Assert.Equal((IpiStatus.Ok, 0u, 0x000C_4041u), XApic(InterprocessorInterrupt.FixedToAllExcludingSelf(0x41)));
        Assert.Equal((IpiStatus.Ok, 0u, 0x000C_4400u), XApic(InterprocessorInterrupt.NmiToAllExcludingSelf()));
        Assert.Equal((IpiStatus.Ok, 0u, 0x000C_4500u), XApic(InterprocessorInterrupt.InitToAllExcludingSelf()));
        Assert.Equal((IpiStatus.Ok, 0u, 0x000C_4609u), XApic(InterprocessorInterrupt.StartupToAllExcludingSelf(0x9000)));
        Assert.Equal((IpiStatus.Ok, 0x0000_0000_000C_4500UL), X2Apic(InterprocessorInterrupt.InitToAllExcludingSelf()));
        Assert.Equal((IpiStatus.Ok, 0x0000_0000_0004_40F0UL), X2Apic(InterprocessorInterrupt.FixedToSelf(0xF0)));
    }

    [Theory]
    [InlineData(256u)]
    [InlineData(300u)]
    [InlineData(0x1_0000u)]
    [InlineData(0xFFFF_FFFEu)]
    public void XApicCannotReachIdsAbove255ButX2ApicCan(uint apicId)
    {
        // Never truncated: 300 would otherwise become 300 & 0xFF = 44, another CPU.
        Assert.Equal((IpiStatus.DestinationNeedsX2Apic, 0u, 0u), XApic(InterprocessorInterrupt.Init(apicId)));
        Assert.Equal((IpiStatus.DestinationNeedsX2Apic, 0u, 0u), XApic(InterprocessorInterrupt.Startup(apicId, 0x8000)));
        Assert.Equal((IpiStatus.Ok, ((ulong)apicId << 32) | 0x4500UL), X2Apic(InterprocessorInterrupt.Init(apicId)));
    }

    [Fact]
    public void X2ApicIdOf300IsEncodedWhole()
    {
        // 300 = 0x12C in bits 63:32.
        Assert.Equal((IpiStatus.Ok, 0x0000_012C_0000_4608UL), X2Apic(InterprocessorInterrupt.Startup(300, 0x8000)));
    }

    [Fact]
    public void BroadcastIdsAreNotOneCpu()
    {
        Assert.Equal((IpiStatus.DestinationIsBroadcast, 0u, 0u), XApic(InterprocessorInterrupt.Init(0xFF)));
        Assert.Equal((IpiStatus.Ok, 0x0000_00FF_0000_4500UL), X2Apic(InterprocessorInterrupt.Init(0xFF)));
        Assert.Equal((IpiStatus.DestinationIsBroadcast, 0UL), X2Apic(InterprocessorInterrupt.Nmi(0xFFFF_FFFF)));
    }

    [Fact]
    public void ConstantsMatchTheSdm()
    {
        Assert.Equal(0x830u, InterprocessorInterrupt.X2ApicIcrMsr);
        Assert.Equal(0x300u, InterprocessorInterrupt.XApicIcrLowOffset);
        Assert.Equal(0x310u, InterprocessorInterrupt.XApicIcrHighOffset);
        Assert.Equal(0x1000u, InterprocessorInterrupt.DeliveryPendingBit);
        Assert.Equal(0x4000u, InterprocessorInterrupt.LevelAssertBit);
        Assert.Equal(0x8000u, InterprocessorInterrupt.LevelTriggerBit);
        Assert.Equal(0x800u, InterprocessorInterrupt.LogicalDestinationBit);
    }

    [Fact]
    public void EveryStatusHasAName()
    {
        foreach (IpiStatus status in System.Enum.GetValues<IpiStatus>())
            Assert.NotEqual("unknown status", InterprocessorInterrupt.StatusName(status));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void BothModesAgreeWhereXApicCanReach()
    {
        Gen.Select(Gen.UInt[0, 254], Gen.Byte[16, 255], Gen.Int[0, 3]).ForAll((apicId, vector, kind) =>
        {
            InterprocessorInterrupt ipi = kind == 0 ? InterprocessorInterrupt.Fixed(apicId, vector)
                : kind == 1 ? InterprocessorInterrupt.Nmi(apicId)
                : kind == 2 ? InterprocessorInterrupt.Init(apicId)
                : InterprocessorInterrupt.Startup(apicId, 0x1000UL * (ulong)(vector % 0xA0));
            Assert.Equal(IpiStatus.Ok, ipi.EncodeXApic(out uint high, out uint low));
            Assert.Equal(IpiStatus.Ok, ipi.EncodeX2Apic(out ulong value));
            Assert.Equal(apicId << 24, high);
            Assert.Equal((ulong)apicId, value >> 32);
            Assert.Equal(low, (uint)value);
            Assert.Equal(0u, low & (InterprocessorInterrupt.DeliveryPendingBit | InterprocessorInterrupt.LogicalDestinationBit
                | InterprocessorInterrupt.LevelTriggerBit));
            Assert.Equal(InterprocessorInterrupt.LevelAssertBit, low & InterprocessorInterrupt.LevelAssertBit);
        }, iterations: 500);
    }
}
