// Where a configuration register is for each access mechanism: the CONFIG_ADDRESS value of configuration
// mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2, Figure 3-2) and the byte offset in an ECAM window (PCIe Base 4.0
// §7.2.2, Table 7-1), and which offsets a driver may ask for. Pure: the host tests link it.
using System;

namespace Kernel.Pci;

/// <summary>Configuration-space offsets, and the two ways of turning a function and offset into an address.</summary>
public static class PciConfigEncoding
{
    /// <summary>Configuration space per function through the legacy ports: the PCI header and capabilities (PCI 3.0 §6.1).</summary>
    public const int LegacySpaceBytes = 256;

    /// <summary>Configuration space per function through ECAM: PCIe's extended configuration space (PCIe Base §7.2.2).</summary>
    public const int ExtendedSpaceBytes = 4096;

    /// <summary>ECAM bytes per bus: 32 devices of 8 functions of 4 KiB.</summary>
    public const int EcamBusBytes = 1 << EcamBusShift;

    /// <summary>CONFIG_ADDRESS bit 31, Enable: the next CONFIG_DATA access is a configuration access.</summary>
    public const uint ConfigAddressEnable = 1u << 31;

    // CONFIG_ADDRESS (Figure 3-2): 30:24 reserved (0), 23:16 bus, 15:11 device, 10:8 function, 7:2 register
    // (the dword), 1:0 zero; the byte within the dword is chosen by which CONFIG_DATA byte is accessed.
    private const int ConfigBusShift = 16;
    private const int ConfigDeviceShift = 11;
    private const int ConfigFunctionShift = 8;
    private const int DwordOffsetMask = (LegacySpaceBytes - 1) & ~3;

    // ECAM (Table 7-1): A[27:20] bus (relative to the window's first bus), A[19:15] device, A[14:12] function,
    // A[11:0] the byte offset in the function's 4 KiB.
    private const int EcamBusShift = 20;
    private const int EcamDeviceShift = 15;
    private const int EcamFunctionShift = 12;

    /// <summary>
    /// Why a width-byte access at offset in a space of spaceBytes is not allowed (outside the space, or not
    /// aligned to its width, so it would straddle two registers), or null when it is. width is 1, 2 or 4.
    /// </summary>
    public static string OffsetProblem(int offset, int width, int spaceBytes)
    {
        if (width != 1 && width != 2 && width != 4)
            return "access width " + width.ToString() + " is not 1, 2 or 4 bytes";
        if (offset < 0 || offset > spaceBytes - width)
            return "offset 0x" + offset.ToString("x") + " (width " + width.ToString() + ") is outside the " + spaceBytes.ToString() + "-byte configuration space";
        if ((offset & (width - 1)) != 0)
            return "offset 0x" + offset.ToString("x") + " is not aligned to its width " + width.ToString();
        return null;
    }

    /// <summary>
    /// The CONFIG_ADDRESS value for the dword holding offset (0-255) of address, which must be in segment 0:
    /// mechanism #1 reaches no other. Throws ArgumentException otherwise.
    /// </summary>
    public static uint LegacyConfigAddress(PciAddress address, int offset)
    {
        if (address.Segment != 0)
            throw new ArgumentException("PCI " + address.ToString() + ": the legacy configuration ports reach segment 0 only");
        if (offset < 0 || offset >= LegacySpaceBytes)
            throw new ArgumentException("PCI config offset 0x" + offset.ToString("x") + " is outside the " + LegacySpaceBytes.ToString() + "-byte legacy space");
        return ConfigAddressEnable
            | (uint)address.Bus << ConfigBusShift
            | (uint)address.Device << ConfigDeviceShift
            | (uint)address.Function << ConfigFunctionShift
            | (uint)(offset & DwordOffsetMask);
    }

    /// <summary>
    /// The byte offset of offset (0-4095) of address in an ECAM window whose first bus is startBus (the window
    /// starts at the MCFG base address plus startBus MiB). address.Bus must not be below startBus; the caller
    /// checks the window's end bus and segment. Throws ArgumentException otherwise.
    /// </summary>
    public static uint EcamOffset(PciAddress address, int offset, int startBus)
    {
        if (startBus < 0 || startBus > address.Bus)
            throw new ArgumentException("PCI " + address.ToString() + " is not in an ECAM window starting at bus " + startBus.ToString());
        if (offset < 0 || offset >= ExtendedSpaceBytes)
            throw new ArgumentException("PCI config offset 0x" + offset.ToString("x") + " is outside the " + ExtendedSpaceBytes.ToString() + "-byte extended space");
        return (uint)(address.Bus - startBus) << EcamBusShift
            | (uint)address.Device << EcamDeviceShift
            | (uint)address.Function << EcamFunctionShift
            | (uint)offset;
    }
}
