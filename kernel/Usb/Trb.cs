// Transfer Request Blocks, the 16-byte unit of every xHCI ring (xHCI 1.2 §4.11 and §6.4): a 64-bit parameter, a
// 32-bit status and a 32-bit control word whose bit 0 is the cycle bit and bits 15:10 the TRB type. Commands,
// transfers and events all use this layout; only the meaning of the fields differs per type.
using System;
using System.Buffers.Binary;

namespace Kernel.Usb;

/// <summary>TRB type codes (xHCI 1.2 Table 6-91).</summary>
public static class TrbType
{
    /// <summary>Normal (bulk and interrupt transfers).</summary>
    public const int Normal = 1;
    /// <summary>Setup stage of a control transfer.</summary>
    public const int SetupStage = 2;
    /// <summary>Data stage of a control transfer.</summary>
    public const int DataStage = 3;
    /// <summary>Status stage of a control transfer.</summary>
    public const int StatusStage = 4;
    /// <summary>Link to the next segment (or back to the start of the ring).</summary>
    public const int Link = 6;
    /// <summary>Enable Slot command.</summary>
    public const int EnableSlot = 9;
    /// <summary>Disable Slot command.</summary>
    public const int DisableSlot = 10;
    /// <summary>Address Device command.</summary>
    public const int AddressDevice = 11;
    /// <summary>Configure Endpoint command.</summary>
    public const int ConfigureEndpoint = 12;
    /// <summary>Evaluate Context command.</summary>
    public const int EvaluateContext = 13;
    /// <summary>Reset Endpoint command.</summary>
    public const int ResetEndpoint = 14;
    /// <summary>Set TR Dequeue Pointer command.</summary>
    public const int SetTrDequeuePointer = 16;
    /// <summary>No Op command.</summary>
    public const int NoOpCommand = 23;
    /// <summary>Transfer event.</summary>
    public const int TransferEvent = 32;
    /// <summary>Command Completion event.</summary>
    public const int CommandCompletionEvent = 33;
    /// <summary>Port Status Change event.</summary>
    public const int PortStatusChangeEvent = 34;
    /// <summary>Host Controller event (event ring full and the like).</summary>
    public const int HostControllerEvent = 37;
}

/// <summary>Completion codes of events (xHCI 1.2 Table 6-90), the ones the driver tells apart.</summary>
public static class CompletionCode
{
    /// <summary>Not the controller's: the driver's watchdog ended a wait the controller never answered (0 is "invalid" in xHCI).</summary>
    public const int NoAnswer = 0;
    /// <summary>Success.</summary>
    public const int Success = 1;
    /// <summary>The device did not answer, or answered garbage.</summary>
    public const int UsbTransactionError = 4;
    /// <summary>The endpoint answered STALL.</summary>
    public const int Stall = 6;
    /// <summary>The command's slot or endpoint context was invalid.</summary>
    public const int ContextStateError = 19;
    /// <summary>Fewer bytes came than asked for (normal for descriptors and reports).</summary>
    public const int ShortPacket = 13;
    /// <summary>The event ring was full and events were lost.</summary>
    public const int EventRingFull = 21;

    /// <summary>A short name for a completion code, for log lines.</summary>
    public static string Name(int code) => code switch
    {
        NoAnswer => "no answer from the controller",
        Success => "success",
        UsbTransactionError => "USB transaction error",
        Stall => "stall",
        ShortPacket => "short packet",
        ContextStateError => "context state error",
        EventRingFull => "event ring full",
        5 => "TRB error",
        9 => "no slots available",
        11 => "slot not enabled",
        12 => "endpoint not enabled",
        17 => "parameter error",
        22 => "incompatible device",
        3 => "babble",
        _ => "completion code " + code.ToString(),
    };
}

