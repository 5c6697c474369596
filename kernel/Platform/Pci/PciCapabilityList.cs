// Walking a function's capability list (PCI Local Bus 3.0 §6.7): when status bit 4 is set, the byte at 0x34
// points at the first entry; each entry is an ID byte and a next-pointer byte, 0 ending the list. Entries live
// after the header (at 0x40 or above) on dword boundaries; the low two pointer bits are reserved and masked off
// as the spec asks. A pointer into the header, or back to an entry already seen, is a broken list: the walk stops
// there and says so, so a bad device can neither loop nor return more than the space can hold. Pure.
namespace Kernel.Pci;

/// <summary>Reads a function's capability list.</summary>
public static class PciCapabilityList
{
    /// <summary>
    /// Most entries a list can have: one per dword after the header in the 256-byte space. A list longer than
    /// that revisits an entry.
    /// </summary>
    public const int MaxEntries = (PciHeader.SpaceBytes - PciHeader.HeaderBytes) / sizeof(uint);

    private const int ReservedPointerBits = 3;
    private const int StatusShift = 16;
    private const int NextShift = 8;

    /// <summary>
    /// The capabilities of the function at address (header type 0 or 1; other types have none here), in list
    /// order. problem is null, or says why the walk stopped early (what was read before is kept).
    /// </summary>
    public static PciCapability[] Read(IPciConfigAccess access, PciAddress address, byte headerType, out string problem)
    {
        problem = null;
        if (headerType != PciHeader.DeviceHeader && headerType != PciHeader.BridgeHeader)
            return new PciCapability[0];
        uint status = access.Read32(address, PciHeader.CommandStatusOffset) >> StatusShift;
        if ((status & PciHeader.StatusCapabilitiesList) == 0)
            return new PciCapability[0];

        var found = new PciCapability[MaxEntries];
        int count = 0;
        int pointer = (int)(access.Read32(address, PciHeader.CapabilitiesPointerOffset) & 0xFF) & ~ReservedPointerBits;
        while (pointer != 0)
        {
            if (pointer < PciHeader.HeaderBytes)
            {
                problem = "capability pointer 0x" + ((uint)pointer).ToString("x2") + " points into the header";
                break;
            }
            if (Contains(found, count, pointer))
            {
                problem = "capability list loops back to 0x" + ((uint)pointer).ToString("x2");
                break;
            }
            // Cannot happen after the two checks (MaxEntries distinct dwords exist), kept as the hard bound.
            if (count == MaxEntries)
            {
                problem = "capability list longer than " + MaxEntries.ToString() + " entries";
                break;
            }
            uint entry = access.Read32(address, pointer);
            found[count++] = new PciCapability((byte)entry, pointer);
            pointer = (int)((entry >> NextShift) & 0xFF) & ~ReservedPointerBits;
        }

        var result = new PciCapability[count];
        for (int i = 0; i < count; i++)
            result[i] = found[i];
        return result;
    }

    private static bool Contains(PciCapability[] found, int count, int offset)
    {
        for (int i = 0; i < count; i++)
        {
            if (found[i].Offset == offset)
                return true;
        }
        return false;
    }
}
