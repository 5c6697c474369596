// A configuration as GET_DESCRIPTOR(CONFIGURATION, wTotalLength) returns it: the configuration descriptor
// (USB 2.0 §9.6.3, Table 9-10) followed by interface, endpoint and class descriptors in the order of §9.4.3.
// The walk trusts nothing: every length is checked against the bytes, every count is capped.
using System;

namespace Kernel.Usb;

/// <summary>
/// A parsed configuration. <see cref="Parse"/> never throws and always ends: each step moves on by a bLength
/// of at least 2, and the walk stops at the first bLength that is too small or runs past the end.
/// <see cref="Status"/> names the first problem and <see cref="ProblemOffset"/> where it was; the interfaces
/// found are kept whatever the status, so a driver can still use a keyboard whose configuration has junk after it.
/// </summary>
public sealed class UsbConfiguration
{
    /// <summary>bLength of a configuration descriptor.</summary>
    public const int HeaderLength = 9;

    /// <summary>Interfaces (alternate settings included) kept; the rest are skipped.</summary>
    public const int MaxInterfaces = 32;

    private const int TotalLengthOffset = 2;
    private const int InterfaceCountOffset = 4;
    private const int ValueOffset = 5;
    private const int StringOffset = 6;
    private const int AttributesOffset = 7;
    private const int MaxPowerOffset = 8;

    // bmAttributes bits (Table 9-10) and bMaxPower units: 2 mA (USB 2), 8 mA (SuperSpeed).
    private const byte SelfPoweredBit = 0x40;
    private const byte RemoteWakeupBit = 0x20;

    private readonly UsbInterface[] _interfaces = new UsbInterface[MaxInterfaces];

    private UsbConfiguration()
    {
        ProblemOffset = -1;
    }

    /// <summary>Ok, or the first problem met.</summary>
    public UsbDescriptorStatus Status { get; private set; }

    /// <summary>Byte offset of the descriptor with the first problem; -1 when there is none.</summary>
    public int ProblemOffset { get; private set; }

    /// <summary>wTotalLength as declared.</summary>
    public ushort TotalLength { get; private set; }

    /// <summary>bNumInterfaces as declared.</summary>
    public byte DeclaredInterfaceCount { get; private set; }

    /// <summary>bConfigurationValue: the argument of SET_CONFIGURATION.</summary>
    public byte ConfigurationValue { get; private set; }

    /// <summary>iConfiguration: string index, 0 for none.</summary>
    public byte StringIndex { get; private set; }

    /// <summary>bmAttributes.</summary>
    public byte Attributes { get; private set; }

    /// <summary>bMaxPower as sent (2 mA units for USB 2, 8 mA for SuperSpeed).</summary>
    public byte MaxPower { get; private set; }

    /// <summary>Whether the device says it is self-powered.</summary>
    public bool IsSelfPowered => (Attributes & SelfPoweredBit) != 0;

    /// <summary>Whether the device supports remote wakeup.</summary>
    public bool SupportsRemoteWakeup => (Attributes & RemoteWakeupBit) != 0;

    /// <summary>Interfaces found (each alternate setting counts), at most <see cref="MaxInterfaces"/>.</summary>
    public int InterfaceCount { get; private set; }

    /// <summary>The interface at index (0 to <see cref="InterfaceCount"/> - 1), in descriptor order.</summary>
    public UsbInterface Interface(int index) => _interfaces[index];

    /// <summary>"ok", or the first problem and its offset, for the boot log.</summary>
    public string Describe()
    {
        string text = UsbDescriptorStatusText.Describe(Status);
        return ProblemOffset < 0 ? text : text + " at offset " + ProblemOffset.ToString();
    }

    /// <summary>
    /// The HID boot keyboard interface (class 3, subclass 1, protocol 1) with an interrupt IN endpoint, wherever
    /// it is among the interfaces (composite keyboards often put a vendor or consumer-control interface first);
    /// alternate setting 0 preferred. Null when there is none.
    /// </summary>
    public UsbInterface FindBootKeyboard(out UsbEndpointDescriptor interruptIn)
    {
        UsbInterface found = null;
        interruptIn = default;
        for (int i = 0; i < InterfaceCount; i++)
        {
            UsbInterface candidate = _interfaces[i];
            if (!candidate.IsBootKeyboard || !candidate.TryFindInterruptIn(out UsbEndpointDescriptor endpoint))
                continue;
            if (found == null || (found.AlternateSetting != 0 && candidate.AlternateSetting == 0))
            {
                found = candidate;
                interruptIn = endpoint;
            }
        }

        return found;
    }

    /// <summary>The hub interface (class 9) and its status-change interrupt IN endpoint; null when there is none.</summary>
    public UsbInterface FindHub(out UsbEndpointDescriptor interruptIn)
    {
        for (int i = 0; i < InterfaceCount; i++)
        {
            if (_interfaces[i].IsHub && _interfaces[i].TryFindInterruptIn(out interruptIn))
                return _interfaces[i];
        }

        interruptIn = default;
        return null;
    }

    /// <summary>Walks a configuration blob. Never returns null and never throws.</summary>
    public static UsbConfiguration Parse(ReadOnlySpan<byte> bytes)
    {
        UsbConfiguration configuration = new UsbConfiguration();
        UsbDescriptorStatus header = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.ConfigurationType, HeaderLength);
        if (header != UsbDescriptorStatus.Ok)
        {
            configuration.Note(header, 0);
            return configuration;
        }

