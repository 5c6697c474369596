// The configuration-space access enumeration needs: aligned dword reads and writes (PCI Local Bus 3.0 §6.1). The
// kernel forwards to PciConfigSpace (PciConfigSpaceAccess); the host tests simulate buses behind it. Pure.
namespace Kernel.Pci;

/// <summary>Reads and writes 32-bit configuration registers of any function.</summary>
public interface IPciConfigAccess
{
    /// <summary>The dword at offset (a multiple of 4 below 256) of the function at address; all ones when it is absent.</summary>
    uint Read32(PciAddress address, int offset);

    /// <summary>Writes the dword at offset (a multiple of 4 below 256).</summary>
    void Write32(PciAddress address, int offset, uint value);
}
