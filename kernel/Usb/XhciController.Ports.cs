// Root hub ports (xHCI 1.2 §4.3 and §4.19): a USB 2 port is reset by the driver (PR, then wait for Port Reset
// Change) before it is enabled; a USB 3 port trains its link and enables itself, and gets a warm reset only when it
// does not. Then a slot is enabled and the device addressed. Port changes are write-1-to-clear; the manager looks at
// every port whenever the controller reports any change.
using Kernel.Tasks;

namespace Kernel.Usb;

public sealed partial class XhciController
{
    private const ulong PortResetTimeoutMs = 500;
    private const ulong Usb3EnableTimeoutMs = 200;
    private const ulong ResetRecoveryMs = 10;

    private UsbDevice[] _devicesByPort;

    /// <summary>
    /// Looks at every root port: clears its change bits, forgets a device that went away, and resets and addresses
    /// a device that arrived. Returns the devices that arrived (each addressed, its device descriptor read), for the
    /// manager to give drivers. A port whose device fails is reported through onProblem and skipped.
    /// </summary>
    public async KernelTask<System.Collections.Generic.List<UsbDevice>> ScanPortsAsync(System.Action<string> onProblem)
    {
        _devicesByPort ??= new UsbDevice[PortCount];
        var arrived = new System.Collections.Generic.List<UsbDevice>();
        for (int port = 1; port <= PortCount && Failure == null; port++)
        {
            uint status = ReadPort(port);
            if ((status & PortStatus.AllChanges) != 0)
                WritePort(port, PortStatus.WriteValue(status, 0, status & PortStatus.AllChanges));
            bool connected = (status & PortStatus.Connected) != 0;
            UsbDevice present = _devicesByPort[port - 1];
            // A disconnect and a new connect between two looks: the old device is gone either way.
            if (present != null && (!connected || (status & PortStatus.ConnectChange) != 0))
            {
                await ForgetAsync(present);
                _devicesByPort[port - 1] = null;
                onProblem?.Invoke("usb: port " + present.PortPath + ": " + Describe(present) + " removed");
                present = null;
            }
            if (!connected || present != null)
                continue;
            try
            {
                UsbDevice device = await AttachRootPortAsync(port);
                if (device != null)
                {
                    _devicesByPort[port - 1] = device;
                    arrived.Add(device);
                }
            }
            catch (UsbException problem)
            {
                onProblem?.Invoke("usb: port " + port.ToString() + ": " + problem.Message);
            }
        }
        return arrived;
    }

    private async KernelTask<UsbDevice> AttachRootPortAsync(int port)
    {
        uint status = await ResetPortAsync(port);
        if ((status & PortStatus.Enabled) == 0)
            return null;
        await Timers.Delay(ResetRecoveryMs);
        return await AddressNewDeviceAsync(null, port, PortStatus.Speed(status));
    }

    /// <summary>
    /// Gives a device that was just reset on port (of the hub parent, or a root port when parent is null) a slot,
    /// addresses it with its route string and transaction translator, and reads its device descriptor. On failure
    /// the slot is given back and UsbException thrown.
    /// </summary>
    internal async KernelTask<UsbDevice> AddressNewDeviceAsync(UsbDevice parent, int port, UsbSpeed speed)
    {
        int depth = parent == null ? 1 : parent.Path.Length + 1;
        var path = new UsbHop[depth];
        if (parent != null)
            parent.Path.CopyTo(path);
        path[depth - 1] = new UsbHop(port, speed, 0);
        UsbRoute route = UsbRoute.Compute(path);
        if (route.Status != UsbRouteStatus.Ok)
            throw new UsbException("cannot be reached (route status " + ((int)route.Status).ToString() + ": more than 5 hubs deep, or a hub port above 15)");
        Trb enabled = await CommandAsync(Trb.EnableSlot());
        if (enabled.CompletionCode != CompletionCode.Success)
            throw new UsbException("Enable Slot failed (" + CompletionCode.Name(enabled.CompletionCode) + ")");
        int slot = enabled.SlotId;
        if (slot < 1 || slot > SlotCapacity)
            throw new UsbException("the controller gave slot " + slot.ToString() + ", beyond the " + SlotCapacity.ToString() + " enabled");
        path[depth - 1] = new UsbHop(port, speed, slot);
        var device = new UsbDevice(this, slot, parent, path, route);
        try
        {
            await device.AddressAsync();
            await device.ReadDeviceDescriptorAsync();
        }
        catch (UsbException)
        {
            await ForgetAsync(device);
            throw;
        }
        return device;
    }

    // Resets the port the way its protocol wants and returns PORTSC afterwards (Enabled set when it worked).
    private async KernelTask<uint> ResetPortAsync(int port)
    {
        if (PortProtocol(port) == 3)
        {
            // USB 3: the link trains by itself after a connect; only a port stuck outside U0 needs a warm reset.
            if (await PollOperationalAsync(PortRegister(port), portsc => (portsc & PortStatus.Enabled) != 0, Usb3EnableTimeoutMs))
                return ReadPort(port);
            WritePort(port, PortStatus.WriteValue(ReadPort(port), PortStatus.WarmReset, PortStatus.AllChanges));
            return await WaitForResetChangeAsync(port, PortStatus.WarmResetChange | PortStatus.ResetChange);
        }
        WritePort(port, PortStatus.WriteValue(ReadPort(port), PortStatus.Reset, PortStatus.AllChanges));
        return await WaitForResetChangeAsync(port, PortStatus.ResetChange);
    }

    private async KernelTask<uint> WaitForResetChangeAsync(int port, uint changes)
    {
        if (!await PollOperationalAsync(PortRegister(port), portsc => (portsc & changes) != 0, PortResetTimeoutMs))
            throw new UsbException("the port reset did not finish in " + PortResetTimeoutMs.ToString() + " ms (PORTSC 0x" + ReadPort(port).ToString("x") + ")");
        uint status = ReadPort(port);
        WritePort(port, PortStatus.WriteValue(status, 0, status & PortStatus.AllChanges));
        return ReadPort(port);
    }

    /// <summary>
    /// Disables the slot and forgets the device, and first every device behind it when it is a hub; once the
    /// controller has let go of a slot its DMA memory goes back (if Disable Slot is not answered, the memory is
    /// kept: the controller might still write it). Returns how many devices were forgotten.
    /// </summary>
    internal async KernelTask<int> ForgetAsync(UsbDevice device)
    {
        int forgotten = 1;
        UsbDevice[] children = UsbHub.OnDeviceGone(device);
        if (children != null)
        {
            for (int i = 0; i < children.Length; i++)
            {
                if (children[i] != null)
                    forgotten += await ForgetAsync(children[i]);
            }
        }
        UsbKeyboard.OnDeviceGone(device);
        Detach(device.Slot);
        Trb done = await CommandAsync(Trb.DisableSlot(device.Slot));
        SetDeviceContext(device.Slot, 0);
        if (done.CompletionCode == CompletionCode.Success)
            device.FreeMemory();
        return forgotten;
    }

    /// <summary>"0627:0001 full speed" for the log.</summary>
    public static string Describe(UsbDevice device) =>
        device.VendorId.ToString("x4") + ":" + device.ProductId.ToString("x4") + " " + UsbSpeeds.Name(device.Speed) + " speed";
}
