// Finding every function of segment 0 (PCI Local Bus 3.0 §3.2.2.3 and §6.2.1; PCI-to-PCI Bridge Architecture 1.2
// §3.2.5.3): bus 0, and when the host bridge at 00:00.0 is multi-function, bus f for each of its functions f (one
// host controller per function); then the secondary bus of every PCI-to-PCI bridge found. Per device, function
// 0 first, functions 1-7 only when its header type says multi-function; a vendor ID of all ones (or 0) means
// nothing is there. Each bus is scanned once, and a bridge is followed only to a bus above its own, so a
// mis-programmed or looping set of bridges ends after at most 256 buses. Pure: works on any IPciConfigAccess.
using System.Collections.Generic;

namespace Kernel.Pci;

/// <summary>What enumeration found.</summary>
public sealed class PciScan
{
    /// <summary>The scan's result.</summary>
    public PciScan(PciFunction[] functions, int busCount, string[] problems)
    {
        Functions = functions;
        BusCount = busCount;
        Problems = problems;
    }

    /// <summary>Every function, sorted by bus, device and function.</summary>
    public PciFunction[] Functions { get; }

    /// <summary>How many buses were scanned.</summary>
    public int BusCount { get; }

    /// <summary>Bridges not followed and broken capability lists, one line each.</summary>
    public string[] Problems { get; }
}

/// <summary>Scans the buses of segment 0.</summary>
public static class PciEnumerator
{
    private const int HostBridgeBus = 0;
    private const int HostBridgeDevice = 0;

    /// <summary>Finds every function reachable from bus 0 (see the file's header), reading and sizing each once.</summary>
    public static PciScan Scan(IPciConfigAccess access)
    {
        var visited = new bool[PciAddress.BusCount];
        var buses = new List<int>();
        var functions = new List<PciFunction>();
        var problems = new List<string>();

        Visit(HostBridgeBus, visited, buses);
        var hostBridge = new PciAddress(HostBridgeBus, HostBridgeDevice, 0);
        if (IsPresent(access, hostBridge) && IsMultiFunction(access, hostBridge))
        {
            for (int function = 1; function < PciAddress.FunctionCount; function++)
            {
                if (IsPresent(access, new PciAddress(HostBridgeBus, HostBridgeDevice, function)))
                    Visit(function, visited, buses);
            }
        }

        // buses grows while it is walked: each bridge adds its secondary bus once.
        for (int i = 0; i < buses.Count; i++)
            ScanBus(access, buses[i], visited, buses, functions, problems);

        return new PciScan(Sorted(functions), buses.Count, ToArray(problems));
    }

    /// <summary>Whether a function answers at address: its vendor ID is neither all ones nor 0.</summary>
    public static bool IsPresent(IPciConfigAccess access, PciAddress address)
    {
        ushort vendor = (ushort)access.Read32(address, PciHeader.IdOffset);
        return vendor != PciHeader.AbsentVendorId && vendor != PciHeader.InvalidVendorId;
    }

    private static bool IsMultiFunction(IPciConfigAccess access, PciAddress address) =>
        ((access.Read32(address, PciHeader.HeaderTypeDwordOffset) >> 16) & PciHeader.MultiFunctionBit) != 0;

    private static void Visit(int bus, bool[] visited, List<int> buses)
    {
        if (visited[bus])
            return;
        visited[bus] = true;
        buses.Add(bus);
    }

    private static void ScanBus(IPciConfigAccess access, int bus, bool[] visited, List<int> buses, List<PciFunction> functions, List<string> problems)
    {
        for (int device = 0; device < PciAddress.DeviceCount; device++)
        {
            var first = new PciAddress(bus, device, 0);
            if (!IsPresent(access, first))
                continue;
            int count = IsMultiFunction(access, first) ? PciAddress.FunctionCount : 1;
            for (int function = 0; function < count; function++)
            {
                var address = new PciAddress(bus, device, function);
                if (function != 0 && !IsPresent(access, address))
                    continue;
                var found = new PciFunction(access, address);
                functions.Add(found);
                if (found.CapabilityProblem != null)
                    problems.Add(found.Location + ": " + found.CapabilityProblem);
                if (found.IsBridge)
                    FollowBridge(found, bus, visited, buses, problems);
            }
        }
    }

    // A bridge leads to its secondary bus, which must be above the bus the bridge is on (bus numbers grow away
    // from the root) and not scanned yet.
    private static void FollowBridge(PciFunction bridge, int bus, bool[] visited, List<int> buses, List<string> problems)
    {
        int secondary = bridge.SecondaryBus;
        if (secondary <= bus)
        {
            problems.Add(bridge.Location + ": bridge's secondary bus " + secondary.ToString() + " is not above its bus " + bus.ToString() + ", not followed");
            return;
        }
        if (visited[secondary])
        {
            problems.Add(bridge.Location + ": bridge's secondary bus " + secondary.ToString() + " was already scanned, not followed");
            return;
        }
        Visit(secondary, visited, buses);
    }

    // Insertion sort by bus, device, function: a machine has tens of functions, and the corelib has no sort.
    private static PciFunction[] Sorted(List<PciFunction> functions)
    {
        var sorted = new PciFunction[functions.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            PciFunction next = functions[i];
            int key = Key(next);
            int j = i;
            while (j > 0 && Key(sorted[j - 1]) > key)
            {
                sorted[j] = sorted[j - 1];
                j--;
            }
            sorted[j] = next;
        }
        return sorted;
    }

    private static int Key(PciFunction function) =>
        (function.Address.Bus << 8) | (function.Address.Device << 3) | function.Address.Function;

    private static string[] ToArray(List<string> lines)
    {
        var array = new string[lines.Count];
        for (int i = 0; i < array.Length; i++)
            array[i] = lines[i];
        return array;
    }
}
