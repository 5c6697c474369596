// The machine's PCI functions: enumerated once (the boot does it, before any driver), then read from the cache.
namespace Kernel.Pci;

/// <summary>The enumerated PCI functions of segment 0.</summary>
public static class PciBus
{
    private static PciScan s_scan;
    private static PciFunction[] s_functions = new PciFunction[0];

    /// <summary>
    /// Scans every bus the first time (sizing BARs; see <see cref="PciBarSizing"/> for why no driver may use a
    /// device meanwhile) and returns the functions; later calls return the same array. The boot makes the first
    /// call on the boot CPU before drivers start, so no two calls race.
    /// </summary>
    public static PciFunction[] Enumerate()
    {
        if (s_scan == null)
        {
            s_scan = PciEnumerator.Scan(PciConfigSpaceAccess.Instance);
            s_functions = s_scan.Functions;
        }
        return s_functions;
    }

    /// <summary>The functions found, or an empty array before <see cref="Enumerate"/>.</summary>
    public static PciFunction[] Functions => s_functions;

    /// <summary>The scan's figures and problems, or null before <see cref="Enumerate"/>.</summary>
    public static PciScan Scan => s_scan;
}