/// <summary>One TRB as values; <see cref="Write"/> and <see cref="Read"/> convert to and from its 16 bytes.</summary>
public readonly struct Trb
{
    /// <summary>The size of a TRB in bytes.</summary>
    public const int Size = 16;

    /// <summary>Control-word bit 0: the cycle bit that tells the consumer whether the TRB is new.</summary>
    public const uint CycleBit = 1u << 0;
    /// <summary>Link TRB: toggle the consumer's cycle state when following this link.</summary>
    public const uint ToggleCycle = 1u << 1;
    /// <summary>Interrupt on Short Packet.</summary>
    public const uint InterruptOnShortPacket = 1u << 2;
    /// <summary>Interrupt On Completion.</summary>
    public const uint InterruptOnCompletion = 1u << 5;
    /// <summary>Immediate Data: the parameter holds the data itself (the setup packet).</summary>
    public const uint ImmediateData = 1u << 6;
    /// <summary>Data and status stages: the direction is IN (device to host).</summary>
    public const uint DirectionIn = 1u << 16;

    /// <summary>Creates a TRB from its three fields.</summary>
    public Trb(ulong parameter, uint status, uint control)
    {
        Parameter = parameter;
        Status = status;
        Control = control;
    }

    /// <summary>Bytes 0-7: a pointer or immediate data.</summary>
    public ulong Parameter { get; }

    /// <summary>Bytes 8-11: transfer length, completion code, interrupter target, per type.</summary>
    public uint Status { get; }

    /// <summary>Bytes 12-15: cycle bit, flags, type, slot and endpoint IDs.</summary>
    public uint Control { get; }

    /// <summary>The TRB type (bits 15:10 of the control word).</summary>
    public int Type => (int)((Control >> 10) & 0x3F);

    /// <summary>The cycle bit.</summary>
    public bool Cycle => (Control & CycleBit) != 0;

    /// <summary>Events: the completion code (status bits 31:24).</summary>
    public int CompletionCode => (int)(Status >> 24);

    /// <summary>Transfer events: bytes not transferred (status bits 23:0).</summary>
    public int TransferLengthRemaining => (int)(Status & 0xFF_FFFF);

    /// <summary>Events and slot commands: the slot ID (control bits 31:24).</summary>
    public int SlotId => (int)(Control >> 24);

    /// <summary>Transfer events: the endpoint's device context index (control bits 20:16).</summary>
    public int EndpointId => (int)((Control >> 16) & 0x1F);

    /// <summary>Port status change events: the port number, 1-based (parameter bits 31:24).</summary>
    public int PortId => (int)((Parameter >> 24) & 0xFF);

    /// <summary>This TRB with its cycle bit set to cycle.</summary>
    public Trb WithCycle(bool cycle) => new Trb(Parameter, Status, cycle ? Control | CycleBit : Control & ~CycleBit);

    /// <summary>Writes the TRB's 16 bytes, the control word (with the cycle bit) last.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Parameter);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8), Status);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(12), Control);
    }

    /// <summary>Reads a TRB from its 16 bytes.</summary>
    public static Trb Read(ReadOnlySpan<byte> source) => new Trb(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(8)),
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(12)));

    private static uint TypeBits(int type) => (uint)type << 10;

    private static uint SlotBits(int slotId) => (uint)slotId << 24;

    /// <summary>A Link TRB to ringBase that toggles the cycle state.</summary>
    public static Trb Link(ulong ringBase) => new Trb(ringBase, 0, TypeBits(TrbType.Link) | ToggleCycle);

    /// <summary>Enable Slot (slot type 0 for USB).</summary>
    public static Trb EnableSlot() => new Trb(0, 0, TypeBits(TrbType.EnableSlot));

    /// <summary>Disable Slot for slotId.</summary>
    public static Trb DisableSlot(int slotId) => new Trb(0, 0, TypeBits(TrbType.DisableSlot) | SlotBits(slotId));

    /// <summary>Address Device with the input context at inputContext (64-byte aligned).</summary>
    public static Trb AddressDevice(ulong inputContext, int slotId) =>
        new Trb(inputContext, 0, TypeBits(TrbType.AddressDevice) | SlotBits(slotId));

    /// <summary>Configure Endpoint with the input context at inputContext.</summary>
    public static Trb ConfigureEndpoint(ulong inputContext, int slotId) =>
        new Trb(inputContext, 0, TypeBits(TrbType.ConfigureEndpoint) | SlotBits(slotId));

    /// <summary>Evaluate Context with the input context at inputContext.</summary>
    public static Trb EvaluateContext(ulong inputContext, int slotId) =>
        new Trb(inputContext, 0, TypeBits(TrbType.EvaluateContext) | SlotBits(slotId));

    /// <summary>Reset Endpoint for endpoint index endpointId of slotId (after a stall).</summary>
    public static Trb ResetEndpoint(int slotId, int endpointId) =>
        new Trb(0, 0, TypeBits(TrbType.ResetEndpoint) | SlotBits(slotId) | (uint)endpointId << 16);

    /// <summary>Set TR Dequeue Pointer of endpointId to dequeue with dequeueCycle as its cycle state.</summary>
    public static Trb SetTrDequeuePointer(int slotId, int endpointId, ulong dequeue, bool dequeueCycle) =>
        new Trb(dequeue | (dequeueCycle ? 1UL : 0), 0, TypeBits(TrbType.SetTrDequeuePointer) | SlotBits(slotId) | (uint)endpointId << 16);

    /// <summary>No Op command (checks that the command ring runs).</summary>
    public static Trb NoOpCommand() => new Trb(0, 0, TypeBits(TrbType.NoOpCommand));

    /// <summary>
    /// The setup stage of a control transfer: the 8-byte setup packet as immediate data; dataIn / hasData choose
    /// the transfer type field (0 no data, 2 OUT data, 3 IN data).
    /// </summary>
    public static Trb SetupStage(ulong setupPacket, bool hasData, bool dataIn)
    {
        uint transferType = !hasData ? 0u : dataIn ? 3u : 2u;
        return new Trb(setupPacket, 8, TypeBits(TrbType.SetupStage) | ImmediateData | transferType << 16);
    }

    /// <summary>The data stage: length bytes at buffer, IN or OUT.</summary>
    public static Trb DataStage(ulong buffer, int length, bool dataIn) =>
        new Trb(buffer, (uint)length & 0x1_FFFF, TypeBits(TrbType.DataStage) | (dataIn ? DirectionIn : 0));

    /// <summary>
    /// The status stage, always with an interrupt on completion: its direction is the opposite of the data
    /// stage's, and IN when there was none (USB 2.0 §8.5.3).
    /// </summary>
    public static Trb StatusStage(bool hadData, bool dataIn) =>
        new Trb(0, 0, TypeBits(TrbType.StatusStage) | InterruptOnCompletion | (!hadData || !dataIn ? DirectionIn : 0));

    /// <summary>A Normal TRB for an interrupt or bulk transfer of length bytes at buffer, interrupting on completion and on a short packet.</summary>
    public static Trb Normal(ulong buffer, int length) =>
        new Trb(buffer, (uint)length & 0x1_FFFF, TypeBits(TrbType.Normal) | InterruptOnCompletion | InterruptOnShortPacket);
}
