// The hub class descriptor (USB 2.0 §11.23.2.1, Table 11-13, type 0x29; USB 3.2 §10.15.2.1, Table 10-3, type
// 0x2A) and a port's status as GET_STATUS(port) returns it (USB 2.0 §11.24.2.7, Tables 11-21 and 11-22;
// USB 3.2 §10.16.2.6, Table 10-10).
using System;

namespace Kernel.Usb;

/// <summary>A hub descriptor, USB 2.0 or SuperSpeed.</summary>
public readonly struct UsbHubDescriptor
{
    /// <summary>The smallest USB 2.0 hub descriptor: fixed fields, then at least one byte each of DeviceRemovable and PortPwrCtrlMask.</summary>
    public const int MinimumLength = 9;

    /// <summary>bLength of a SuperSpeed hub descriptor.</summary>
    public const int SuperSpeedLength = 12;

    /// <summary>Ports a SuperSpeed hub may have (USB 3.2 Table 10-3), and the most a route string tier can name.</summary>
    public const int MaxSuperSpeedPorts = 15;

    private const int PortCountOffset = 2;
    private const int CharacteristicsOffset = 3;
    private const int PowerOnToGoodOffset = 5;
    private const int ControllerCurrentOffset = 6;
    private const int RemovableOffset = 7;
    private const int SuperSpeedDecodeLatencyOffset = 7;
    private const int SuperSpeedHubDelayOffset = 8;
    private const int SuperSpeedRemovableOffset = 10;

    // wHubCharacteristics (Table 11-13): 1:0 power switching, 2 compound device, 4:3 over-current protection,
    // 6:5 TT think time (USB 2 only), 7 port indicators (USB 2 only).
    private const int PowerSwitchingMask = 0x3;
    private const int CompoundBit = 1 << 2;
    private const int OverCurrentShift = 3;
    private const int OverCurrentMask = 0x3;
    private const int ThinkTimeShift = 5;
    private const int ThinkTimeMask = 0x3;
    private const int PortIndicatorsBit = 1 << 7;
    private const int PowerOnToGoodUnitMs = 2;
    private const int RemovableBitsKept = 32;

    private UsbHubDescriptor(bool superSpeed, byte portCount, ushort characteristics, byte powerOnToGood,
        byte controllerCurrent, byte decodeLatency, ushort hubDelay, uint removable)
    {
        IsSuperSpeed = superSpeed;
        PortCount = portCount;
        Characteristics = characteristics;
        PowerOnToPowerGood = powerOnToGood;
        ControllerCurrent = controllerCurrent;
        HeaderDecodeLatency = decodeLatency;
        HubDelay = hubDelay;
        RemovableBits = removable;
    }

    /// <summary>Whether this is the SuperSpeed (0x2A) form.</summary>
    public bool IsSuperSpeed { get; }

    /// <summary>bNbrPorts: downstream ports.</summary>
    public byte PortCount { get; }

    /// <summary>wHubCharacteristics as sent.</summary>
    public ushort Characteristics { get; }

    /// <summary>bPwrOn2PwrGood as sent, in 2 ms units.</summary>
    public byte PowerOnToPowerGood { get; }

    /// <summary>bHubContrCurrent: mA (USB 2) or 4 mA units (SuperSpeed) the hub's controller draws.</summary>
    public byte ControllerCurrent { get; }

    /// <summary>bHubHdrDecLat (SuperSpeed only): header decode latency.</summary>
    public byte HeaderDecodeLatency { get; }

    /// <summary>wHubDelay (SuperSpeed only): the hub's added delay in ns.</summary>
    public ushort HubDelay { get; }

    /// <summary>DeviceRemovable bits for ports 0-31 (bit n: port n's device is not removable; bit 0 reserved).</summary>
    public uint RemovableBits { get; }

    /// <summary>Milliseconds to wait after powering a port before it is good (bPwrOn2PwrGood x 2).</summary>
    public int PowerOnToPowerGoodMs => PowerOnToPowerGood * PowerOnToGoodUnitMs;

    /// <summary>Logical power switching mode: 0 ganged, 1 per port, 2 or 3 none (USB 1.x hubs).</summary>
    public int PowerSwitchingMode => Characteristics & PowerSwitchingMask;

    /// <summary>Whether the hub is part of a compound device.</summary>
    public bool IsCompound => (Characteristics & CompoundBit) != 0;

    /// <summary>Over-current protection mode: 0 global, 1 per port, 2 or 3 none.</summary>
    public int OverCurrentMode => (Characteristics >> OverCurrentShift) & OverCurrentMask;

    /// <summary>
    /// The TT Think Time field (bits 6:5), 0 to 3, as the xHCI slot context's TT Think Time takes it (xHCI 1.2
    /// §6.2.2); it stands for 8, 16, 24 or 32 full-speed bit times. 0 for SuperSpeed hubs (no TT).
    /// </summary>
    public int ThinkTime => IsSuperSpeed ? 0 : (Characteristics >> ThinkTimeShift) & ThinkTimeMask;

    /// <summary>Full-speed bit times the TT may take between transactions: 8 x (ThinkTime + 1); 0 for SuperSpeed hubs.</summary>
    public int ThinkTimeBitTimes => IsSuperSpeed ? 0 : 8 * (ThinkTime + 1);

    /// <summary>Whether the ports have indicator LEDs (USB 2 only).</summary>
    public bool HasPortIndicators => !IsSuperSpeed && (Characteristics & PortIndicatorsBit) != 0;

    /// <summary>Whether the device on port (1-31) is marked non-removable.</summary>
    public bool IsPermanent(int port) => port > 0 && port < RemovableBitsKept && (RemovableBits & (1u << port)) != 0;

    /// <summary>Parses a hub descriptor of either type.</summary>
    public static UsbDescriptorStatus TryParse(ReadOnlySpan<byte> bytes, out UsbHubDescriptor hub)
    {
        hub = default;
        if (bytes.Length < UsbDescriptors.HeaderLength)
            return UsbDescriptorStatus.TooShort;
        bool superSpeed = bytes[1] == UsbDescriptors.SuperSpeedHubType;
        UsbDescriptorStatus status = UsbDescriptors.CheckHeader(bytes,
            superSpeed ? UsbDescriptors.SuperSpeedHubType : UsbDescriptors.HubType,
            superSpeed ? SuperSpeedLength : MinimumLength);
        if (status != UsbDescriptorStatus.Ok)
            return status;

        byte ports = bytes[PortCountOffset];
        ushort characteristics = UsbDescriptors.ReadUInt16(bytes, CharacteristicsOffset);
        if (superSpeed)
        {
            uint removable = UsbDescriptors.ReadUInt16(bytes, SuperSpeedRemovableOffset);
            hub = new UsbHubDescriptor(true, ports, characteristics, bytes[PowerOnToGoodOffset],
                bytes[ControllerCurrentOffset], bytes[SuperSpeedDecodeLatencyOffset],
                UsbDescriptors.ReadUInt16(bytes, SuperSpeedHubDelayOffset), removable);
            return UsbDescriptorStatus.Ok;
        }

        // DeviceRemovable has one bit per port plus reserved bit 0, rounded up to bytes; bLength must cover it.
        int removableBytes = (ports + 1 + 7) / 8;
        if (bytes[0] < RemovableOffset + removableBytes)
            return UsbDescriptorStatus.BadLength;
        uint bits = 0;
        for (int i = 0; i < removableBytes && i < RemovableBitsKept / 8; i++)
            bits |= (uint)bytes[RemovableOffset + i] << (8 * i);
        hub = new UsbHubDescriptor(false, ports, characteristics, bytes[PowerOnToGoodOffset],
            bytes[ControllerCurrentOffset], 0, 0, bits);
        return UsbDescriptorStatus.Ok;
    }
}

