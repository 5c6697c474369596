// The USB boot keyboard (HID 1.11 §4.2 and Appendix B): its interface is found in the configuration even when it is
// not the first, switched to the boot protocol, told to report only on change, and read through its interrupt-IN
// endpoint. Each 8-byte report is decoded into scan code set 1 bytes (BootKeyboard) that go into the same input ring
// as the PS/2 keyboard's, so the shell cannot tell the two apart. Typematic repeat, which a PS/2 keyboard does
// itself, comes from the timer tick here; the lock LEDs follow Caps/Num/Scroll Lock through SET_REPORT, sent by the
// manager task (the event pump cannot wait for a control transfer).
using System;
using Kernel.Input;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>A USB keyboard driven in the boot protocol.</summary>
public sealed class UsbKeyboard : IInterruptEndpointClient
{
    /// <summary>Keyboards served at once.</summary>
    public const int MaxKeyboards = 8;

    private const int ReportsInFlight = 4;
    private const int MaxReportBytes = 64;

    // Fixed, so the timer tick reads it without allocating; slots are filled by the manager under the controller's lock.
    private static readonly UsbKeyboard[] s_keyboards = new UsbKeyboard[MaxKeyboards];
    private static bool s_tickSubscribed;

    private readonly UsbDevice _device;
    private readonly byte _interface;
    private readonly UsbDma _reports;
    private readonly int _reportLength;
    private readonly BootKeyboard _state = new BootKeyboard();
    private readonly byte[] _scancodes = new byte[BootKeyboardDecoder.MaxOutputBytes];
    private readonly byte[] _ledReport = new byte[1];
    private ulong _reportsTaken;

    private UsbKeyboard(UsbDevice device, byte interfaceNumber, int reportLength)
    {
        _device = device;
        _interface = interfaceNumber;
        _reportLength = reportLength;
        _reports = UsbDma.Allocate(ReportsInFlight * MaxReportBytes, 64, device.Controller.Below4GiB);
    }

    /// <summary>The completion code that stopped the keyboard's endpoint, or 0 while it reports.</summary>
    public int LastError { get; private set; }

    /// <summary>Reports received from this keyboard.</summary>
    public ulong ReportsTaken => _reportsTaken;

    /// <summary>
    /// Runs the typematic repeat from the timer; call once at boot, before interrupts are enabled (timer
    /// subscriptions are made then).
    /// </summary>
    public static void SubscribeToTimer()
    {
        if (s_tickSubscribed)
            return;
        s_tickSubscribed = true;
        SystemTimer.Subscribe(OnTick);
    }

    /// <summary>Keyboards attached now.</summary>
    public static int Count
    {
        get
        {
            int count = 0;
            for (int i = 0; i < s_keyboards.Length; i++)
            {
                if (s_keyboards[i] != null)
                    count++;
            }
            return count;
        }
    }

