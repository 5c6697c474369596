// A USB 2 hub (USB 2.0 chapter 11): configured, told to the controller as a hub (slot context Hub, ports, TT think
// time, so the controller can route split transactions for low- and full-speed devices behind a high-speed hub),
// its ports powered, and its status-change endpoint read. A report is a bitmap of ports that changed; the event
// pump only records it and calls the manager task, which asks each port for its status (GET_STATUS), clears the
// change bits, forgets a device that went away, and resets and addresses one that arrived, one tier further down
// (route string and TT from UsbRoute). SuperSpeed hubs (USB 3 link management, SET_HUB_DEPTH) are not driven yet.
using System;
using System.Collections.Generic;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>A USB 2 hub and the devices on its ports.</summary>
internal sealed class UsbHub : IInterruptEndpointClient
{
    private const int MaxReportBytes = 8;
    private const int HubDescriptorBytes = 71;
    private const ulong PortResetTimeoutMs = 500;
    private const ulong ResetRecoveryMs = 10;
    private const int MaxPorts = 15;

    private static readonly List<UsbHub> s_hubs = new List<UsbHub>();

    private readonly UsbDevice _device;
    private readonly UsbDma _report;
    private readonly int _reportLength;
    private readonly UsbDevice[] _children;
    private uint _pendingPorts;

    private UsbHub(UsbDevice device, int ports, int reportLength)
    {
        _device = device;
        _children = new UsbDevice[ports];
        _reportLength = reportLength;
        _report = UsbDma.Allocate(MaxReportBytes, 64, device.Controller.Below4GiB);
    }

    /// <summary>Downstream ports.</summary>
    public int PortCount => _children.Length;

    /// <summary>
    /// When device is a hub: configures it, powers its ports, starts reading its status changes and returns its role
    /// for the log ("hub, 8 ports"); the ports are looked at by the next <see cref="ServeAsync"/>. Null when it is no hub.
    /// </summary>
    internal static async KernelTask<string> TryBindAsync(UsbDevice device, UsbConfiguration configuration)
    {
        UsbInterface hubInterface = configuration.FindHub(out UsbEndpointDescriptor endpoint);
        if (hubInterface == null)
            return null;
        if (UsbSpeeds.IsSuperSpeed(device.Speed))
            return "SuperSpeed hub (not driven yet: its ports stay unused)";
        if (device.Tier >= UsbRoute.MaxTiers)
            return "hub too deep to use (USB allows five tiers of hubs)";
        await device.ControlOutAsync(SetupPacket.SetConfiguration(configuration.ConfigurationValue).ToUInt64(), null);
        int length = await device.ControlInAsync(SetupPacket.GetHubDescriptor(false, HubDescriptorBytes).ToUInt64(), HubDescriptorBytes);
        if (UsbHubDescriptor.TryParse(device.Data(length), out UsbHubDescriptor descriptor) != UsbDescriptorStatus.Ok || descriptor.PortCount == 0)
            return "hub with an unusable hub descriptor";
        int ports = Math.Min(descriptor.PortCount, MaxPorts);
        device.MarkAsHub(ports, descriptor.ThinkTime, multiTt: false);
        var hub = new UsbHub(device, ports, Math.Min(Math.Max(endpoint.MaxPacketSize, 1), MaxReportBytes));
        await device.StartInterruptInAsync(endpoint.Address, hub._reportLength, endpoint.Interval, hub);
        for (int port = 1; port <= ports; port++)
            await device.ControlOutAsync(SetupPacket.SetPortFeature(HubPortFeature.Power, (byte)port).ToUInt64(), null);
        await Timers.Delay((ulong)Math.Max(descriptor.PowerOnToPowerGoodMs, 20));
        using (device.Controller.Lock.Acquire())
        {
            // Look at every port once: devices already attached raise no change of their own after power-up on every hub.
            hub._pendingPorts = ((1u << ports) - 1) << 1;
            s_hubs.Add(hub);
        }
        return "hub, " + ports.ToString() + " ports" + (descriptor.PortCount > ports ? " used of " + descriptor.PortCount.ToString() : "");
    }

