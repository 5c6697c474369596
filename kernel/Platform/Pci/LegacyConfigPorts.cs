// PCI configuration mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2): a 32-bit write of the register's address to
// CONFIG_ADDRESS (port 0xCF8), then an access to CONFIG_DATA (ports 0xCFC-0xCFF, one per byte lane). The two steps
// share the address register, so nothing may run between them: interrupts are off across each access. Reaches
// segment 0 and the first 256 bytes of each function.
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Pci;

/// <summary>Configuration space through the legacy I/O ports 0xCF8/0xCFC.</summary>
public static class LegacyConfigPorts
{
    /// <summary>CONFIG_ADDRESS: which function and dword the next CONFIG_DATA access is for.</summary>
    public const ushort ConfigAddressPort = 0xCF8;

    /// <summary>CONFIG_DATA: the dword's bytes at 0xCFC to 0xCFF.</summary>
    public const ushort ConfigDataPort = 0xCFC;

    // The byte of the dword an access starts at: its CONFIG_DATA port is ConfigDataPort plus this.
    private const int ByteLaneMask = 3;

    /// <summary>Reads the byte at offset.</summary>
    public static byte Read8(PciAddress address, int offset)
    {
        uint configAddress = Select(address, offset, sizeof(byte));
        using (InterruptsOff.Enter())
        {
            new IoPort32(ConfigAddressPort).Write(configAddress);
            return new IoPort8(DataPort(offset)).Read();
        }
    }

    /// <summary>Reads the 16-bit register at offset (even).</summary>
    public static ushort Read16(PciAddress address, int offset)
    {
        uint configAddress = Select(address, offset, sizeof(ushort));
        using (InterruptsOff.Enter())
        {
            new IoPort32(ConfigAddressPort).Write(configAddress);
            return new IoPort16(DataPort(offset)).Read();
        }
    }

    /// <summary>Reads the 32-bit register at offset (a multiple of 4).</summary>
    public static uint Read32(PciAddress address, int offset)
    {
        uint configAddress = Select(address, offset, sizeof(uint));
        using (InterruptsOff.Enter())
        {
            new IoPort32(ConfigAddressPort).Write(configAddress);
            return new IoPort32(ConfigDataPort).Read();
        }
    }

    /// <summary>Writes the 16-bit register at offset (even).</summary>
    public static void Write16(PciAddress address, int offset, ushort value)
    {
        uint configAddress = Select(address, offset, sizeof(ushort));
        using (InterruptsOff.Enter())
        {
            new IoPort32(ConfigAddressPort).Write(configAddress);
            new IoPort16(DataPort(offset)).Write(value);
        }
    }

    /// <summary>Writes the 32-bit register at offset (a multiple of 4).</summary>
    public static void Write32(PciAddress address, int offset, uint value)
    {
        uint configAddress = Select(address, offset, sizeof(uint));
        using (InterruptsOff.Enter())
        {
            new IoPort32(ConfigAddressPort).Write(configAddress);
            new IoPort32(ConfigDataPort).Write(value);
        }
    }

    // A bad offset or a segment these ports cannot reach is a driver bug: stop before touching the ports.
    private static uint Select(PciAddress address, int offset, int width)
    {
        string problem = PciConfigEncoding.OffsetProblem(offset, width, PciConfigEncoding.LegacySpaceBytes);
        if (problem != null)
            Panic.Halt("pci: " + address.ToString() + ": " + problem);
        if (address.Segment != 0)
            Panic.Halt("pci: " + address.ToString() + ": the legacy configuration ports reach segment 0 only");
        return PciConfigEncoding.LegacyConfigAddress(address, offset);
    }

    private static ushort DataPort(int offset) => (ushort)(ConfigDataPort + (offset & ByteLaneMask));
}
