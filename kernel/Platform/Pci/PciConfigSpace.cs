// PCI configuration space for drivers: one set of reads and writes, through ECAM when the boot found an MCFG for
// it (UseEcam) and through the legacy ports 0xCF8/0xCFC otherwise. A function that is not there reads all ones
// (vendor ID 0xFFFF, PCI 3.0 §6.1), from the hardware on either path, and from here for a segment neither path
// reaches; writes to it go nowhere.
using Kernel.Diagnostics;

namespace Kernel.Pci;

/// <summary>Reads and writes configuration registers of any PCI function.</summary>
public static class PciConfigSpace
{
    /// <summary>The vendor ID register (offset 0) of a function that does not exist.</summary>
    public const ushort AbsentVendorId = 0xFFFF;

    private const uint AllOnes = 0xFFFF_FFFF;

    private static EcamConfigSpace s_ecam;

    /// <summary>The ECAM range in use, or null when only the legacy ports are.</summary>
    public static EcamConfigSpace Ecam => s_ecam;

    /// <summary>
    /// From now on, reaches buses startBus to endBus of segment through ECAM, with baseAddress the MCFG
    /// entry's base address (see <see cref="EcamConfigSpace"/>). Other buses of segment 0 stay on the legacy ports.
    /// </summary>
    public static void UseEcam(ulong baseAddress, ushort segment, byte startBus, byte endBus) =>
        s_ecam = new EcamConfigSpace(baseAddress, segment, startBus, endBus);

    /// <summary>Reads the byte at offset.</summary>
    public static byte Read8(PciAddress address, int offset) => RouteOf(address) switch
    {
        Route.Ecam => s_ecam.Read8(address, offset),
        Route.Legacy => LegacyConfigPorts.Read8(address, offset),
        _ => (byte)Absent(address, offset, sizeof(byte)),
    };

    /// <summary>Reads the 16-bit register at offset (even).</summary>
    public static ushort Read16(PciAddress address, int offset) => RouteOf(address) switch
    {
        Route.Ecam => s_ecam.Read16(address, offset),
        Route.Legacy => LegacyConfigPorts.Read16(address, offset),
        _ => (ushort)Absent(address, offset, sizeof(ushort)),
    };

    /// <summary>Reads the 32-bit register at offset (a multiple of 4).</summary>
    public static uint Read32(PciAddress address, int offset) => RouteOf(address) switch
    {
        Route.Ecam => s_ecam.Read32(address, offset),
        Route.Legacy => LegacyConfigPorts.Read32(address, offset),
        _ => Absent(address, offset, sizeof(uint)),
    };

    /// <summary>Writes the 16-bit register at offset (even).</summary>
    public static void Write16(PciAddress address, int offset, ushort value)
    {
        switch (RouteOf(address))
        {
            case Route.Ecam: s_ecam.Write16(address, offset, value); break;
            case Route.Legacy: LegacyConfigPorts.Write16(address, offset, value); break;
            default: Absent(address, offset, sizeof(ushort)); break;
        }
    }

    /// <summary>Writes the 32-bit register at offset (a multiple of 4).</summary>
    public static void Write32(PciAddress address, int offset, uint value)
    {
        switch (RouteOf(address))
        {
            case Route.Ecam: s_ecam.Write32(address, offset, value); break;
            case Route.Legacy: LegacyConfigPorts.Write32(address, offset, value); break;
            default: Absent(address, offset, sizeof(uint)); break;
        }
    }

    /// <summary>
    /// The boot log's PCI line, e.g. "pci: ECAM at 0xb0000000 for buses 0-255", or "pci: legacy ports
    /// 0xCF8/0xCFC (no MCFG)" with whyNotEcam (what the boot found instead of a usable MCFG entry) in parentheses.
    /// </summary>
    public static string Describe(string whyNotEcam) => s_ecam != null
        ? "pci: ECAM " + s_ecam.Describe()
        : "pci: legacy ports 0x" + LegacyConfigPorts.ConfigAddressPort.ToString("X") + "/0x" + LegacyConfigPorts.ConfigDataPort.ToString("X")
            + (whyNotEcam != null ? " (" + whyNotEcam + ")" : "");

    private enum Route
    {
        Ecam,
        Legacy,
        Nowhere,
    }

    private static Route RouteOf(PciAddress address)
    {
        if (s_ecam != null && s_ecam.Covers(address))
            return Route.Ecam;
        return address.Segment == 0 ? Route.Legacy : Route.Nowhere;
    }

    // A segment no mechanism reaches holds no functions: reads are all ones, writes are dropped. The offset
    // still has to be one some mechanism could reach, or the caller has a bug.
    private static uint Absent(PciAddress address, int offset, int width)
    {
        string problem = PciConfigEncoding.OffsetProblem(offset, width, PciConfigEncoding.ExtendedSpaceBytes);
        if (problem != null)
            Panic.Halt("pci: " + address.ToString() + ": " + problem);
        return AllOnes;
    }
}
