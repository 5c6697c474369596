// IPciConfigAccess on the real machine: PciConfigSpace, through ECAM or the legacy ports as the boot chose.
namespace Kernel.Pci;

/// <summary>The kernel's configuration access for enumeration and drivers.</summary>
public sealed class PciConfigSpaceAccess : IPciConfigAccess
{
    /// <summary>The one instance; it holds no state.</summary>
    public static readonly PciConfigSpaceAccess Instance = new PciConfigSpaceAccess();

    /// <inheritdoc />
    public uint Read32(PciAddress address, int offset) => PciConfigSpace.Read32(address, offset);

    /// <inheritdoc />
    public void Write32(PciAddress address, int offset, uint value) => PciConfigSpace.Write32(address, offset, value);
}
