// The 8-byte SETUP packet of a control transfer (USB 2.0 §9.3, Table 9-2) and the requests the keyboard and hub
// drivers send: standard ones (§9.4), HID class ones (HID 1.11 §7.2) and hub class ones (USB 2.0 §11.24.2,
// USB 3.2 §10.16.2). xHCI takes the packet as immediate data: the Setup Stage TRB's first 8 bytes (xHCI 1.2
// §6.4.1.2.1), so it also comes as one little-endian ulong.
using System;

namespace Kernel.Usb;

/// <summary>A SETUP packet: bmRequestType, bRequest, wValue, wIndex, wLength.</summary>
public readonly struct SetupPacket
{
    /// <summary>Bytes in a SETUP packet.</summary>
    public const int Length = 8;

    // bmRequestType (Table 9-2): bit 7 direction, 6:5 type, 4:0 recipient.
    /// <summary>bmRequestType bit 7: device to host (IN data stage).</summary>
    public const byte DeviceToHost = 0x80;

    /// <summary>bmRequestType type: standard.</summary>
    public const byte TypeStandard = 0x00;

    /// <summary>bmRequestType type: class.</summary>
    public const byte TypeClass = 0x20;

    /// <summary>bmRequestType recipient: device.</summary>
    public const byte RecipientDevice = 0x00;

    /// <summary>bmRequestType recipient: interface.</summary>
    public const byte RecipientInterface = 0x01;

    /// <summary>bmRequestType recipient: endpoint.</summary>
    public const byte RecipientEndpoint = 0x02;

    /// <summary>bmRequestType recipient: other (a hub's port).</summary>
    public const byte RecipientOther = 0x03;

    // Standard request codes (Table 9-4).
    /// <summary>GET_STATUS.</summary>
    public const byte GetStatusRequest = 0;

    /// <summary>CLEAR_FEATURE.</summary>
    public const byte ClearFeatureRequest = 1;

    /// <summary>SET_FEATURE.</summary>
    public const byte SetFeatureRequest = 3;

    /// <summary>GET_DESCRIPTOR.</summary>
    public const byte GetDescriptorRequest = 6;

    /// <summary>SET_CONFIGURATION.</summary>
    public const byte SetConfigurationRequest = 9;

    /// <summary>SET_HUB_DEPTH, SuperSpeed hubs (USB 3.2 Table 10-8).</summary>
    public const byte SetHubDepthRequest = 12;

    // HID class requests (HID 1.11 §7.2).
    /// <summary>HID SET_REPORT.</summary>
    public const byte HidSetReportRequest = 0x09;

    /// <summary>HID SET_IDLE.</summary>
    public const byte HidSetIdleRequest = 0x0A;

    /// <summary>HID SET_PROTOCOL.</summary>
    public const byte HidSetProtocolRequest = 0x0B;

    /// <summary>SET_PROTOCOL wValue: boot protocol.</summary>
    public const ushort HidBootProtocol = 0;

    /// <summary>SET_PROTOCOL wValue: report protocol.</summary>
    public const ushort HidReportProtocol = 1;

    /// <summary>SET_REPORT report type (wValue high byte): output.</summary>
    public const byte HidOutputReport = 2;

    /// <summary>ENDPOINT_HALT feature selector (Table 9-6).</summary>
    public const ushort EndpointHaltFeature = 0;

    /// <summary>Creates a packet from its fields.</summary>
    public SetupPacket(byte requestType, byte request, ushort value, ushort index, ushort length)
    {
        RequestType = requestType;
        Request = request;
        Value = value;
        Index = index;
        DataLength = length;
    }

    /// <summary>bmRequestType.</summary>
    public byte RequestType { get; }

    /// <summary>bRequest.</summary>
    public byte Request { get; }

    /// <summary>wValue.</summary>
    public ushort Value { get; }

    /// <summary>wIndex.</summary>
    public ushort Index { get; }

    /// <summary>wLength: bytes in the data stage.</summary>
    public ushort DataLength { get; }

    /// <summary>Whether the data stage (if any) is IN.</summary>
    public bool IsDeviceToHost => (RequestType & DeviceToHost) != 0;

    /// <summary>The 8 bytes as one little-endian value (byte 0 lowest), as a Setup Stage TRB holds them.</summary>
    public ulong ToUInt64() =>
        RequestType | ((ulong)Request << 8) | ((ulong)Value << 16) | ((ulong)Index << 32) | ((ulong)DataLength << 48);

    /// <summary>Writes the 8 bytes little-endian; false (nothing written) if destination is shorter.</summary>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
            return false;
        ulong packed = ToUInt64();
        for (int i = 0; i < Length; i++)
            destination[i] = (byte)(packed >> (8 * i));
        return true;
    }

    /// <summary>GET_DESCRIPTOR from the device: type in wValue's high byte, index in its low byte.</summary>
    public static SetupPacket GetDescriptor(byte type, byte index, ushort length, ushort languageId = 0) =>
        new SetupPacket(DeviceToHost | TypeStandard | RecipientDevice, GetDescriptorRequest,
            (ushort)((type << 8) | index), languageId, length);

    /// <summary>GET_DESCRIPTOR(DEVICE): 8 bytes first for a full-speed device's bMaxPacketSize0, then 18.</summary>
    public static SetupPacket GetDeviceDescriptor(ushort length) =>
        GetDescriptor(UsbDescriptors.DeviceType, 0, length);

    /// <summary>GET_DESCRIPTOR(CONFIGURATION): 9 bytes first for wTotalLength, then all of it.</summary>
    public static SetupPacket GetConfigurationDescriptor(byte index, ushort length) =>
        GetDescriptor(UsbDescriptors.ConfigurationType, index, length);

    /// <summary>SET_CONFIGURATION with a bConfigurationValue (0 deconfigures).</summary>
    public static SetupPacket SetConfiguration(byte value) =>
        new SetupPacket(TypeStandard | RecipientDevice, SetConfigurationRequest, value, 0, 0);

    /// <summary>CLEAR_FEATURE(ENDPOINT_HALT) to an endpoint, after a stall.</summary>
    public static SetupPacket ClearEndpointHalt(byte endpointAddress) =>
        new SetupPacket(TypeStandard | RecipientEndpoint, ClearFeatureRequest, EndpointHaltFeature, endpointAddress, 0);

    /// <summary>GET_DESCRIPTOR(REPORT) of a HID interface (HID 1.11 §7.1.1: addressed to the interface).</summary>
    public static SetupPacket GetHidReportDescriptor(byte interfaceNumber, ushort length) =>
        new SetupPacket(DeviceToHost | TypeStandard | RecipientInterface, GetDescriptorRequest,
            UsbDescriptors.HidReportType << 8, interfaceNumber, length);

    /// <summary>HID SET_PROTOCOL: boot (true) or report protocol.</summary>
    public static SetupPacket HidSetProtocol(byte interfaceNumber, bool boot) =>
        new SetupPacket(TypeClass | RecipientInterface, HidSetProtocolRequest,
            boot ? HidBootProtocol : HidReportProtocol, interfaceNumber, 0);

    /// <summary>
    /// HID SET_IDLE: duration in 4 ms units in wValue's high byte (0: report only on change, what a key-repeat in
    /// the host wants), report ID in its low byte (0: all reports).
    /// </summary>
    public static SetupPacket HidSetIdle(byte interfaceNumber, byte durationIn4Ms, byte reportId = 0) =>
        new SetupPacket(TypeClass | RecipientInterface, HidSetIdleRequest,
            (ushort)((durationIn4Ms << 8) | reportId), interfaceNumber, 0);

    /// <summary>HID SET_REPORT(output): for a boot keyboard, the 1-byte LED report (see <see cref="LockLeds"/>).</summary>
    public static SetupPacket HidSetOutputReport(byte interfaceNumber, ushort length, byte reportId = 0) =>
        new SetupPacket(TypeClass | RecipientInterface, HidSetReportRequest,
            (ushort)((HidOutputReport << 8) | reportId), interfaceNumber, length);

    /// <summary>GET_DESCRIPTOR(HUB) (class request to the device): 0x29 for USB 2 hubs, 0x2A for SuperSpeed ones.</summary>
    public static SetupPacket GetHubDescriptor(bool superSpeed, ushort length) =>
        new SetupPacket(DeviceToHost | TypeClass | RecipientDevice, GetDescriptorRequest,
            (ushort)((superSpeed ? UsbDescriptors.SuperSpeedHubType : UsbDescriptors.HubType) << 8), 0, length);

    /// <summary>GET_STATUS of the hub itself (4 bytes: wHubStatus, wHubChange).</summary>
    public static SetupPacket GetHubStatus() =>
        new SetupPacket(DeviceToHost | TypeClass | RecipientDevice, GetStatusRequest, 0, 0, UsbHubPortStatus.Length);

    /// <summary>GET_STATUS of a hub port, 1-based (4 bytes, see <see cref="UsbHubPortStatus"/>).</summary>
    public static SetupPacket GetPortStatus(byte port) =>
        new SetupPacket(DeviceToHost | TypeClass | RecipientOther, GetStatusRequest, 0, port, UsbHubPortStatus.Length);

    /// <summary>SET_FEATURE to a hub port (PORT_POWER, PORT_RESET, ...; see <see cref="HubPortFeature"/>).</summary>
    public static SetupPacket SetPortFeature(HubPortFeature feature, byte port) =>
        new SetupPacket(TypeClass | RecipientOther, SetFeatureRequest, (ushort)feature, port, 0);

    /// <summary>CLEAR_FEATURE to a hub port (C_PORT_CONNECTION, C_PORT_RESET, ... acknowledge a change).</summary>
    public static SetupPacket ClearPortFeature(HubPortFeature feature, byte port) =>
        new SetupPacket(TypeClass | RecipientOther, ClearFeatureRequest, (ushort)feature, port, 0);

    /// <summary>SET_HUB_DEPTH of a SuperSpeed hub: its tier below the root, 0 for a hub on a root port.</summary>
    public static SetupPacket SetHubDepth(byte depth) =>
        new SetupPacket(TypeClass | RecipientDevice, SetHubDepthRequest, depth, 0, 0);
}

