// I/O ports (Intel SDM Vol. 1 §19.3): the only way code above the low layer reads or writes a port. A port of each
// width is its own type, so a driver names its registers once as constants and cannot mix widths by accident.
namespace Kernel.Arch;

/// <summary>An 8-bit I/O port.</summary>
public readonly struct IoPort8
{
    /// <summary>The port at address number.</summary>
    public IoPort8(ushort number) => Number = number;

    /// <summary>The port's address in I/O space.</summary>
    public ushort Number { get; }

    /// <summary>in al, dx.</summary>
    public byte Read() => Native.PortRead8(Number);

    /// <summary>out dx, al.</summary>
    public void Write(byte value) => Native.PortWrite8(Number, value);
}

/// <summary>A 16-bit I/O port.</summary>
public readonly struct IoPort16
{
    /// <summary>The port at address number.</summary>
    public IoPort16(ushort number) => Number = number;

    /// <summary>The port's address in I/O space.</summary>
    public ushort Number { get; }

    /// <summary>in ax, dx.</summary>
    public ushort Read() => Native.PortRead16(Number);

    /// <summary>out dx, ax.</summary>
    public void Write(ushort value) => Native.PortWrite16(Number, value);
}

/// <summary>A 32-bit I/O port.</summary>
public readonly struct IoPort32
{
    /// <summary>The port at address number.</summary>
    public IoPort32(ushort number) => Number = number;

    /// <summary>The port's address in I/O space.</summary>
    public ushort Number { get; }

    /// <summary>in eax, dx.</summary>
    public uint Read() => Native.PortRead32(Number);

    /// <summary>out dx, eax.</summary>
    public void Write(uint value) => Native.PortWrite32(Number, value);
}
