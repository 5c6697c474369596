// Which exception a divide error (#DE, Intel SDM Vol. 3A §6.15 "Interrupt 0") is in C# terms: DIV and IDIV fault both
// for a zero divisor (DivideByZeroException) and for a quotient that does not fit, which for the code ILC emits means
// int.MinValue / -1 or long.MinValue / -1 (OverflowException). The faulting instruction tells the divisor: this
// decodes its operand (SDM Vol. 2A §2.1 "Instruction Format": prefixes, REX, F6/F7 /6 or /7, ModRM, SIB,
// displacement). Pure: the caller reads the register or memory the operand names.
using System;

namespace Kernel.Exceptions;

/// <summary>The divisor operand of a DIV or IDIV instruction.</summary>
public readonly struct DivisorOperand
{
    /// <summary>Describes an operand.</summary>
    public DivisorOperand(int bits, bool signed, bool isRegister, int register, int baseRegister, int indexRegister, int scale,
        long displacement, bool ripRelative, int instructionLength)
    {
        Bits = bits;
        Signed = signed;
        IsRegister = isRegister;
        Register = register;
        BaseRegister = baseRegister;
        IndexRegister = indexRegister;
        Scale = scale;
        Displacement = displacement;
        RipRelative = ripRelative;
        InstructionLength = instructionLength;
    }

    /// <summary>Operand size: 8, 16, 32 or 64.</summary>
    public int Bits { get; }

    /// <summary>IDIV (signed) rather than DIV.</summary>
    public bool Signed { get; }

    /// <summary>The divisor is a register (Register), not memory.</summary>
    public bool IsRegister { get; }

    /// <summary>The register's number (0 rax ... 15 r15) when IsRegister.</summary>
    public int Register { get; }

    /// <summary>The memory operand's base register, or -1.</summary>
    public int BaseRegister { get; }

    /// <summary>The memory operand's index register, or -1.</summary>
    public int IndexRegister { get; }

    /// <summary>The index's scale: 1, 2, 4 or 8.</summary>
    public int Scale { get; }

    /// <summary>The memory operand's displacement.</summary>
    public long Displacement { get; }

    /// <summary>The displacement counts from the next instruction (RIP-relative addressing).</summary>
    public bool RipRelative { get; }

    /// <summary>Length of the whole instruction in bytes.</summary>
    public int InstructionLength { get; }

    /// <summary>The memory operand's address given its base and index registers' values and the instruction's address.</summary>
    public ulong Address(ulong baseValue, ulong indexValue, ulong instruction)
    {
        if (RipRelative)
            return instruction + (ulong)InstructionLength + (ulong)Displacement;
        ulong address = (ulong)Displacement;
        if (BaseRegister >= 0)
            address += baseValue;
        if (IndexRegister >= 0)
            address += indexValue * (ulong)Scale;
        return address;
    }
}

/// <summary>Decodes the divisor of a faulting DIV/IDIV and says which exception the fault is.</summary>
public static class DivideErrorDecoder
{
    private const byte OperandSizePrefix = 0x66;
    private const byte Rex = 0x40;
    private const byte RexW = 0x08, RexR = 0x04, RexX = 0x02, RexB = 0x01;
    private const byte Group3Byte = 0xF6;
    private const byte Group3 = 0xF7;
    private const int DivExtension = 6;
    private const int IdivExtension = 7;
    private const int NoRegister = -1;

    /// <summary>Decodes code (the bytes at the faulting RIP); false if they are not a DIV or IDIV.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> code, out DivisorOperand operand)
    {
        operand = default;
        int at = 0;
        bool operand16 = false;
        int rex = 0;
        while (at < code.Length && (code[at] == OperandSizePrefix || code[at] == 0xF2 || code[at] == 0xF3))
            operand16 |= code[at++] == OperandSizePrefix;
        if (at < code.Length && (code[at] & 0xF0) == Rex)
            rex = code[at++];
        if (at + 2 > code.Length || (code[at] != Group3 && code[at] != Group3Byte))
            return false;
        bool byteOperation = code[at++] == Group3Byte;
        int modrm = code[at++];
        int mod = modrm >> 6;
        int extension = (modrm >> 3) & 7;
        int rm = modrm & 7;
        if (extension != DivExtension && extension != IdivExtension)
            return false;
        int bits = byteOperation ? 8 : (rex & RexW) != 0 ? 64 : operand16 ? 16 : 32;
        bool signed = extension == IdivExtension;
        if (mod == 3)
        {
            operand = new DivisorOperand(bits, signed, true, rm | ((rex & RexB) != 0 ? 8 : 0), NoRegister, NoRegister, 1, 0, false, at);
            return true;
        }
        int baseRegister = rm | ((rex & RexB) != 0 ? 8 : 0);
        int indexRegister = NoRegister;
        int scale = 1;
        bool ripRelative = false;
        if (rm == 4)
        {
            if (at >= code.Length)
                return false;
            int sib = code[at++];
            scale = 1 << (sib >> 6);
            int index = ((sib >> 3) & 7) | ((rex & RexX) != 0 ? 8 : 0);
            indexRegister = index == 4 ? NoRegister : index;
            baseRegister = (sib & 7) | ((rex & RexB) != 0 ? 8 : 0);
            if ((sib & 7) == 5 && mod == 0)
                baseRegister = NoRegister;
        }
        else if (rm == 5 && mod == 0)
        {
            baseRegister = NoRegister;
            ripRelative = true;
        }
        int displacementBytes = mod == 1 ? 1 : mod == 2 || (mod == 0 && (ripRelative || baseRegister == NoRegister)) ? 4 : 0;
        if (at + displacementBytes > code.Length)
            return false;
        long displacement = displacementBytes == 1 ? (sbyte)code[at]
            : displacementBytes == 4 ? (int)(code[at] | (uint)code[at + 1] << 8 | (uint)code[at + 2] << 16 | (uint)code[at + 3] << 24) : 0;
        at += displacementBytes;
        operand = new DivisorOperand(bits, signed, false, NoRegister, baseRegister, indexRegister, scale, displacement, ripRelative, at);
        return true;
    }

    /// <summary>Whether a division by divisor (the operand's raw value) faulted by overflow rather than by zero.</summary>
    public static bool IsOverflow(DivisorOperand operand, ulong divisor)
    {
        ulong mask = operand.Bits == 64 ? ulong.MaxValue : (1UL << operand.Bits) - 1;
        return (divisor & mask) != 0;
    }
}
