// The MSI and MSI-X capability structures (PCI Local Bus 3.0 §6.8.1 and §6.8.2) and their programming through
// configuration space. MSI: message control in the capability's first dword (bits 31:16), then the message
// address (a second dword for its upper half when control bit 7 says 64-bit), the 16-bit message data, and the
// mask bits when control bit 8 says per-vector masking. MSI-X: message control (table size - 1 in bits 10:0,
// function mask bit 14, enable bit 15), then two dwords each holding a BAR indicator (bits 2:0) and an offset into
// that BAR (the rest): the vector table's and the pending bit array's. The table itself (16 bytes per entry) is
// in memory space, written by MsiXTable. Only one vector is used: multiple message enable stays 0 (one message),
// MSI-X entry 0. Pure: the host tests link it.
using System;

namespace Kernel.Pci;

/// <summary>An MSI capability's message control register.</summary>
public readonly struct MsiControl
{
    private const ushort EnableBit = 1 << 0;
    private const int MultipleCapableShift = 1;
    private const int MultipleEnableShift = 4;
    private const ushort MultipleEnableMask = 7 << MultipleEnableShift;
    private const ushort Address64Bit = 1 << 7;
    private const ushort PerVectorMaskingBit = 1 << 8;

    /// <summary>The register's value.</summary>
    public MsiControl(ushort value) => Value = value;

    /// <summary>The raw 16 bits.</summary>
    public ushort Value { get; }

    /// <summary>Bit 0: MSI is on (and INTx is not used).</summary>
    public bool Enabled => (Value & EnableBit) != 0;

    /// <summary>Bit 7: the message address has an upper dword.</summary>
    public bool Is64Bit => (Value & Address64Bit) != 0;

    /// <summary>Bit 8: the structure has mask and pending bits.</summary>
    public bool HasPerVectorMasking => (Value & PerVectorMaskingBit) != 0;

    /// <summary>Vectors the function asks for (bits 3:1 are the log2): 1 to 32.</summary>
    public int VectorsRequested => 1 << Math.Min(5, (Value >> MultipleCapableShift) & 7);

    /// <summary>Vectors allocated to it (multiple message enable, bits 6:4).</summary>
    public int VectorsEnabled => 1 << Math.Min(5, (Value >> MultipleEnableShift) & 7);

    /// <summary>Offset of the message data from the capability's start.</summary>
    public int DataOffset => Is64Bit ? 0x0C : 0x08;

    /// <summary>Offset of the mask bits (meaningful with per-vector masking).</summary>
    public int MaskOffset => Is64Bit ? 0x10 : 0x0C;

    /// <summary>This control with MSI on and one vector (multiple message enable 0); other bits kept.</summary>
    public MsiControl EnabledWithOneVector() => new MsiControl((ushort)((Value & ~MultipleEnableMask) | EnableBit));

    /// <summary>This control with MSI off.</summary>
    public MsiControl Disabled() => new MsiControl((ushort)(Value & ~EnableBit));
}

/// <summary>An MSI-X capability's message control register.</summary>
public readonly struct MsiXControl
{
    private const ushort TableSizeMask = 0x7FF;
    private const ushort FunctionMaskBit = 1 << 14;
    private const ushort EnableBit = 1 << 15;

    /// <summary>The register's value.</summary>
    public MsiXControl(ushort value) => Value = value;

    /// <summary>The raw 16 bits.</summary>
    public ushort Value { get; }

    /// <summary>Entries in the vector table (the field holds the size minus one): 1 to 2048.</summary>
    public int TableSize => (Value & TableSizeMask) + 1;

    /// <summary>Bit 14: every vector of the function is masked.</summary>
    public bool FunctionMasked => (Value & FunctionMaskBit) != 0;

    /// <summary>Bit 15: MSI-X is on.</summary>
    public bool Enabled => (Value & EnableBit) != 0;

    /// <summary>This control with the enable and function mask bits set as asked (the table size is read-only).</summary>
    public MsiXControl With(bool enabled, bool functionMasked) =>
        new MsiXControl((ushort)((Value & ~(EnableBit | FunctionMaskBit)) | (enabled ? EnableBit : 0) | (functionMasked ? FunctionMaskBit : 0)));
}

/// <summary>Where an MSI-X structure (the vector table or the pending bit array) is: a BAR and an offset in it.</summary>
public readonly struct MsiXLocation
{
    private const uint BirMask = 7;

    /// <summary>Decodes the table offset/BIR or PBA offset/BIR dword.</summary>
    public MsiXLocation(uint register)
    {
        BarIndex = (int)(register & BirMask);
        Offset = register & ~BirMask;
    }

    /// <summary>The BAR register index (0-5; the BAR at 0x10 + 4 * index, the lower half of a 64-bit BAR).</summary>
    public int BarIndex { get; }

    /// <summary>The structure's offset from the BAR's base (8-byte aligned).</summary>
    public uint Offset { get; }
}

