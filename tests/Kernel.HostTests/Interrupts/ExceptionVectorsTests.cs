// Tests for the CPU exception vector table (kernel/Interrupts/ExceptionVectors.cs) against Intel SDM Vol. 3A
// Table 6-1 and the error-code layouts of §4.7 (page faults) and §6.13 (selector error codes).
using System;
using System.Collections.Generic;
using Kernel.Interrupts;
using Xunit;

namespace Kernel.HostTests.Interrupts;

public class ExceptionVectorsTests
{
    // SDM Vol. 3A Table 6-1, "Error Code" column: Yes for #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
    private static readonly int[] VectorsWithErrorCode = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };

    public static IEnumerable<object[]> ArchitecturalVectors()
    {
        for (int vector = 0; vector < 32; vector++)
            yield return new object[] { vector };
    }

    [Theory]
    [MemberData(nameof(ArchitecturalVectors))]
    public void ErrorCodeIsPushedExactlyForTheVectorsTheSdmLists(int vector)
    {
        Assert.Equal(Array.IndexOf(VectorsWithErrorCode, vector) >= 0, ExceptionVectors.HasErrorCode(vector));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(0x80)]
    [InlineData(255)]
    [InlineData(-1)]
    public void VectorsOutsideTheExceptionRangeHaveNoErrorCode(int vector)
    {
        Assert.False(ExceptionVectors.HasErrorCode(vector));
    }

    [Theory]
    [InlineData(0, "#DE")]
    [InlineData(1, "#DB")]
    [InlineData(2, "NMI")]
    [InlineData(3, "#BP")]
    [InlineData(4, "#OF")]
    [InlineData(5, "#BR")]
    [InlineData(6, "#UD")]
    [InlineData(7, "#NM")]
    [InlineData(8, "#DF")]
    [InlineData(10, "#TS")]
    [InlineData(11, "#NP")]
    [InlineData(12, "#SS")]
    [InlineData(13, "#GP")]
    [InlineData(14, "#PF")]
    [InlineData(16, "#MF")]
    [InlineData(17, "#AC")]
    [InlineData(18, "#MC")]
    [InlineData(19, "#XM")]
    [InlineData(20, "#VE")]
    [InlineData(21, "#CP")]
    [InlineData(28, "#HV")]
    [InlineData(29, "#VC")]
    [InlineData(30, "#SX")]
    public void NameCarriesTheSdmMnemonic(int vector, string mnemonic)
    {
        string name = ExceptionVectors.Name(vector);

        Assert.Contains("(" + mnemonic + ")", name, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedConstantsMatchTheSdmVectorNumbers()
    {
        Assert.Equal(
            new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 28, 29, 30 },
            new[]
            {
                ExceptionVectors.DivideError, ExceptionVectors.Debug, ExceptionVectors.NonMaskableInterrupt, ExceptionVectors.Breakpoint,
                ExceptionVectors.Overflow, ExceptionVectors.BoundRangeExceeded, ExceptionVectors.InvalidOpcode, ExceptionVectors.DeviceNotAvailable,
                ExceptionVectors.DoubleFault, ExceptionVectors.InvalidTss, ExceptionVectors.SegmentNotPresent, ExceptionVectors.StackSegmentFault,
                ExceptionVectors.GeneralProtection, ExceptionVectors.PageFault, ExceptionVectors.X87FloatingPoint, ExceptionVectors.AlignmentCheck,
                ExceptionVectors.MachineCheck, ExceptionVectors.SimdFloatingPoint, ExceptionVectors.Virtualization, ExceptionVectors.ControlProtection,
                ExceptionVectors.HypervisorInjection, ExceptionVectors.VmmCommunication, ExceptionVectors.Security,
            });
        Assert.Equal(32, ExceptionVectors.Count);
    }

    [Fact]
    public void EveryArchitecturalVectorHasANameAndDefinedOnesAreDistinct()
    {
        var seen = new HashSet<string>();
        for (int vector = 0; vector < 32; vector++)
        {
            string name = ExceptionVectors.Name(vector);
            Assert.False(string.IsNullOrEmpty(name));
            if (name != "reserved exception")
                Assert.True(seen.Add(name), $"vector {vector} repeats the name \"{name}\"");
        }

        Assert.Equal(24, seen.Count); // 23 with mnemonics plus vector 9
    }

    [Theory]
    [InlineData(15)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(26)]
    [InlineData(27)]
    [InlineData(31)]
    public void ReservedVectorsAreCalledReserved(int vector)
    {
        Assert.Equal("reserved exception", ExceptionVectors.Name(vector));
    }

    [Fact]
    public void VectorNineIsTheLegacyCoprocessorSegmentOverrun()
    {
        Assert.Equal("coprocessor segment overrun", ExceptionVectors.Name(9));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(0x21)]
    [InlineData(255)]
    public void VectorsAboveTheExceptionRangeAreUnexpectedInterrupts(int vector)
    {
        Assert.Equal("unexpected interrupt", ExceptionVectors.Name(vector));
    }

    [Theory]
    [InlineData(0x00ul, "read from a non-present page in kernel mode")]
    [InlineData(0x01ul, "read from a protected page in kernel mode")]
    [InlineData(0x02ul, "write to a non-present page in kernel mode")]
    [InlineData(0x03ul, "write to a protected page in kernel mode")]
    [InlineData(0x04ul, "read from a non-present page in user mode")]
    [InlineData(0x05ul, "read from a protected page in user mode")]
    [InlineData(0x06ul, "write to a non-present page in user mode")]
    [InlineData(0x07ul, "write to a protected page in user mode")]
    [InlineData(0x09ul, "read from a protected page in kernel mode, reserved bit set in a paging entry")]
    [InlineData(0x0Bul, "write to a protected page in kernel mode, reserved bit set in a paging entry")]
    [InlineData(0x0Dul, "read from a protected page in user mode, reserved bit set in a paging entry")]
    [InlineData(0x10ul, "instruction fetch from a non-present page in kernel mode")]
    [InlineData(0x11ul, "instruction fetch from a protected page in kernel mode")]
    [InlineData(0x14ul, "instruction fetch from a non-present page in user mode")]
    [InlineData(0x15ul, "instruction fetch from a protected page in user mode")]
    [InlineData(0x19ul, "instruction fetch from a protected page in kernel mode, reserved bit set in a paging entry")]
    [InlineData(0x1Ful, "instruction fetch from a protected page in user mode, reserved bit set in a paging entry")]
    public void DescribesPageFaultErrorCodeBits(ulong errorCode, string expected)
    {
        Assert.Equal(expected, ExceptionVectors.DescribePageFault(errorCode));
    }

    [Theory]
    [InlineData(0x20ul, "read from a non-present page in kernel mode")] // PK
    [InlineData(0x40ul, "read from a non-present page in kernel mode")] // SS
    [InlineData(0x8003ul, "write to a protected page in kernel mode")] // SGX
    [InlineData(0xFFFF_FFFF_0000_0005ul, "read from a protected page in user mode")]
    public void PageFaultDescriptionIgnoresBitsItDoesNotName(ulong errorCode, string expected)
    {
        Assert.Equal(expected, ExceptionVectors.DescribePageFault(errorCode));
    }

    [Theory]
    [InlineData(0x0000ul, "none")]
    [InlineData(0x0008ul, "GDT entry 0x1")]
    [InlineData(0x0028ul, "GDT entry 0x5")]
    [InlineData(0x0001ul, "GDT entry 0x0 (external event)")]
    [InlineData(0x0029ul, "GDT entry 0x5 (external event)")]
    [InlineData(0x010Aul, "IDT entry 0x21")] // (0x21 << 3) | IDT
    [InlineData(0x010Eul, "IDT entry 0x21")] // the TI bit means nothing when IDT is set
    [InlineData(0x006Bul, "IDT entry 0xd (external event)")]
    [InlineData(0x001Cul, "LDT entry 0x3")]
    [InlineData(0x001Dul, "LDT entry 0x3 (external event)")]
    [InlineData(0xFFF8ul, "GDT entry 0x1fff")]
    [InlineData(0xFFFFul, "IDT entry 0x1fff (external event)")]
    [InlineData(0x1_0008ul, "GDT entry 0x1")] // bits 16 and up are reserved
    public void DescribesSelectorErrorCodes(ulong errorCode, string expected)
    {
        Assert.Equal(expected, ExceptionVectors.DescribeSelectorError(errorCode));
    }
}
