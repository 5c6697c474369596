// A function's MSI-X vector table (PCI Local Bus 3.0 §6.8.2): mapped uncached from the BAR the capability names (on
// an xHCI usually BAR 0, already mapped for the registers: a second uncached mapping of the same range is
// harmless), and programmed for one vector. Enabling follows the spec's order: MSI-X on with the function masked,
// the entry written while masked, then the entry and the function unmasked.
using Kernel.Memory;

namespace Kernel.Pci;

/// <summary>The MSI-X vector table of one function.</summary>
public sealed class MsiXTable
{
    private readonly PciFunction _function;
    private readonly int _capability;
    private readonly MmioRegion _table;

    private MsiXTable(PciFunction function, int capability, MsiXLayout layout, MmioRegion table)
    {
        _function = function;
        _capability = capability;
        Layout = layout;
        _table = table;
    }

    /// <summary>The capability as read when the table was mapped.</summary>
    public MsiXLayout Layout { get; }

    /// <summary>
    /// Maps the vector table of function's MSI-X capability (or returns null with problem set: the function has no
    /// MSI-X, or the table is not inside a memory BAR).
    /// </summary>
    public static MsiXTable Map(PciFunction function, out string problem)
    {
        problem = null;
        int capability = function.FindCapability(PciCapability.MsiX);
        if (capability < 0)
        {
            problem = "no MSI-X capability";
            return null;
        }
        MsiXLayout layout = MsiConfiguration.ReadMsiX(function.ConfigAccess, function.Address, capability);
        if (!function.TryGetBar(layout.Table.BarIndex, out PciBar bar) || !bar.IsMemory || bar.Address == 0)
        {
            problem = "the MSI-X table is in BAR " + layout.Table.BarIndex.ToString() + ", which is not a memory BAR";
            return null;
        }
        if ((ulong)layout.Table.Offset + layout.TableBytes > bar.Size)
        {
            problem = "the MSI-X table (offset 0x" + layout.Table.Offset.ToString("x") + ", " + layout.Control.TableSize.ToString()
                + " entries) does not fit BAR " + layout.Table.BarIndex.ToString();
            return null;
        }
        return new MsiXTable(function, capability, layout, MmioRegion.Map(bar.Address + layout.Table.Offset, layout.TableBytes));
    }

    /// <summary>
    /// Sends messageData to messageAddress through entry 0, every other entry masked, and turns MSI-X on (INTx
    /// off). The caller turns MSI off first when the function has both.
    /// </summary>
    public void EnableEntry0(uint messageAddress, uint messageData)
    {
        IPciConfigAccess access = _function.ConfigAccess;
        PciAddress address = _function.Address;
        MsiXControl control = MsiConfiguration.ReadMsiX(access, address, _capability).Control;
        MsiConfiguration.WriteMsiXControl(access, address, _capability, control.With(enabled: true, functionMasked: true));
        for (int entry = 0; entry < Layout.Control.TableSize; entry++)
            _table.Write32((uint)entry * MsiXEntry.Bytes + MsiXEntry.VectorControl, MsiXEntry.Masked);
        _table.Write32(MsiXEntry.AddressLow, messageAddress);
        _table.Write32(MsiXEntry.AddressHigh, 0);
        _table.Write32(MsiXEntry.Data, messageData);
        _table.Write32(MsiXEntry.VectorControl, 0);
        MsiConfiguration.DisableIntx(access, address);
        MsiConfiguration.WriteMsiXControl(access, address, _capability, control.With(enabled: true, functionMasked: false));
    }
}
