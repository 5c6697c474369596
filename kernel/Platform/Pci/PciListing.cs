// What the `pci` command prints for a function, in lspci's spirit: one line of identity and class, then one
// indented line per BAR and one for the capabilities. Pure, so the host tests check the wording.
namespace Kernel.Pci;

/// <summary>Text lines describing a function.</summary>
public static class PciListing
{
    private const string Indent = "    ";
    private const string PinLetters = "ABCD";

    /// <summary>
    /// "00:1f.2 8086:2922 SATA controller (AHCI) rev 02 irq 10 pin A", then "    bar5 mem 0xfebf1000 4 KiB" per BAR
    /// and "    caps: MSI, SATA" when it has any.
    /// </summary>
    public static string[] Lines(PciFunction function)
    {
        int capabilityLine = function.Capabilities.Length > 0 ? 1 : 0;
        var lines = new string[1 + function.Bars.Length + capabilityLine];
        lines[0] = Headline(function);
        for (int i = 0; i < function.Bars.Length; i++)
            lines[1 + i] = Indent + function.Bars[i].Describe();
        if (capabilityLine != 0)
            lines[lines.Length - 1] = Indent + "caps: " + CapabilityNames(function);
        return lines;
    }

    /// <summary>The first line: location, vendor:device, class name, revision, interrupt; bridges add their buses.</summary>
    public static string Headline(PciFunction function)
    {
        string line = function.Location + " " + Hex4(function.VendorId) + ":" + Hex4(function.DeviceId) + " " + function.ClassName
            + " rev " + ((uint)function.Revision).ToString("x2");
        if (function.InterruptPin >= 1 && function.InterruptPin <= PinLetters.Length)
            line += " irq " + ((uint)function.InterruptLine).ToString() + " pin " + PinLetters.Substring(function.InterruptPin - 1, 1);
        if (function.IsBridge)
            line += " buses " + ((uint)function.SecondaryBus).ToString("x2") + "-" + ((uint)function.SubordinateBus).ToString("x2");
        return line;
    }

    /// <summary>"MSI, PCIe": the capabilities' names in list order.</summary>
    public static string CapabilityNames(PciFunction function)
    {
        string names = "";
        for (int i = 0; i < function.Capabilities.Length; i++)
            names += (i == 0 ? "" : ", ") + function.Capabilities[i].Name;
        return names;
    }

    /// <summary>"pci: 7 functions on 1 bus".</summary>
    public static string Summary(PciScan scan) =>
        "pci: " + scan.Functions.Length.ToString() + (scan.Functions.Length == 1 ? " function on " : " functions on ")
        + scan.BusCount.ToString() + (scan.BusCount == 1 ? " bus" : " buses");

    private static string Hex4(ushort value) => ((uint)value).ToString("x4");
}
