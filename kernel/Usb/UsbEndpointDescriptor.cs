// The standard endpoint descriptor (USB 2.0 §9.6.6, Table 9-13) and the SuperSpeed endpoint companion that may
// follow it (USB 3.2 §9.6.7, Table 9-27).
using System;

namespace Kernel.Usb;

/// <summary>bmAttributes bits 1:0 of an endpoint.</summary>
public enum UsbTransferType : byte
{
    /// <summary>Control.</summary>
    Control = 0,

    /// <summary>Isochronous.</summary>
    Isochronous = 1,

    /// <summary>Bulk.</summary>
    Bulk = 2,

    /// <summary>Interrupt (HID reports, hub status changes).</summary>
    Interrupt = 3,
}

/// <summary>An endpoint descriptor, with its SuperSpeed companion when one followed it.</summary>
public readonly struct UsbEndpointDescriptor
{
    /// <summary>bLength of an endpoint descriptor (audio class endpoints are 9; the extra bytes are ignored).</summary>
    public const int Length = 7;

    /// <summary>bLength of a SuperSpeed endpoint companion.</summary>
    public const int CompanionLength = 6;

    /// <summary>bEndpointAddress bit 7: IN (device to host).</summary>
    public const byte DirectionIn = 0x80;

    private const int AddressOffset = 2;
    private const int AttributesOffset = 3;
    private const int MaxPacketSizeOffset = 4;
    private const int IntervalOffset = 6;
    private const int EndpointNumberMask = 0x0F;
    private const int TransferTypeMask = 0x03;

    // wMaxPacketSize: bits 10:0 the size, bits 12:11 extra transactions per microframe (high-speed periodic endpoints).
    private const int MaxPacketSizeMask = 0x7FF;
    private const int AdditionalTransactionsShift = 11;
    private const int AdditionalTransactionsMask = 0x3;

    // Companion (Table 9-27): bMaxBurst, bmAttributes, wBytesPerInterval.
    private const int CompanionMaxBurstOffset = 2;
    private const int CompanionAttributesOffset = 3;
    private const int CompanionBytesPerIntervalOffset = 4;

    private UsbEndpointDescriptor(byte address, byte attributes, ushort rawMaxPacketSize, byte interval,
        bool hasCompanion, byte maxBurst, byte companionAttributes, ushort bytesPerInterval)
    {
        Address = address;
        Attributes = attributes;
        RawMaxPacketSize = rawMaxPacketSize;
        Interval = interval;
        HasCompanion = hasCompanion;
        MaxBurst = maxBurst;
        CompanionAttributes = companionAttributes;
        BytesPerInterval = bytesPerInterval;
    }

    /// <summary>bEndpointAddress: number in bits 3:0, direction in bit 7.</summary>
    public byte Address { get; }

    /// <summary>bmAttributes: transfer type in bits 1:0 (isochronous endpoints use bits 5:2 too).</summary>
    public byte Attributes { get; }

    /// <summary>wMaxPacketSize as sent, the high-bandwidth bits included.</summary>
    public ushort RawMaxPacketSize { get; }

    /// <summary>bInterval: polling interval, in frames or as an exponent depending on speed and type.</summary>
    public byte Interval { get; }

    /// <summary>Whether a SuperSpeed endpoint companion followed.</summary>
    public bool HasCompanion { get; }

    /// <summary>Companion bMaxBurst: packets per burst minus one (0 without a companion).</summary>
    public byte MaxBurst { get; }

    /// <summary>Companion bmAttributes (streams for bulk, Mult for isochronous).</summary>
    public byte CompanionAttributes { get; }

    /// <summary>Companion wBytesPerInterval (periodic endpoints).</summary>
    public ushort BytesPerInterval { get; }

    /// <summary>The endpoint number, 0 to 15.</summary>
    public int Number => Address & EndpointNumberMask;

    /// <summary>Whether data flows from the device (IN).</summary>
    public bool IsIn => (Address & DirectionIn) != 0;

    /// <summary>The transfer type.</summary>
    public UsbTransferType TransferType => (UsbTransferType)(Attributes & TransferTypeMask);

    /// <summary>The largest packet, bits 10:0 of wMaxPacketSize.</summary>
    public int MaxPacketSize => RawMaxPacketSize & MaxPacketSizeMask;

    /// <summary>Extra transactions per microframe, 0 to 2 (bits 12:11 of wMaxPacketSize; 3 is reserved).</summary>
    public int AdditionalTransactions => (RawMaxPacketSize >> AdditionalTransactionsShift) & AdditionalTransactionsMask;

    /// <summary>
    /// The xHCI Device Context Index of this endpoint (xHCI 1.2 §4.5.1): 2 x number + 1 for IN, 2 x number for OUT.
    /// </summary>
    public int ContextIndex => Number * 2 + (IsIn ? 1 : 0);

    /// <summary>Whether this is an interrupt IN endpoint (where boot reports and hub changes come from).</summary>
    public bool IsInterruptIn => IsIn && TransferType == UsbTransferType.Interrupt;

    /// <summary>Parses one endpoint descriptor (no companion).</summary>
    public static UsbDescriptorStatus TryParse(ReadOnlySpan<byte> bytes, out UsbEndpointDescriptor endpoint)
    {
        endpoint = default;
        UsbDescriptorStatus status = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.EndpointType, Length);
        if (status != UsbDescriptorStatus.Ok)
            return status;
        endpoint = new UsbEndpointDescriptor(bytes[AddressOffset], bytes[AttributesOffset],
            UsbDescriptors.ReadUInt16(bytes, MaxPacketSizeOffset), bytes[IntervalOffset], false, 0, 0, 0);
        return UsbDescriptorStatus.Ok;
    }

    /// <summary>This endpoint with the SuperSpeed companion descriptor in bytes attached.</summary>
    public UsbDescriptorStatus TryAttachCompanion(ReadOnlySpan<byte> bytes, out UsbEndpointDescriptor withCompanion)
    {
        withCompanion = this;
        UsbDescriptorStatus status = UsbDescriptors.CheckHeader(bytes, UsbDescriptors.SuperSpeedEndpointCompanionType, CompanionLength);
        if (status != UsbDescriptorStatus.Ok)
            return status;
        withCompanion = new UsbEndpointDescriptor(Address, Attributes, RawMaxPacketSize, Interval, true,
            bytes[CompanionMaxBurstOffset], bytes[CompanionAttributesOffset],
            UsbDescriptors.ReadUInt16(bytes, CompanionBytesPerIntervalOffset));
        return UsbDescriptorStatus.Ok;
    }
}
