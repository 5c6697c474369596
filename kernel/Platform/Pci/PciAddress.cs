// Which PCI function a configuration access is for: segment (PCI Segment Group, PCI Firmware spec 3.2 §4.1.2),
// bus, device and function (PCI Local Bus 3.0 §3.2.2.3.2; PCIe Base 4.0 §7.2.2). Pure: the host tests link it.
using System;

namespace Kernel.Pci;

/// <summary>A PCI function's address, written like Linux's "ssss:bb:dd.f" (hex).</summary>
public readonly struct PciAddress
{
    /// <summary>Segments are 16-bit (the MCFG's PCI Segment Group Number).</summary>
    public const int SegmentCount = 1 << 16;

    /// <summary>Bus numbers are 8-bit.</summary>
    public const int BusCount = 1 << 8;

    /// <summary>Device numbers are 5-bit: 0 to 31.</summary>
    public const int DeviceCount = 1 << 5;

    /// <summary>Function numbers are 3-bit: 0 to 7.</summary>
    public const int FunctionCount = 1 << 3;

    /// <summary>
    /// The function at segment:bus:device.function. An out-of-range part throws ArgumentException (in the
    /// kernel: a panic naming it), because a caller that builds such an address has a bug.
    /// </summary>
    public PciAddress(int segment, int bus, int device, int function)
    {
        Segment = (ushort)Checked(segment, SegmentCount, "segment");
        Bus = (byte)Checked(bus, BusCount, "bus");
        Device = (byte)Checked(device, DeviceCount, "device");
        Function = (byte)Checked(function, FunctionCount, "function");
    }

    /// <summary>The function at bus:device.function of segment 0, the only segment most PCs have.</summary>
    public PciAddress(int bus, int device, int function)
        : this(0, bus, device, function)
    {
    }

    /// <summary>The PCI Segment Group.</summary>
    public ushort Segment { get; }

    /// <summary>The bus number.</summary>
    public byte Bus { get; }

    /// <summary>The device number on the bus, below <see cref="DeviceCount"/>.</summary>
    public byte Device { get; }

    /// <summary>The function number of the device, below <see cref="FunctionCount"/>.</summary>
    public byte Function { get; }

    /// <summary>"0000:00:1f.3".</summary>
    public override string ToString() =>
        ((uint)Segment).ToString("x4") + ":" + ((uint)Bus).ToString("x2") + ":" + ((uint)Device).ToString("x2") + "." + ((uint)Function).ToString("x");

    private static int Checked(int value, int count, string part)
    {
        if (value < 0 || value >= count)
            throw new ArgumentException("PCI " + part + " number " + value.ToString() + " is out of range (0-" + (count - 1).ToString() + ")");
        return value;
    }
}