    /// <summary>Whether any hub on controller has port changes waiting.</summary>
    internal static bool HasPendingChanges(XhciController controller)
    {
        using (controller.Lock.Acquire())
        {
            for (int i = 0; i < s_hubs.Count; i++)
            {
                if (s_hubs[i]._device.Controller == controller && s_hubs[i]._pendingPorts != 0)
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// From the manager task: serves the port changes of every hub on controller; returns the devices that arrived
    /// (addressed, device descriptor read) for the manager to bind. announce reports removals and failures.
    /// </summary>
    internal static async KernelTask<List<UsbDevice>> ServeAsync(XhciController controller, Action<string> announce)
    {
        var arrived = new List<UsbDevice>();
        for (int i = 0; i < s_hubs.Count; i++)
        {
            UsbHub hub = s_hubs[i];
            if (hub._device.Controller != controller)
                continue;
            uint pending;
            using (controller.Lock.Acquire())
            {
                pending = hub._pendingPorts;
                hub._pendingPorts = 0;
            }
            for (int port = 1; port <= hub.PortCount; port++)
            {
                if ((pending & (1u << port)) == 0)
                    continue;
                try
                {
                    UsbDevice device = await hub.ServePortAsync(port, announce);
                    if (device != null)
                        arrived.Add(device);
                }
                catch (UsbException problem)
                {
                    announce?.Invoke("usb: port " + hub._device.PortPath + "." + port.ToString() + ": " + problem.Message);
                }
            }
        }
        return arrived;
    }

    private async KernelTask<UsbDevice> ServePortAsync(int port, Action<string> announce)
    {
        UsbHubPortStatus status = await GetPortStatusAsync(port);
        await ClearChangesAsync(port, status);
        UsbDevice child = _children[port - 1];
        if (child != null && (!status.IsConnected || status.ConnectionChanged))
        {
            _children[port - 1] = null;
            await _device.Controller.ForgetAsync(child);
            announce?.Invoke("usb: port " + child.PortPath + ": " + XhciController.Describe(child) + " removed");
            child = null;
        }
        if (!status.IsConnected || child != null)
            return null;
        await _device.ControlOutAsync(SetupPacket.SetPortFeature(HubPortFeature.Reset, (byte)port).ToUInt64(), null);
        ulong start = SystemTimer.UptimeMilliseconds;
        while (true)
        {
            await Timers.Delay(10);
            status = await GetPortStatusAsync(port);
            if (status.ResetChanged || (!status.IsResetting && status.IsEnabled))
                break;
            if (SystemTimer.UptimeMilliseconds - start > PortResetTimeoutMs)
                throw new UsbException("the hub port reset did not finish in " + PortResetTimeoutMs.ToString() + " ms");
        }
        await ClearChangesAsync(port, status);
        if (!status.IsEnabled)
            throw new UsbException("the hub port did not enable after its reset");
        await Timers.Delay(ResetRecoveryMs);
        UsbDevice device = await _device.Controller.AddressNewDeviceAsync(_device, port, status.Speed);
        _children[port - 1] = device;
        return device;
    }

    private async KernelTask<UsbHubPortStatus> GetPortStatusAsync(int port)
    {
        int length = await _device.ControlInAsync(SetupPacket.GetPortStatus((byte)port).ToUInt64(), UsbHubPortStatus.Length);
        if (length < UsbHubPortStatus.Length)
            throw new UsbException("short hub port status (" + length.ToString() + " bytes)");
        return new UsbHubPortStatus(_device.Data(length), superSpeedHub: false);
    }

    // Every change bit the status shows is acknowledged (USB 2.0 §11.24.2.7.2), or the hub reports it again.
    private async KernelTask ClearChangesAsync(int port, UsbHubPortStatus status)
    {
        for (int bit = 0; bit < 5; bit++)
        {
            if ((status.Change & (1 << bit)) != 0)
                await _device.ControlOutAsync(SetupPacket.ClearPortFeature((HubPortFeature)((int)HubPortFeature.ConnectionChange + bit), (byte)port).ToUInt64(), null);
        }
    }

    /// <summary>The manager forgets device: if it was a hub, returns the devices on its ports (to forget first), else null.</summary>
    internal static UsbDevice[] OnDeviceGone(UsbDevice device)
    {
        UsbHub gone = null;
        using (device.Controller.Lock.Acquire())
        {
            for (int i = 0; i < s_hubs.Count; i++)
            {
                if (s_hubs[i]._device == device)
                {
                    gone = s_hubs[i];
                    s_hubs.RemoveAt(i);
                    break;
                }
            }
        }
        if (gone == null)
            return null;
        UsbDevice[] children = new UsbDevice[gone._children.Length];
        for (int i = 0; i < children.Length; i++)
            children[i] = gone._children[i];
        return children;
    }

    int IInterruptEndpointClient.BufferCount => 1;

    int IInterruptEndpointClient.BufferLength => _reportLength;

    ulong IInterruptEndpointClient.BufferAddress(int index) => _report.PhysicalAddress;

    int IInterruptEndpointClient.BufferIndex(ulong physicalAddress) => physicalAddress == _report.PhysicalAddress ? 0 : -1;

    // From the event pump: bit n of the bitmap is port n (bit 0 the hub itself, ignored).
    void IInterruptEndpointClient.OnReport(int index, int length)
    {
        ReadOnlySpan<byte> bitmap = _report.Bytes.Slice(0, Math.Max(0, Math.Min(length, _reportLength)));
        uint ports = 0;
        for (int i = 0; i < bitmap.Length && i < 4; i++)
            ports |= (uint)bitmap[i] << (8 * i);
        _pendingPorts |= ports & ~1u;
        if (_pendingPorts != 0)
            _device.Controller.CallManager();
    }

    void IInterruptEndpointClient.OnError(int completionCode)
    {
    }

    void IInterruptEndpointClient.Release() => _report.Free();
}
