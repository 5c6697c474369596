// Slot and endpoint contexts (xHCI 1.2 §6.2): what the controller knows of a device and its endpoints. The driver
// writes them into an input context (an Input Control Context saying which contexts to add or drop, then the slot
// context, then endpoint contexts by device context index) and hands its address to Address Device, Configure
// Endpoint or Evaluate Context; the controller keeps its own copy in the output device context the DCBAA points at.
// Each context is 32 bytes, or 64 when HCCPARAMS1.CSZ is set (the upper half then reserved).
using System;
using System.Buffers.Binary;

namespace Kernel.Usb;

/// <summary>Endpoint types of the endpoint context (xHCI 1.2 Table 6-9).</summary>
public static class EndpointType
{
    /// <summary>Interrupt OUT.</summary>
    public const int InterruptOut = 3;
    /// <summary>Control (bidirectional).</summary>
    public const int Control = 4;
    /// <summary>Bulk IN.</summary>
    public const int BulkIn = 6;
    /// <summary>Bulk OUT.</summary>
    public const int BulkOut = 2;
    /// <summary>Interrupt IN.</summary>
    public const int InterruptIn = 7;
}

/// <summary>What a slot context says of a device.</summary>
public readonly struct SlotContextFields
{
    /// <summary>Creates the fields.</summary>
    public SlotContextFields(uint routeString, UsbSpeed speed, int contextEntries, int rootPortNumber, bool isHub = false,
        int hubPorts = 0, bool multiTt = false, int ttHubSlotId = 0, int ttPortNumber = 0, int ttThinkTime = 0)
    {
        RouteString = routeString;
        Speed = speed;
        ContextEntries = contextEntries;
        RootPortNumber = rootPortNumber;
        IsHub = isHub;
        HubPorts = hubPorts;
        MultiTt = multiTt;
        TtHubSlotId = ttHubSlotId;
        TtPortNumber = ttPortNumber;
        TtThinkTime = ttThinkTime;
    }

    /// <summary>These fields with another context entries count.</summary>
    public SlotContextFields WithContextEntries(int contextEntries) => new SlotContextFields(RouteString, Speed, contextEntries, RootPortNumber,
        IsHub, HubPorts, MultiTt, TtHubSlotId, TtPortNumber, TtThinkTime);

    /// <summary>These fields for a hub with ports downstream ports, a TT think time and one TT per port or not.</summary>
    public SlotContextFields AsHub(int ports, int ttThinkTime, bool multiTt) => new SlotContextFields(RouteString, Speed, ContextEntries, RootPortNumber,
        true, ports, multiTt, TtHubSlotId, TtPortNumber, ttThinkTime);

    /// <summary>The 20-bit route string: hub ports below the root port, four bits a tier.</summary>
    public uint RouteString { get; }
    /// <summary>The device's speed.</summary>
    public UsbSpeed Speed { get; }
    /// <summary>The highest valid device context index (1 = only endpoint 0).</summary>
    public int ContextEntries { get; }
    /// <summary>The root hub port the device is reached through, 1-based.</summary>
    public int RootPortNumber { get; }
    /// <summary>Whether the device is a hub.</summary>
    public bool IsHub { get; }
    /// <summary>A hub's downstream port count.</summary>
    public int HubPorts { get; }
    /// <summary>A high-speed hub with one transaction translator per port.</summary>
    public bool MultiTt { get; }
    /// <summary>For a low- or full-speed device behind a high-speed hub: that hub's slot ID.</summary>
    public int TtHubSlotId { get; }
    /// <summary>For a low- or full-speed device behind a high-speed hub: the hub port it is on.</summary>
    public int TtPortNumber { get; }
    /// <summary>A high-speed hub's TT think time (0-3).</summary>
    public int TtThinkTime { get; }
}

/// <summary>Reads and writes contexts in input and output device contexts.</summary>
public sealed class DeviceContexts
{
    /// <summary>Device context indexes: the slot context is at 0 of an output context, endpoint 0 at 1.</summary>
    public const int ControlEndpointIndex = 1;

    /// <summary>The most contexts a device context holds: the slot and 31 endpoints.</summary>
    public const int Count = 32;

    /// <summary>Contexts of contextSize bytes (32 or 64).</summary>
    public DeviceContexts(int contextSize) => ContextSize = contextSize;

    /// <summary>32 or 64.</summary>
    public int ContextSize { get; }

    /// <summary>The bytes an output device context takes.</summary>
    public int OutputSize => Count * ContextSize;

    /// <summary>The bytes an input context takes (the input control context first).</summary>
    public int InputSize => (Count + 1) * ContextSize;

    /// <summary>The device context index of an endpoint address (number in bits 3:0, IN in bit 7): 2n, +1 for IN.</summary>
    public static int EndpointIndex(byte endpointAddress)
    {
        int number = endpointAddress & 0x0F;
        return number == 0 ? ControlEndpointIndex : number * 2 + ((endpointAddress & 0x80) != 0 ? 1 : 0);
    }

