// Where a device sits in the hub tree, in the terms of the xHCI slot context (xHCI 1.2 §6.2.2, Table 6-5: Route
// String, Root Hub Port Number, TT Hub Slot ID, TT Port Number, MTT; §4.5.2 and §8.9 for the route string: one
// 4-bit port number per hub tier below the root port, tier 1 in bits 3:0, at most 5 tiers) and the USB 2.0
// transaction translator rule (§11.14: low- and full-speed traffic behind a high-speed hub goes through that
// hub's TT as split transactions).
using System;

namespace Kernel.Usb;

/// <summary>One step of a device's path from the root: the port it hangs from and what is attached there.</summary>
public readonly struct UsbHop
{
    /// <summary>Creates a hop: port (1-based) on the root hub or the previous hub, the speed and slot of the device there.</summary>
    public UsbHop(int port, UsbSpeed speed, int slotId, bool hasMultipleTts = false)
    {
        Port = port;
        Speed = speed;
        SlotId = slotId;
        HasMultipleTts = hasMultipleTts;
    }

    /// <summary>The port number, 1-based: a root hub port for the first hop, a hub's downstream port after.</summary>
    public int Port { get; }

    /// <summary>The speed of the device attached at that port.</summary>
    public UsbSpeed Speed { get; }

    /// <summary>The xHCI slot of the device at that port (for a hub, the TT Hub Slot ID its children use).</summary>
    public int SlotId { get; }

    /// <summary>For a high-speed hub: whether it has one TT per port (bDeviceProtocol 2) rather than one shared.</summary>
    public bool HasMultipleTts { get; }
}

/// <summary>Why a path could not be encoded.</summary>
public enum UsbRouteStatus
{
    /// <summary>Encoded.</summary>
    Ok = 0,

    /// <summary>The path has no hops.</summary>
    Empty,

    /// <summary>A port number is 0 or negative.</summary>
    BadPort,

    /// <summary>A root port above 255 (the slot context field is 8 bits).</summary>
    RootPortTooLarge,

    /// <summary>A hub port above 15: a route string tier has only 4 bits.</summary>
    PortTooLarge,

    /// <summary>More than 5 hubs below the root port (USB allows 5 tiers of hubs; the route string has 5 nibbles).</summary>
    TooDeep,
}

/// <summary>The slot context's addressing fields for a device, computed from its path.</summary>
public readonly struct UsbRoute
{
    /// <summary>Hub tiers a route string holds.</summary>
    public const int MaxTiers = 5;

    /// <summary>The largest port number a route string tier holds.</summary>
    public const int MaxTierPort = 15;

    /// <summary>The largest Root Hub Port Number.</summary>
    public const int MaxRootPort = 255;

    private const int BitsPerTier = 4;

    private UsbRoute(UsbRouteStatus status, uint routeString, int rootPort, UsbSpeed speed, int ttHubSlotId, int ttPort, bool multiTt)
    {
        Status = status;
        RouteString = routeString;
        RootPort = rootPort;
        Speed = speed;
        TtHubSlotId = ttHubSlotId;
        TtPort = ttPort;
        MultiTt = multiTt;
    }

    /// <summary>Ok, or why the path cannot be addressed (the other fields are then 0).</summary>
    public UsbRouteStatus Status { get; }

    /// <summary>The 20-bit Route String: tier n's downstream port in bits 4n-1:4n-4; 0 for a device on a root port.</summary>
    public uint RouteString { get; }

    /// <summary>Root Hub Port Number, 1-based.</summary>
    public int RootPort { get; }

    /// <summary>The device's speed (the last hop's).</summary>
    public UsbSpeed Speed { get; }

    /// <summary>Whether the device talks through a TT (low or full speed behind a high-speed hub).</summary>
    public bool HasTransactionTranslator => TtHubSlotId != 0;

    /// <summary>TT Hub Slot ID: the slot of the nearest high-speed hub upstream; 0 for none.</summary>
    public int TtHubSlotId { get; }

    /// <summary>TT Port Number: the port of that hub the device's branch hangs from; 0 for none.</summary>
    public int TtPort { get; }

    /// <summary>MTT: the TT hub has one TT per port.</summary>
    public bool MultiTt { get; }

    /// <summary>
    /// Computes the fields for the device at the end of path (path[0] is the root port hop; each later hop is a
    /// port of the hub at the hop before it).
    /// </summary>
    public static UsbRoute Compute(ReadOnlySpan<UsbHop> path)
    {
        if (path.Length == 0)
            return Failed(UsbRouteStatus.Empty);
        if (path.Length - 1 > MaxTiers)
            return Failed(UsbRouteStatus.TooDeep);
        if (path[0].Port <= 0)
            return Failed(UsbRouteStatus.BadPort);
        if (path[0].Port > MaxRootPort)
            return Failed(UsbRouteStatus.RootPortTooLarge);

        uint routeString = 0;
        for (int tier = 1; tier < path.Length; tier++)
        {
            int port = path[tier].Port;
            if (port <= 0)
                return Failed(UsbRouteStatus.BadPort);
            if (port > MaxTierPort)
                return Failed(UsbRouteStatus.PortTooLarge);
            routeString |= (uint)port << (BitsPerTier * (tier - 1));
        }

        UsbHop device = path[path.Length - 1];
        int ttSlot = 0;
        int ttPort = 0;
        bool multiTt = false;
        if (UsbSpeeds.IsLowOrFull(device.Speed))
        {
            // The nearest high-speed hub upstream translates; full-speed hubs between it and the device are on its
            // full-speed side. A device under full-speed hubs only, on a root port, needs no TT: the root port speaks
            // full and low speed itself.
            for (int hub = path.Length - 2; hub >= 0; hub--)
            {
                if (path[hub].Speed == UsbSpeed.High)
                {
                    ttSlot = path[hub].SlotId;
                    ttPort = path[hub + 1].Port;
                    multiTt = path[hub].HasMultipleTts;
                    break;
                }
            }
        }

        return new UsbRoute(UsbRouteStatus.Ok, routeString, path[0].Port, device.Speed, ttSlot, ttPort, multiTt);
    }

    private static UsbRoute Failed(UsbRouteStatus status) => new UsbRoute(status, 0, 0, UsbSpeed.Unknown, 0, 0, false);
}