/// <summary>An MSI-X capability as read from configuration space.</summary>
public readonly struct MsiXLayout
{
    /// <summary>The three registers of the capability at its offset.</summary>
    public MsiXLayout(MsiXControl control, MsiXLocation table, MsiXLocation pendingBits)
    {
        Control = control;
        Table = table;
        PendingBits = pendingBits;
    }

    /// <summary>Message control.</summary>
    public MsiXControl Control { get; }

    /// <summary>The vector table.</summary>
    public MsiXLocation Table { get; }

    /// <summary>The pending bit array.</summary>
    public MsiXLocation PendingBits { get; }

    /// <summary>The table's size in bytes.</summary>
    public uint TableBytes => (uint)Control.TableSize * MsiXEntry.Bytes;
}

/// <summary>One MSI-X vector table entry in memory space.</summary>
public static class MsiXEntry
{
    /// <summary>Bytes per entry.</summary>
    public const uint Bytes = 16;

    /// <summary>Message address, low dword (bits 1:0 zero).</summary>
    public const uint AddressLow = 0x0;

    /// <summary>Message address, high dword.</summary>
    public const uint AddressHigh = 0x4;

    /// <summary>Message data.</summary>
    public const uint Data = 0x8;

    /// <summary>Vector control; bit 0 masks the entry (set after reset).</summary>
    public const uint VectorControl = 0xC;

    /// <summary>Vector control bit 0.</summary>
    public const uint Masked = 1;
}

/// <summary>Programs MSI and reads MSI-X through configuration space.</summary>
public static class MsiConfiguration
{
    /// <summary>Offset of the MSI-X table offset/BIR dword in the capability.</summary>
    public const int MsiXTableRegister = 0x04;

    /// <summary>Offset of the MSI-X PBA offset/BIR dword in the capability.</summary>
    public const int MsiXPendingBitsRegister = 0x08;

    private const int MsiAddressLow = 0x04;
    private const int MsiAddressHigh = 0x08;
    private const int ControlShift = 16;
    private const uint HeaderLowMask = 0xFFFF;

    /// <summary>The MSI message control of the capability at capability.</summary>
    public static MsiControl ReadMsiControl(IPciConfigAccess access, PciAddress address, int capability) =>
        new MsiControl((ushort)(access.Read32(address, capability) >> ControlShift));

    /// <summary>The MSI-X capability at capability.</summary>
    public static MsiXLayout ReadMsiX(IPciConfigAccess access, PciAddress address, int capability) =>
        new MsiXLayout(new MsiXControl((ushort)(access.Read32(address, capability) >> ControlShift)),
            new MsiXLocation(access.Read32(address, capability + MsiXTableRegister)),
            new MsiXLocation(access.Read32(address, capability + MsiXPendingBitsRegister)));

    /// <summary>Writes an MSI-X message control (the ID and next-pointer bytes written along are read-only).</summary>
    public static void WriteMsiXControl(IPciConfigAccess access, PciAddress address, int capability, MsiXControl control) =>
        WriteControl(access, address, capability, control.Value);

    /// <summary>
    /// Points the MSI capability at capability at messageAddress with messageData, one vector, unmasked, and turns
    /// it on. The 32-bit form takes the address as it is (the APIC window is below 4 GiB).
    /// </summary>
    public static void EnableMsi(IPciConfigAccess access, PciAddress address, int capability, uint messageAddress, uint messageData)
    {
        MsiControl control = ReadMsiControl(access, address, capability);
        // Off while the message changes, so no half-written message is sent.
        WriteControl(access, address, capability, control.Disabled().Value);
        access.Write32(address, capability + MsiAddressLow, messageAddress);
        if (control.Is64Bit)
            access.Write32(address, capability + MsiAddressHigh, 0);
        // The data register is 16 bits; the upper half is reserved or extended message data, left as it is.
        uint dataDword = access.Read32(address, capability + control.DataOffset);
        access.Write32(address, capability + control.DataOffset, (dataDword & ~HeaderLowMask) | (messageData & HeaderLowMask));
        if (control.HasPerVectorMasking)
            access.Write32(address, capability + control.MaskOffset, access.Read32(address, capability + control.MaskOffset) & ~1u);
        WriteControl(access, address, capability, control.EnabledWithOneVector().Value);
    }

    /// <summary>Turns the MSI capability at capability off.</summary>
    public static void DisableMsi(IPciConfigAccess access, PciAddress address, int capability) =>
        WriteControl(access, address, capability, ReadMsiControl(access, address, capability).Disabled().Value);

    /// <summary>
    /// Sets the command register's Interrupt Disable bit (bit 10): the function no longer asserts INTx. The status
    /// half is written as zeros, which leaves its write-1-to-clear bits alone.
    /// </summary>
    public static void DisableIntx(IPciConfigAccess access, PciAddress address)
    {
        uint command = access.Read32(address, PciHeader.CommandStatusOffset) & HeaderLowMask;
        access.Write32(address, PciHeader.CommandStatusOffset, command | PciHeader.CommandInterruptDisable);
    }

    private static void WriteControl(IPciConfigAccess access, PciAddress address, int capability, ushort control)
    {
        uint header = access.Read32(address, capability) & HeaderLowMask;
        access.Write32(address, capability, header | (uint)control << ControlShift);
    }
}
