// Decoding the divisor of a faulting DIV/IDIV, which tells a division by zero from MinValue / -1.
using Kernel.Exceptions;
using Xunit;

namespace Kernel.HostTests.Exceptions;

public sealed class DivideErrorDecoderTests
{
    [Theory]
    [InlineData(new byte[] { 0xF7, 0xF9 }, 32, true, 1, 2)]                // idiv ecx
    [InlineData(new byte[] { 0x48, 0xF7, 0xF9 }, 64, true, 1, 3)]          // idiv rcx
    [InlineData(new byte[] { 0x41, 0xF7, 0xF8 }, 32, true, 8, 3)]          // idiv r8d
    [InlineData(new byte[] { 0x49, 0xF7, 0xF7 }, 64, false, 15, 3)]        // div r15
    [InlineData(new byte[] { 0x66, 0xF7, 0xFB }, 16, true, 3, 3)]          // idiv bx
    public void RegisterDivisors(byte[] code, int bits, bool signed, int register, int length)
    {
        Assert.True(DivideErrorDecoder.TryDecode(code, out DivisorOperand operand));
        Assert.True(operand.IsRegister);
        Assert.Equal(bits, operand.Bits);
        Assert.Equal(signed, operand.Signed);
        Assert.Equal(register, operand.Register);
        Assert.Equal(length, operand.InstructionLength);
    }

    [Fact]
    public void MemoryDivisors()
    {
        // idiv dword [rbp-0x10]
        Assert.True(DivideErrorDecoder.TryDecode(new byte[] { 0xF7, 0x7D, 0xF0 }, out DivisorOperand frame));
        Assert.False(frame.IsRegister);
        Assert.Equal(0x1000UL - 0x10, frame.Address(0x1000, 0, 0));
        // div qword [rsp+8]
        Assert.True(DivideErrorDecoder.TryDecode(new byte[] { 0x48, 0xF7, 0x74, 0x24, 0x08 }, out DivisorOperand stack));
        Assert.Equal(64, stack.Bits);
        Assert.False(stack.Signed);
        Assert.Equal(4, stack.BaseRegister);
        Assert.Equal(-1, stack.IndexRegister);
        Assert.Equal(0x2008UL, stack.Address(0x2000, 0, 0));
        // idiv dword [rbx+r9*4]
        Assert.True(DivideErrorDecoder.TryDecode(new byte[] { 0x42, 0xF7, 0x3C, 0x8B }, out DivisorOperand indexed));
        Assert.Equal(3, indexed.BaseRegister);
        Assert.Equal(9, indexed.IndexRegister);
        Assert.Equal(4, indexed.Scale);
        Assert.Equal(0x100UL + 3 * 4, indexed.Address(0x100, 3, 0));
        // idiv dword [rip+0x10]: from the end of the 6-byte instruction
        Assert.True(DivideErrorDecoder.TryDecode(new byte[] { 0xF7, 0x3D, 0x10, 0, 0, 0 }, out DivisorOperand relative));
        Assert.True(relative.RipRelative);
        Assert.Equal(6, relative.InstructionLength);
        Assert.Equal(0x5000UL + 6 + 0x10, relative.Address(0, 0, 0x5000));
    }

    [Theory]
    [InlineData(new byte[] { 0xF7, 0xD8 })]        // neg eax (F7 /3)
    [InlineData(new byte[] { 0x0F, 0xAF, 0xC1 })]  // imul eax, ecx
    [InlineData(new byte[] { 0xF7 })]              // truncated
    public void OtherInstructionsAreNotDivisions(byte[] code) => Assert.False(DivideErrorDecoder.TryDecode(code, out _));

    [Fact]
    public void ZeroDivisorIsDivideByZeroAnyOtherIsOverflow()
    {
        DivideErrorDecoder.TryDecode(new byte[] { 0xF7, 0xF9 }, out DivisorOperand int32);
        Assert.False(DivideErrorDecoder.IsOverflow(int32, 0));
        Assert.True(DivideErrorDecoder.IsOverflow(int32, 0xFFFF_FFFF));
        // Only the operand's width counts: a 32-bit divide by ecx ignores rcx's upper half.
        Assert.False(DivideErrorDecoder.IsOverflow(int32, 0xFFFF_FFFF_0000_0000));
        DivideErrorDecoder.TryDecode(new byte[] { 0x48, 0xF7, 0xF9 }, out DivisorOperand int64);
        Assert.True(DivideErrorDecoder.IsOverflow(int64, ulong.MaxValue));
        Assert.False(DivideErrorDecoder.IsOverflow(int64, 0));
    }
}
