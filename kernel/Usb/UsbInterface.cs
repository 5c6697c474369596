// One interface (one alternate setting) of a configuration: the interface descriptor (USB 2.0 §9.6.5,
// Table 9-12), the endpoints that follow it and, for HID, its HID descriptor (HID 1.11 §7.1).
using System;

namespace Kernel.Usb;

/// <summary>An interface descriptor with what the configuration walk found after it.</summary>
public sealed class UsbInterface
{
    /// <summary>bLength of an interface descriptor.</summary>
    public const int Length = 9;

    /// <summary>Endpoints kept per interface (an interface has at most 30: 15 numbers, two directions).</summary>
    public const int MaxEndpoints = 32;

    private const int NumberOffset = 2;
    private const int AlternateOffset = 3;
    private const int EndpointCountOffset = 4;
    private const int ClassOffset = 5;
    private const int SubClassOffset = 6;
    private const int ProtocolOffset = 7;
    private const int StringOffset = 8;
    private const int InitialEndpointCapacity = 2;

    private UsbEndpointDescriptor[] _endpoints;

    private UsbInterface(ReadOnlySpan<byte> bytes)
    {
        Number = bytes[NumberOffset];
        AlternateSetting = bytes[AlternateOffset];
        DeclaredEndpointCount = bytes[EndpointCountOffset];
        InterfaceClass = bytes[ClassOffset];
        InterfaceSubClass = bytes[SubClassOffset];
        InterfaceProtocol = bytes[ProtocolOffset];
        StringIndex = bytes[StringOffset];
        _endpoints = new UsbEndpointDescriptor[InitialEndpointCapacity];
    }

    /// <summary>bInterfaceNumber: the wIndex of class requests to this interface.</summary>
    public byte Number { get; }

    /// <summary>bAlternateSetting.</summary>
    public byte AlternateSetting { get; }

    /// <summary>bNumEndpoints as the device declared it (endpoint 0 not counted).</summary>
    public byte DeclaredEndpointCount { get; }

    /// <summary>bInterfaceClass (3 HID, 9 hub).</summary>
    public byte InterfaceClass { get; }

    /// <summary>bInterfaceSubClass (HID: 1 boot interface).</summary>
    public byte InterfaceSubClass { get; }

    /// <summary>bInterfaceProtocol (HID boot: 1 keyboard, 2 mouse).</summary>
    public byte InterfaceProtocol { get; }

    /// <summary>iInterface: string index, 0 for none.</summary>
    public byte StringIndex { get; }

    /// <summary>Whether a HID descriptor followed the interface descriptor.</summary>
    public bool HasHid { get; private set; }

    /// <summary>The HID descriptor (default when <see cref="HasHid"/> is false).</summary>
    public HidDescriptor Hid { get; private set; }

    /// <summary>Endpoint descriptors found, at most <see cref="MaxEndpoints"/>.</summary>
    public int EndpointCount { get; private set; }

    /// <summary>Whether this is a HID boot keyboard: class 3, subclass 1, protocol 1.</summary>
    public bool IsBootKeyboard =>
        InterfaceClass == UsbDescriptors.HidClass && InterfaceSubClass == UsbDescriptors.HidBootSubClass
        && InterfaceProtocol == UsbDescriptors.HidKeyboardProtocol;

    /// <summary>Whether this is a hub's interface (class 9).</summary>
    public bool IsHub => InterfaceClass == UsbDescriptors.HubClass;

    /// <summary>The endpoint at index (0 to <see cref="EndpointCount"/> - 1), in descriptor order.</summary>
    public UsbEndpointDescriptor Endpoint(int index) => _endpoints[index];

    /// <summary>The first interrupt IN endpoint; false if there is none.</summary>
    public bool TryFindInterruptIn(out UsbEndpointDescriptor endpoint)
    {
        for (int i = 0; i < EndpointCount; i++)
        {
            if (_endpoints[i].IsInterruptIn)
            {
                endpoint = _endpoints[i];
                return true;
            }
        }

        endpoint = default;
        return false;
    }

    /// <summary>Parses an interface descriptor into a new interface without endpoints, or null with the status.</summary>
    internal static UsbInterface TryParse(ReadOnlySpan<byte> bytes, out UsbDescriptorStatus status)
    {
        status = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.InterfaceType, Length);
        return status == UsbDescriptorStatus.Ok ? new UsbInterface(bytes) : null;
    }

    /// <summary>Adds an endpoint; false when <see cref="MaxEndpoints"/> are already kept.</summary>
    internal bool AddEndpoint(UsbEndpointDescriptor endpoint)
    {
        if (EndpointCount >= MaxEndpoints)
            return false;
        if (EndpointCount == _endpoints.Length)
        {
            UsbEndpointDescriptor[] larger = new UsbEndpointDescriptor[_endpoints.Length * 2];
            for (int i = 0; i < EndpointCount; i++)
                larger[i] = _endpoints[i];
            _endpoints = larger;
        }

        _endpoints[EndpointCount++] = endpoint;
        return true;
    }

    /// <summary>Replaces the last endpoint (with its companion attached).</summary>
    internal void ReplaceLastEndpoint(UsbEndpointDescriptor endpoint) => _endpoints[EndpointCount - 1] = endpoint;

    /// <summary>Records the interface's HID descriptor (the first one only).</summary>
    internal void SetHid(HidDescriptor hid)
    {
        Hid = hid;
        HasHid = true;
    }
}