    /// <summary>
    /// When device's configuration has a boot keyboard interface, configures the device, switches the
    /// interface to the boot protocol and starts reading reports. Returns the device's role for the log, or null
    /// when it is not a keyboard (it is then left unconfigured).
    /// </summary>
    internal static async KernelTask<string> TryBindAsync(UsbDevice device, UsbConfiguration configuration)
    {
        UsbInterface keyboard = configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint);
        if (keyboard == null)
            return null;
        int slot = FreeSlot();
        if (slot < 0)
            return "boot keyboard not used (" + MaxKeyboards.ToString() + " keyboards already)";
        await device.ControlOutAsync(SetupPacket.SetConfiguration(configuration.ConfigurationValue).ToUInt64(), null);
        await device.ControlOutAsync(SetupPacket.HidSetProtocol(keyboard.Number, boot: true).ToUInt64(), null);
        try
        {
            await device.ControlOutAsync(SetupPacket.HidSetIdle(keyboard.Number, 0).ToUInt64(), null);
        }
        catch (UsbException)
        {
            // SET_IDLE is optional for keyboards (HID 1.11 §7.2.4): a stall only means it reports at its own rate.
        }
        var driver = new UsbKeyboard(device, keyboard.Number, Math.Min(endpoint.MaxPacketSize, MaxReportBytes));
        await device.StartInterruptInAsync(endpoint.Address, driver._reportLength, endpoint.Interval, driver);
        using (device.Controller.Lock.Acquire())
            s_keyboards[slot] = driver;
        await driver.SendLedsAsync();
        return "boot keyboard (interface " + keyboard.Number.ToString() + ", endpoint 0x" + endpoint.Address.ToString("x2") + ")";
    }

    /// <summary>From the manager task: sends LED reports that changed, for the keyboards on controller.</summary>
    internal static async KernelTask ServeRequestsAsync(XhciController controller)
    {
        for (int i = 0; i < s_keyboards.Length; i++)
        {
            UsbKeyboard keyboard = s_keyboards[i];
            if (keyboard != null && keyboard._device.Controller == controller)
            {
                try
                {
                    await keyboard.SendLedsAsync();
                }
                catch (UsbException)
                {
                    // A keyboard without LEDs may stall SET_REPORT; typing goes on.
                }
            }
        }
    }

    /// <summary>The manager forgets device: if it was a keyboard, its keys stop (no releases are invented) and its slot frees.</summary>
    internal static void OnDeviceGone(UsbDevice device)
    {
        using (device.Controller.Lock.Acquire())
        {
            for (int i = 0; i < s_keyboards.Length; i++)
            {
                UsbKeyboard keyboard = s_keyboards[i];
                if (keyboard != null && keyboard._device == device)
                {
                    keyboard._state.Disconnect();
                    s_keyboards[i] = null;
                }
            }
        }
    }

    private async KernelTask SendLedsAsync()
    {
        bool changed;
        using (_device.Controller.Lock.Acquire())
            changed = _state.Leds.TakeChange(out _ledReport[0]);
        if (changed)
            await _device.ControlOutAsync(SetupPacket.HidSetOutputReport(_interface, 1).ToUInt64(), _ledReport);
    }

    /// <summary>"N reports" for a keyboard's lsusb line (with the error that stopped it), or null when device is no keyboard.</summary>
    internal static string DescribeState(UsbDevice device)
    {
        for (int i = 0; i < s_keyboards.Length; i++)
        {
            UsbKeyboard keyboard = s_keyboards[i];
            if (keyboard != null && keyboard._device == device)
                return keyboard._reportsTaken.ToString() + " reports"
                    + (keyboard.LastError != 0 ? ", stopped: " + CompletionCode.Name(keyboard.LastError) : "");
        }
        return null;
    }

    private static int FreeSlot()
    {
        for (int i = 0; i < s_keyboards.Length; i++)
        {
            if (s_keyboards[i] == null)
                return i;
        }
        return -1;
    }

    int IInterruptEndpointClient.BufferCount => ReportsInFlight;

    int IInterruptEndpointClient.BufferLength => _reportLength;

    ulong IInterruptEndpointClient.BufferAddress(int index) => _reports.PhysicalAddress + (ulong)(index * MaxReportBytes);

    int IInterruptEndpointClient.BufferIndex(ulong physicalAddress)
    {
        ulong offset = physicalAddress - _reports.PhysicalAddress;
        if (physicalAddress < _reports.PhysicalAddress || offset % MaxReportBytes != 0 || offset / MaxReportBytes >= ReportsInFlight)
            return -1;
        return (int)(offset / MaxReportBytes);
    }

    // From the event pump, the controller's lock held: decode and hand the bytes to the console's input ring.
    void IInterruptEndpointClient.OnReport(int index, int length)
    {
        _reportsTaken++;
        ReadOnlySpan<byte> report = _reports.Bytes.Slice(index * MaxReportBytes, Math.Max(0, Math.Min(length, _reportLength)));
        if (_state.OnReport(report, SystemTimer.UptimeMilliseconds, _scancodes, out int written) != BootReportStatus.Ok)
            return;
        for (int i = 0; i < written; i++)
            ConsoleInput.OnScancode(_scancodes[i]);
        if (_state.Leds.HasChange)
            _device.Controller.CallManager();
    }

    void IInterruptEndpointClient.OnError(int completionCode) => LastError = completionCode;

    void IInterruptEndpointClient.Release() => _reports.Free();

    // Every timer tick (interrupt context): the repeats that are due.
    private static void OnTick(ulong ticks)
    {
        for (int i = 0; i < s_keyboards.Length; i++)
        {
            UsbKeyboard keyboard = s_keyboards[i];
            // Read without the lock: a repeat that starts just now is seen at the next tick.
            if (keyboard == null || !keyboard._state.Repeat.IsActive)
                continue;
            using (keyboard._device.Controller.Lock.Acquire())
            {
                int written = keyboard._state.Poll(SystemTimer.UptimeMilliseconds, keyboard._scancodes);
                for (int b = 0; b < written; b++)
                    ConsoleInput.OnScancode(keyboard._scancodes[b]);
            }
        }
    }
}