/// <summary>Hub port feature selectors (USB 2.0 Table 11-17, USB 3.2 Table 10-9).</summary>
public enum HubPortFeature : ushort
{
    /// <summary>PORT_CONNECTION (status only).</summary>
    Connection = 0,

    /// <summary>PORT_ENABLE (clear disables the port).</summary>
    Enable = 1,

    /// <summary>PORT_SUSPEND (USB 2).</summary>
    Suspend = 2,

    /// <summary>PORT_OVER_CURRENT (status only).</summary>
    OverCurrent = 3,

    /// <summary>PORT_RESET: resets and then enables the port.</summary>
    Reset = 4,

    /// <summary>PORT_LINK_STATE (SuperSpeed).</summary>
    LinkState = 5,

    /// <summary>PORT_POWER.</summary>
    Power = 8,

    /// <summary>PORT_LOW_SPEED (status only, USB 2).</summary>
    LowSpeed = 9,

    /// <summary>C_PORT_CONNECTION: acknowledges a connect or disconnect.</summary>
    ConnectionChange = 16,

    /// <summary>C_PORT_ENABLE (USB 2).</summary>
    EnableChange = 17,

    /// <summary>C_PORT_SUSPEND (USB 2).</summary>
    SuspendChange = 18,

    /// <summary>C_PORT_OVER_CURRENT.</summary>
    OverCurrentChange = 19,

    /// <summary>C_PORT_RESET: acknowledges the end of a reset.</summary>
    ResetChange = 20,

    /// <summary>PORT_TEST (USB 2).</summary>
    Test = 21,

    /// <summary>PORT_INDICATOR (USB 2).</summary>
    Indicator = 22,

    /// <summary>C_PORT_LINK_STATE (SuperSpeed).</summary>
    LinkStateChange = 25,

    /// <summary>C_PORT_CONFIG_ERROR (SuperSpeed).</summary>
    ConfigErrorChange = 26,

    /// <summary>BH_PORT_RESET: warm reset (SuperSpeed).</summary>
    WarmReset = 28,

    /// <summary>C_BH_PORT_RESET (SuperSpeed).</summary>
    WarmResetChange = 29,
}
