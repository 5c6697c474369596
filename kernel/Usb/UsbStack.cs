// The USB stack's life: at boot every xHCI controller (PCI class 0x0C, subclass 0x03, interface 0x30) is taken from
// the firmware, before the PS/2 decision (until then SMM may emulate a PS/2 keyboard from USB); after "ready" one
// manager task per controller resets it, scans its ports, hands new devices to drivers (the boot keyboard), and then
// waits for port changes (hot-plug), driver requests and controller failures. Events come by MSI-X or MSI to a
// kernel vector when the controller has one and the local APICs are in use; a watchdog task takes them every 10 ms
// when it has not (polled), every 100 ms as a safety net when it has, and ends waits the controller never answers.
using System;
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Pci;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>The kernel's USB host controllers and their devices.</summary>
public static class UsbStack
{
    private const ulong PolledIntervalMs = 10;
    private const ulong InterruptWatchdogMs = 100;
    private const ulong ManagerWakeMs = 1000;
    private const int MaxRestarts = 3;

    private static List<XhciController> s_controllers = new List<XhciController>();
    private static Action<string> s_announce;

    /// <summary>The controllers taken at boot.</summary>
    public static int ControllerCount => s_controllers.Count;

    /// <summary>Controller index.</summary>
    public static XhciController Controller(int index) => s_controllers[index];

    /// <summary>
    /// Takes every xHCI controller among functions from the firmware and returns the boot log's lines about them.
    /// tscHz is the calibrated TSC rate the hand-off's timeout is measured with.
    /// </summary>
    public static List<string> TakeControllers(PciFunction[] functions, ulong tscHz)
    {
        var lines = new List<string>();
        ulong cyclesPerMicrosecond = Math.Max(1UL, tscHz / 1_000_000);
        Func<ulong> clock = () => Cpu.ReadTimeStampCounter() / cyclesPerMicrosecond;
        for (int i = 0; i < functions.Length; i++)
        {
            PciFunction function = functions[i];
            if (function.ClassCode != PciClassNames.SerialBusClass || function.Subclass != PciClassNames.UsbSubclass
                || function.ProgIf != PciClassNames.XhciProgIf)
                continue;
            XhciController controller = XhciController.TakeOver(function, clock, out string problem);
            if (controller == null)
            {
                lines.Add("usb: xHCI at " + function.Address.ToString() + " skipped: " + problem);
                continue;
            }
            s_controllers.Add(controller);
            lines.Add("usb: xHCI " + (controller.Version >> 8).ToString() + "." + ((controller.Version >> 4) & 0xF).ToString()
                + " at " + function.Address.ToString() + " (" + function.VendorId.ToString("x4") + ":" + function.DeviceId.ToString("x4")
                + "), " + controller.PortCount.ToString() + " ports, " + controller.MaxSlots.ToString() + " slots"
                + (controller.Has64BitAddressing ? ", 64-bit DMA" : ", 32-bit DMA") + "; " + controller.Handoff);
        }
        if (s_controllers.Count == 0)
            lines.Add("usb: no xHCI controller");
        else
            UsbKeyboard.SubscribeToTimer();
        return lines;
    }

    /// <summary>
    /// Starts a manager and a watchdog task per controller (pinned to the boot CPU, which takes device interrupts);
    /// announce prints a line for the user (devices found, removed, failures).
    /// </summary>
    public static void Start(Action<string> announce)
    {
        s_announce = announce;
        for (int i = 0; i < s_controllers.Count; i++)
        {
            XhciController controller = s_controllers[i];
            Executor.Spawn("usb-watchdog", WatchAsync(controller), pinned: true);
            Executor.Spawn("usb", ManageAsync(controller), pinned: true);
        }
    }

    private static async KernelTask WatchAsync(XhciController controller)
    {
        while (true)
        {
            controller.PumpEvents(SystemTimer.UptimeMilliseconds);
            await Timers.Delay(controller.InterruptMode == "polled" ? PolledIntervalMs : InterruptWatchdogMs);
        }
    }