        configuration.TotalLength = UsbDescriptors.ReadUInt16(bytes, TotalLengthOffset);
        configuration.DeclaredInterfaceCount = bytes[InterfaceCountOffset];
        configuration.ConfigurationValue = bytes[ValueOffset];
        configuration.StringIndex = bytes[StringOffset];
        configuration.Attributes = bytes[AttributesOffset];
        configuration.MaxPower = bytes[MaxPowerOffset];
        if (configuration.TotalLength < HeaderLength)
        {
            configuration.Note(UsbDescriptorStatus.BadTotalLength, 0);
            return configuration;
        }

        int end = configuration.TotalLength;
        if (end > bytes.Length)
        {
            configuration.Note(UsbDescriptorStatus.Truncated, bytes.Length);
            end = bytes.Length;
        }

        configuration.Walk(bytes.Slice(0, end), bytes[0]);
        configuration.CheckCounts();
        return configuration;
    }

    // Visits the descriptors after the configuration descriptor. current is the interface the endpoints and class
    // descriptors belong to; skipping is set while the interface over the cap is being passed over, so its
    // endpoints are not also reported as orphans.
    private void Walk(ReadOnlySpan<byte> bytes, int offset)
    {
        UsbInterface current = null;
        bool skipping = false;
        bool lastWasKeptEndpoint = false;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < UsbDescriptors.HeaderLength)
            {
                Note(UsbDescriptorStatus.PastEnd, offset);
                return;
            }

            int length = bytes[offset];
            if (length < UsbDescriptors.HeaderLength)
            {
                Note(UsbDescriptorStatus.BadLength, offset);
                return;
            }

            if (length > bytes.Length - offset)
            {
                Note(UsbDescriptorStatus.PastEnd, offset);
                return;
            }

            ReadOnlySpan<byte> descriptor = bytes.Slice(offset, length);
            bool keptEndpoint = false;
            switch (descriptor[1])
            {
                case UsbDescriptors.InterfaceType:
                    current = AddInterface(descriptor, offset, ref skipping);
                    break;
                case UsbDescriptors.EndpointType:
                    keptEndpoint = AddEndpoint(current, skipping, descriptor, offset);
                    break;
                case UsbDescriptors.SuperSpeedEndpointCompanionType:
                    if (lastWasKeptEndpoint)
                        AttachCompanion(current, descriptor, offset);
                    break;
                case UsbDescriptors.HidType:
                    AddHid(current, skipping, descriptor, offset);
                    break;
            }

            lastWasKeptEndpoint = keptEndpoint;
            offset += length;
        }
    }

    private UsbInterface AddInterface(ReadOnlySpan<byte> descriptor, int offset, ref bool skipping)
    {
        UsbInterface parsed = UsbInterface.TryParse(descriptor, out UsbDescriptorStatus status);
        if (parsed == null)
        {
            Note(status, offset);
            skipping = true;
            return null;
        }

        if (InterfaceCount >= MaxInterfaces)
        {
            Note(UsbDescriptorStatus.TooManyInterfaces, offset);
            skipping = true;
            return null;
        }

        skipping = false;
        _interfaces[InterfaceCount++] = parsed;
        return parsed;
    }

    private bool AddEndpoint(UsbInterface current, bool skipping, ReadOnlySpan<byte> descriptor, int offset)
    {
        if (current == null)
        {
            if (!skipping)
                Note(UsbDescriptorStatus.OrphanDescriptor, offset);
            return false;
        }

        UsbDescriptorStatus status = UsbEndpointDescriptor.TryParse(descriptor, out UsbEndpointDescriptor endpoint);
        if (status != UsbDescriptorStatus.Ok)
        {
            Note(status, offset);
            return false;
        }

        if (!current.AddEndpoint(endpoint))
        {
            Note(UsbDescriptorStatus.TooManyEndpoints, offset);
            return false;
        }

        return true;
    }

    private void AttachCompanion(UsbInterface current, ReadOnlySpan<byte> descriptor, int offset)
    {
        UsbEndpointDescriptor last = current.Endpoint(current.EndpointCount - 1);
        UsbDescriptorStatus status = last.TryAttachCompanion(descriptor, out UsbEndpointDescriptor withCompanion);
        if (status != UsbDescriptorStatus.Ok)
        {
            Note(status, offset);
            return;
        }

        current.ReplaceLastEndpoint(withCompanion);
    }

    private void AddHid(UsbInterface current, bool skipping, ReadOnlySpan<byte> descriptor, int offset)
    {
        if (current == null)
        {
            if (!skipping)
                Note(UsbDescriptorStatus.OrphanDescriptor, offset);
            return;
        }

        if (current.HasHid)
            return;
        UsbDescriptorStatus status = HidDescriptor.TryParse(descriptor, out HidDescriptor hid);
        if (status != UsbDescriptorStatus.Ok)
        {
            Note(status, offset);
            return;
        }

        current.SetHid(hid);
    }

    // Counts are checked last, so they are reported only when the walk itself found nothing worse.
    private void CheckCounts()
    {
        int primary = 0;
        for (int i = 0; i < InterfaceCount; i++)
        {
            UsbInterface item = _interfaces[i];
            if (item.AlternateSetting == 0)
                primary++;
            if (item.EndpointCount != item.DeclaredEndpointCount && item.EndpointCount < UsbInterface.MaxEndpoints)
                Note(UsbDescriptorStatus.EndpointCountMismatch, -1);
        }

        if (InterfaceCount < MaxInterfaces && primary != DeclaredInterfaceCount)
            Note(UsbDescriptorStatus.InterfaceCountMismatch, -1);
    }

    private void Note(UsbDescriptorStatus status, int offset)
    {
        if (Status != UsbDescriptorStatus.Ok)
            return;
        Status = status;
        ProblemOffset = offset;
    }
}