    /// <summary>Clears an input context and sets its add flags (bit n adds context n; bit 0 is the slot context).</summary>
    public void BeginInput(Span<byte> input, uint addFlags)
    {
        input.Slice(0, InputSize).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(input.Slice(4), addFlags);
    }

    /// <summary>Writes the slot context of an input context.</summary>
    public void WriteSlot(Span<byte> input, SlotContextFields slot)
    {
        Span<byte> context = input.Slice(ContextSize, ContextSize);
        uint dword0 = (slot.RouteString & 0xF_FFFF) | (uint)((int)slot.Speed & 0xF) << 20 | (slot.MultiTt ? 1u << 25 : 0)
            | (slot.IsHub ? 1u << 26 : 0) | (uint)(slot.ContextEntries & 0x1F) << 27;
        uint dword1 = (uint)(slot.RootPortNumber & 0xFF) << 16 | (uint)(slot.HubPorts & 0xFF) << 24;
        uint dword2 = (uint)(slot.TtHubSlotId & 0xFF) | (uint)(slot.TtPortNumber & 0xFF) << 8 | (uint)(slot.TtThinkTime & 0x3) << 16;
        BinaryPrimitives.WriteUInt32LittleEndian(context, dword0);
        BinaryPrimitives.WriteUInt32LittleEndian(context.Slice(4), dword1);
        BinaryPrimitives.WriteUInt32LittleEndian(context.Slice(8), dword2);
    }

    /// <summary>
    /// Writes endpoint context index of an input context: type, max packet size, interval (xHCI's exponent form),
    /// max burst, the transfer ring's dequeue pointer and cycle state, and an average TRB length. Error count 3.
    /// </summary>
    public void WriteEndpoint(Span<byte> input, int index, int type, int maxPacketSize, int interval, int maxBurst,
        ulong dequeuePointer, bool dequeueCycle, int averageTrbLength)
    {
        Span<byte> context = input.Slice((index + 1) * ContextSize, ContextSize);
        int maxEsitPayload = type == EndpointType.Control ? 0 : maxPacketSize * (maxBurst + 1);
        uint dword0 = (uint)(interval & 0xFF) << 16 | (uint)((maxEsitPayload >> 16) & 0xFF) << 24;
        uint dword1 = 3u << 1 | (uint)(type & 7) << 3 | (uint)(maxBurst & 0xFF) << 8 | (uint)(maxPacketSize & 0xFFFF) << 16;
        BinaryPrimitives.WriteUInt32LittleEndian(context, dword0);
        BinaryPrimitives.WriteUInt32LittleEndian(context.Slice(4), dword1);
        BinaryPrimitives.WriteUInt64LittleEndian(context.Slice(8), (dequeuePointer & ~0xFUL) | (dequeueCycle ? 1UL : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(context.Slice(16), (uint)(averageTrbLength & 0xFFFF) | (uint)(maxEsitPayload & 0xFFFF) << 16);
    }

    /// <summary>Sets the max packet size of endpoint 0 in an input context already written (for Evaluate Context).</summary>
    public void SetControlMaxPacketSize(Span<byte> input, int maxPacketSize)
    {
        Span<byte> dword1 = input.Slice((ControlEndpointIndex + 1) * ContextSize + 4, 4);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(dword1);
        BinaryPrimitives.WriteUInt32LittleEndian(dword1, (value & 0xFFFF) | (uint)maxPacketSize << 16);
    }

    /// <summary>The slot state of an output device context (0 disabled/enabled, 1 default, 2 addressed, 3 configured).</summary>
    public int SlotState(ReadOnlySpan<byte> output) => (int)(BinaryPrimitives.ReadUInt32LittleEndian(output.Slice(12)) >> 27);

    /// <summary>The USB address the controller gave the device (output slot context).</summary>
    public int DeviceAddress(ReadOnlySpan<byte> output) => (int)(BinaryPrimitives.ReadUInt32LittleEndian(output.Slice(12)) & 0xFF);

    /// <summary>The state of endpoint context index in an output device context (0 disabled, 1 running, 2 halted, 3 stopped, 4 error).</summary>
    public int EndpointState(ReadOnlySpan<byte> output, int index) =>
        (int)(BinaryPrimitives.ReadUInt32LittleEndian(output.Slice(index * ContextSize)) & 7);

    /// <summary>
    /// The endpoint context's interval field for an interrupt endpoint's bInterval: high and SuperSpeed give
    /// 2^(bInterval-1) microframes, so bInterval-1; low and full speed give milliseconds, so the exponent of
    /// 125-microsecond frames nearest below bInterval*8, within 3 (1 ms) to 10 (128 ms) (xHCI 1.2 §6.2.3.6).
    /// </summary>
    public static int InterruptInterval(UsbSpeed speed, byte bInterval)
    {
        if (speed == UsbSpeed.High || UsbSpeeds.IsSuperSpeed(speed))
            return bInterval == 0 ? 0 : Math.Min(bInterval - 1, 15);
        int frames = Math.Max(1, (int)bInterval) * 8;
        int exponent = 0;
        while ((2 << exponent) <= frames)
            exponent++;
        return Math.Min(Math.Max(exponent, 3), 10);
    }
}