    private static async KernelTask ManageAsync(XhciController controller)
    {
        for (int attempt = 0; attempt <= MaxRestarts; attempt++)
        {
            try
            {
                await controller.StartAsync();
                Announce("usb: " + controller.Pci.Address.ToString() + " running (" + controller.InterruptMode
                    + (controller.InterruptVector >= 0 && controller.InterruptMode != "polled" ? " vector 0x" + ((uint)controller.InterruptVector).ToString("x2") : "")
                    + (controller.InterruptProblem != null ? ": " + controller.InterruptProblem : "") + ")");
                await ServeAsync(controller);
            }
            catch (UsbException problem)
            {
                Announce("usb: " + controller.Pci.Address.ToString() + ": " + problem.Message);
            }
            if (controller.Failure == null)
                return;
            Announce("usb: " + controller.Pci.Address.ToString() + ": " + controller.Failure + "; resetting the controller");
        }
        Announce("usb: " + controller.Pci.Address.ToString() + ": given up after " + MaxRestarts.ToString() + " resets");
    }

    // Returns when the controller failed (Failure set); throws UsbException for what the manager cannot go on from.
    private static async KernelTask ServeAsync(XhciController controller)
    {
        while (controller.Failure == null)
        {
            controller.TakePortChanges();
            List<UsbDevice> arrived = await controller.ScanPortsAsync(Announce);
            bool called = controller.TakeManagerCall();
            // Devices on hubs, tier by tier: a hub bound in this pass has every port pending for the next.
            while (arrived.Count > 0 || UsbHub.HasPendingChanges(controller))
            {
                for (int i = 0; i < arrived.Count; i++)
                    await BindAsync(arrived[i]);
                arrived = await UsbHub.ServeAsync(controller, Announce);
            }
            if (called)
                await UsbKeyboard.ServeRequestsAsync(controller);
            await controller.WaitForAttentionAsync(ManagerWakeMs);
        }
    }

    // Gives a new device to the driver that wants it; a device no driver takes is listed and left unconfigured.
    private static async KernelTask BindAsync(UsbDevice device)
    {
        string description = "usb: port " + device.PortPath + ": " + XhciController.Describe(device);
        try
        {
            UsbConfiguration configuration = await device.ReadConfigurationAsync();
            string role = await UsbKeyboard.TryBindAsync(device, configuration);
            role ??= await UsbHub.TryBindAsync(device, configuration);
            if (role == null && configuration.Status != UsbDescriptorStatus.Ok)
                role = "configuration rejected: " + configuration.Describe();
            device.Role = role;
            Announce(description + (role != null ? ", " + role : ""));
        }
        catch (UsbException problem)
        {
            Announce(description + ": " + problem.Message);
        }
    }

    private static void Announce(string line) => s_announce?.Invoke(line);

    /// <summary>One line per device on every controller, for lsusb.</summary>
    public static List<string> DescribeDevices()
    {
        var lines = new List<string>();
        for (int c = 0; c < s_controllers.Count; c++)
        {
            XhciController controller = s_controllers[c];
            lines.Add("xHCI " + controller.Pci.Address.ToString() + ": " + controller.PortCount.ToString() + " ports, "
                + controller.InterruptMode + ", " + controller.EventsTaken.ToString() + " events"
                + (controller.Failure != null ? ", failed: " + controller.Failure : ""));
            for (int slot = 1; slot <= XhciController.MaxSlotsUsed; slot++)
            {
                UsbDevice device = controller.DeviceInSlot(slot);
                if (device == null)
                    continue;
                lines.Add("  port " + device.PortPath + " (USB " + controller.PortProtocol(device.RootPort).ToString() + "): slot "
                    + device.Slot.ToString() + ", " + XhciController.Describe(device) + ", class 0x" + device.DeviceClass.ToString("x6")
                    + (device.Role != null ? ", " + device.Role : "")
                    + (UsbKeyboard.DescribeState(device) is string state ? ", " + state : ""));
            }
        }
        if (s_controllers.Count == 0)
            lines.Add("no USB host controller");
        return lines;
    }
}