/// <summary>wPortStatus and wPortChange from GET_STATUS to a hub port (4 bytes).</summary>
public readonly struct UsbHubPortStatus
{
    /// <summary>Bytes GET_STATUS(port) returns.</summary>
    public const int Length = 4;

    // wPortStatus (Table 11-21, Table 10-10): 0 connection, 1 enable, 2 suspend (USB 2), 3 over-current, 4 reset;
    // USB 2: 8 power, 9 low speed, 10 high speed; SuperSpeed: 8:5 link state, 9 power, 12:10 speed.
    private const int ConnectionBit = 1 << 0;
    private const int EnableBit = 1 << 1;
    private const int OverCurrentBit = 1 << 3;
    private const int ResetBit = 1 << 4;
    private const int PowerBit = 1 << 8;
    private const int LowSpeedBit = 1 << 9;
    private const int HighSpeedBit = 1 << 10;
    private const int SuperSpeedPowerBit = 1 << 9;

    // wPortChange (Table 11-22): 0 C_PORT_CONNECTION, 1 C_PORT_ENABLE, 3 C_PORT_OVER_CURRENT, 4 C_PORT_RESET.
    private const int ConnectionChangeBit = 1 << 0;
    private const int ResetChangeBit = 1 << 4;

    /// <summary>Reads the 4 bytes; superSpeedHub selects the SuperSpeed bit layout.</summary>
    public UsbHubPortStatus(ReadOnlySpan<byte> bytes, bool superSpeedHub)
    {
        Status = bytes.Length >= 2 ? UsbDescriptors.ReadUInt16(bytes, 0) : (ushort)0;
        Change = bytes.Length >= Length ? UsbDescriptors.ReadUInt16(bytes, 2) : (ushort)0;
        IsSuperSpeedHub = superSpeedHub;
    }

    /// <summary>wPortStatus.</summary>
    public ushort Status { get; }

    /// <summary>wPortChange: the bits cleared with CLEAR_FEATURE(C_PORT_...).</summary>
    public ushort Change { get; }

    /// <summary>Whether the SuperSpeed layout applies.</summary>
    public bool IsSuperSpeedHub { get; }

    /// <summary>A device is connected.</summary>
    public bool IsConnected => (Status & ConnectionBit) != 0;

    /// <summary>The port is enabled (after a reset).</summary>
    public bool IsEnabled => (Status & EnableBit) != 0;

    /// <summary>The port is in over-current.</summary>
    public bool IsOverCurrent => (Status & OverCurrentBit) != 0;

    /// <summary>A reset is in progress.</summary>
    public bool IsResetting => (Status & ResetBit) != 0;

    /// <summary>The port is powered.</summary>
    public bool IsPowered => (Status & (IsSuperSpeedHub ? SuperSpeedPowerBit : PowerBit)) != 0;

    /// <summary>The connection changed (C_PORT_CONNECTION).</summary>
    public bool ConnectionChanged => (Change & ConnectionChangeBit) != 0;

    /// <summary>A reset finished (C_PORT_RESET).</summary>
    public bool ResetChanged => (Change & ResetChangeBit) != 0;

    /// <summary>
    /// The attached device's speed: from the low- and high-speed bits on a USB 2 hub (neither is full speed), always
    /// SuperSpeed on a SuperSpeed hub; Unknown when nothing is connected.
    /// </summary>
    public UsbSpeed Speed
    {
        get
        {
            if (!IsConnected)
                return UsbSpeed.Unknown;
            if (IsSuperSpeedHub)
                return UsbSpeed.Super;
            if ((Status & LowSpeedBit) != 0)
                return UsbSpeed.Low;
            return (Status & HighSpeedBit) != 0 ? UsbSpeed.High : UsbSpeed.Full;
        }
    }
}
