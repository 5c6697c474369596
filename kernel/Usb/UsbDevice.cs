// One USB device in a slot of an xHCI controller: its contexts, its default control endpoint's transfer ring and the
// control transfers that run on it (setup, optional data, status stages; xHCI 1.2 §4.11.2.2), and the interrupt-IN
// endpoint of a driver that reads one (the boot keyboard).
using System;
using System.Buffers.Binary;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>A device addressed by the controller.</summary>
public sealed class UsbDevice
{
    private const int ControlRingBytes = 1024;
    private const int DataBufferBytes = 4096;
    private const ulong ControlTimeoutMs = 1000;

    private readonly XhciController _controller;
    private readonly UsbDma _output;
    private readonly UsbDma _input;
    private readonly UsbDma _controlRingMemory;
    private readonly ProducerRing _control;
    private readonly UsbDma _data;
    private readonly UsbCompletion _controlDone;
    private int _controlTrbs;
    private IInterruptEndpointClient _interruptClient;
    private int _interruptEndpoint;
    private ProducerRing _interruptRing;
    private UsbDma _interruptRingMemory;

    internal UsbDevice(XhciController controller, int slot, UsbDevice parent, UsbHop[] path, UsbRoute route)
    {
        _controller = controller;
        Slot = slot;
        Parent = parent;
        _path = path;
        RootPort = route.RootPort;
        Speed = route.Speed;
        RouteString = route.RouteString;
        int port = path[path.Length - 1].Port;
        PortPath = parent == null ? port.ToString() : parent.PortPath + "." + port.ToString();
        _slotFields = new SlotContextFields(route.RouteString, route.Speed, 1, route.RootPort,
            multiTt: route.MultiTt, ttHubSlotId: route.TtHubSlotId, ttPortNumber: route.TtPort);
        bool low = controller.Below4GiB;
        _output = UsbDma.Allocate(controller.Contexts.OutputSize, 64, low);
        _input = UsbDma.Allocate(controller.Contexts.InputSize, 64, low);
        _controlRingMemory = UsbDma.Allocate(ControlRingBytes, 64, low);
        _control = new ProducerRing(_controlRingMemory);
        _data = UsbDma.Allocate(DataBufferBytes, 64, low);
        _controlDone = new UsbCompletion(controller.Lock);
        ControlPacketSize = UsbSpeeds.DefaultMaxPacketSize0(route.Speed);
    }

    private readonly UsbHop[] _path;
    private SlotContextFields _slotFields;

    /// <summary>The hub the device hangs from, or null on a root port.</summary>
    public UsbDevice Parent { get; }

    /// <summary>The hops from the root port to this device (for its children's route strings and TT fields).</summary>
    internal ReadOnlySpan<UsbHop> Path => _path;

    /// <summary>How many hubs are between the device and the root port.</summary>
    public int Tier => _path.Length - 1;

    /// <summary>The controller's slot ID.</summary>
    public int Slot { get; }

    /// <summary>The root hub port the device is reached through (1-based).</summary>
    public int RootPort { get; }

    /// <summary>The port path for the log, e.g. "1" or "1.3" (root port 1, hub port 3).</summary>
    public string PortPath { get; }

    /// <summary>The device's speed.</summary>
    public UsbSpeed Speed { get; }

    /// <summary>The route string of the slot context.</summary>
    public uint RouteString { get; }

    /// <summary>Endpoint 0's max packet size.</summary>
    public int ControlPacketSize { get; private set; }

    /// <summary>The device descriptor's vendor ID (after ReadDeviceDescriptorAsync).</summary>
    public ushort VendorId { get; private set; }

    /// <summary>The device descriptor's product ID.</summary>
    public ushort ProductId { get; private set; }

    /// <summary>The device descriptor's class, subclass and protocol, as 0xCCSSPP.</summary>
    public int DeviceClass { get; private set; }

    /// <summary>What the device is used as, e.g. "boot keyboard", or null.</summary>
    public string Role { get; internal set; }

    /// <summary>The controller this device is on.</summary>
    public XhciController Controller => _controller;

    /// <summary>
    /// Enables nothing itself: gives the slot its output context and addresses the device with endpoint 0 at the
    /// speed's default packet size (Address Device; xHCI 1.2 §4.3.3).
    /// </summary>
    internal async KernelTask AddressAsync()
    {
        _controller.SetDeviceContext(Slot, _output.PhysicalAddress);
        _controller.Attach(Slot, this);
        DeviceContexts contexts = _controller.Contexts;
        Span<byte> input = _input.Bytes;
        contexts.BeginInput(input, 0b11);
        contexts.WriteSlot(input, _slotFields);
        contexts.WriteEndpoint(input, DeviceContexts.ControlEndpointIndex, EndpointType.Control, ControlPacketSize, 0, 0,
            _control.PhysicalAddress, _control.InitialCycle, 8);
        Trb done = await _controller.CommandAsync(Trb.AddressDevice(_input.PhysicalAddress, Slot));
        if (done.CompletionCode != CompletionCode.Success)
            throw new UsbException("Address Device failed (" + CompletionCode.Name(done.CompletionCode) + ")");
    }

    /// <summary>
    /// Reads the device descriptor: its first 8 bytes at the default packet size, then (after telling the controller
    /// the real endpoint 0 packet size with Evaluate Context) all 18.
    /// </summary>
    internal async KernelTask ReadDeviceDescriptorAsync()
    {
        await ControlInAsync(SetupPacket.GetDeviceDescriptor(8).ToUInt64(), 8);
        int packetSize = _data.Bytes[7];
        if (UsbSpeeds.IsSuperSpeed(Speed))
            packetSize = packetSize < 16 ? 1 << packetSize : 512;
        if (packetSize != ControlPacketSize && packetSize >= 8)
        {
            ControlPacketSize = packetSize;
            Span<byte> input = _input.Bytes;
            _controller.Contexts.BeginInput(input, 0b10);
            _controller.Contexts.WriteEndpoint(input, DeviceContexts.ControlEndpointIndex, EndpointType.Control, ControlPacketSize, 0, 0,
                _control.PhysicalAddress, _control.InitialCycle, 8);
            Trb done = await _controller.CommandAsync(Trb.EvaluateContext(_input.PhysicalAddress, Slot));
            if (done.CompletionCode != CompletionCode.Success)
                throw new UsbException("Evaluate Context failed (" + CompletionCode.Name(done.CompletionCode) + ")");
        }
        int length = await ControlInAsync(SetupPacket.GetDeviceDescriptor(18).ToUInt64(), 18);
        if (length < 18)
            throw new UsbException("short device descriptor (" + length.ToString() + " bytes)");
        ReadOnlySpan<byte> descriptor = _data.Bytes;
        VendorId = BinaryPrimitives.ReadUInt16LittleEndian(descriptor.Slice(8));
        ProductId = BinaryPrimitives.ReadUInt16LittleEndian(descriptor.Slice(10));
        DeviceClass = descriptor[4] << 16 | descriptor[5] << 8 | descriptor[6];
    }

    /// <summary>
    /// Tells the controller (at the next Configure Endpoint) that the device is a hub with ports downstream ports,
    /// the TT think time of its descriptor and, for a high-speed hub, whether it has one TT per port.
    /// </summary>
    internal void MarkAsHub(int ports, int ttThinkTime, bool multiTt) => _slotFields = _slotFields.AsHub(ports, ttThinkTime, multiTt);

    /// <summary>Reads configuration 0 whole (its first 9 bytes say how long it is; at most 4 KiB are read).</summary>
    internal async KernelTask<UsbConfiguration> ReadConfigurationAsync()
    {
        const int HeaderBytes = 9;
        int headerLength = await ControlInAsync(SetupPacket.GetConfigurationDescriptor(0, HeaderBytes).ToUInt64(), HeaderBytes);
        if (headerLength < 4)
            throw new UsbException("short configuration descriptor (" + headerLength.ToString() + " bytes)");
        int total = Math.Min(_data.Bytes[2] | _data.Bytes[3] << 8, DataBufferBytes);
        int length = await ControlInAsync(SetupPacket.GetConfigurationDescriptor(0, (ushort)total).ToUInt64(), total);
        return UsbConfiguration.Parse(Data(length));
    }

    /// <summary>The data stage's bytes of the last IN transfer.</summary>
    internal ReadOnlySpan<byte> Data(int length) => _data.Bytes.Slice(0, Math.Min(length, DataBufferBytes));

    /// <summary>
    /// Runs a control transfer with an IN data stage of up to length bytes into the device's data buffer and returns
    /// the bytes received. Throws UsbException on a stall, an error or no answer (a stalled endpoint 0 is reset first).
    /// </summary>
    internal async KernelTask<int> ControlInAsync(ulong setupPacket, int length)
    {
        if (length > DataBufferBytes)
            throw new UsbException("a control transfer of " + length.ToString() + " bytes is too long");
        _data.Bytes.Slice(0, length).Clear();
        Trb done = await ControlAsync(setupPacket, length, dataIn: true);
        return length - done.TransferLengthRemaining;
    }

    /// <summary>Runs a control transfer without a data stage (data null) or with data as its OUT stage.</summary>
    internal async KernelTask ControlOutAsync(ulong setupPacket, byte[] data)
    {
        int length = data?.Length ?? 0;
        if (length > DataBufferBytes)
            throw new UsbException("a control transfer of " + length.ToString() + " bytes is too long");
        if (data != null)
            new ReadOnlySpan<byte>(data).CopyTo(_data.Bytes);
        await ControlAsync(setupPacket, length, dataIn: false);
    }

    private async KernelTask<Trb> ControlAsync(ulong setupPacket, int length, bool dataIn)
    {
        _controlDone.Arm(SystemTimer.UptimeMilliseconds, ControlTimeoutMs);
        using (_controller.Lock.Acquire())
        {
            _control.Retire(_controlTrbs);
            _control.Enqueue(Trb.SetupStage(setupPacket, length > 0, dataIn));
            _controlTrbs = 2;
            if (length > 0)
            {
                _control.Enqueue(Trb.DataStage(_data.PhysicalAddress, length, dataIn));
                _controlTrbs = 3;
            }
            _control.Enqueue(Trb.StatusStage(length > 0, dataIn));
        }
        _controller.RingDoorbell(Slot, DeviceContexts.ControlEndpointIndex);
        Trb done = await _controlDone;
        int code = done.CompletionCode;
        if (code == CompletionCode.Success || code == CompletionCode.ShortPacket)
            return done;
        if (code == CompletionCode.Stall || code == CompletionCode.UsbTransactionError)
            await RecoverControlEndpointAsync();
        throw new UsbException("control transfer 0x" + setupPacket.ToString("x") + " failed: " + CompletionCode.Name(code));
    }

    // A halted endpoint 0 (stall, transaction error) is reset and its ring moved past the failed transfer (xHCI 1.2 §4.8.3).
    private async KernelTask RecoverControlEndpointAsync()
    {
        await _controller.CommandAsync(Trb.ResetEndpoint(Slot, DeviceContexts.ControlEndpointIndex));
        ulong dequeue;
        bool cycle;
        using (_controller.Lock.Acquire())
        {
            dequeue = _control.EnqueuePointer;
            cycle = _control.Cycle;
        }
        await _controller.CommandAsync(Trb.SetTrDequeuePointer(Slot, DeviceContexts.ControlEndpointIndex, dequeue, cycle));
    }

    /// <summary>
    /// Adds an interrupt-IN endpoint with Configure Endpoint and starts reading it: transfers reports of
    /// maxPacketSize bytes, each handed to client from the event pump, which queues the next at once.
    /// </summary>
    internal async KernelTask StartInterruptInAsync(byte endpointAddress, int maxPacketSize, byte bInterval, IInterruptEndpointClient client)
    {
        int index = DeviceContexts.EndpointIndex(endpointAddress);
        UsbDma ringMemory = UsbDma.Allocate(ControlRingBytes, 64, _controller.Below4GiB);
        var ring = new ProducerRing(ringMemory);
        DeviceContexts contexts = _controller.Contexts;
        Span<byte> input = _input.Bytes;
        contexts.BeginInput(input, 1u | 1u << index);
        _slotFields = _slotFields.WithContextEntries(index);
        contexts.WriteSlot(input, _slotFields);
        contexts.WriteEndpoint(input, index, EndpointType.InterruptIn, maxPacketSize, DeviceContexts.InterruptInterval(Speed, bInterval), 0,
            ring.PhysicalAddress, ring.InitialCycle, maxPacketSize);
        Trb done = await _controller.CommandAsync(Trb.ConfigureEndpoint(_input.PhysicalAddress, Slot));
        if (done.CompletionCode != CompletionCode.Success)
            throw new UsbException("Configure Endpoint failed (" + CompletionCode.Name(done.CompletionCode) + ")");
        using (_controller.Lock.Acquire())
        {
            _interruptRing = ring;
            _interruptRingMemory = ringMemory;
            _interruptEndpoint = index;
            _interruptClient = client;
            for (int i = 0; i < client.BufferCount; i++)
                _interruptRing.Enqueue(Trb.Normal(client.BufferAddress(i), maxPacketSize));
        }
        _controller.RingDoorbell(Slot, index);
    }

    /// <summary>From the event pump (controller lock held): a transfer on one of this device's endpoints ended.</summary>
    internal void OnTransferEvent(Trb trb)
    {
        if (trb.EndpointId == DeviceContexts.ControlEndpointIndex)
        {
            _controlDone.Complete(trb);
            return;
        }
        if (trb.EndpointId != _interruptEndpoint || _interruptClient == null)
            return;
        _interruptRing.Retire(1);
        int code = trb.CompletionCode;
        if (code != CompletionCode.Success && code != CompletionCode.ShortPacket)
        {
            // The endpoint halted: the manager resets it outside the pump.
            _interruptClient.OnError(code);
            return;
        }
        // The event points at the Normal TRB; the TRB says which buffer it filled.
        if (!_interruptRing.TryReadAt(trb.Parameter, out Trb transfer))
            return;
        ulong buffer = transfer.Parameter;
        int index = _interruptClient.BufferIndex(buffer);
        if (index < 0)
            return;
        _interruptClient.OnReport(index, _interruptClient.BufferLength - trb.TransferLengthRemaining);
        _interruptRing.Enqueue(Trb.Normal(buffer, _interruptClient.BufferLength));
        _controller.RingDoorbell(Slot, _interruptEndpoint);
    }

    internal void ExpireIfLate(ulong nowMs) => _controlDone.ExpireIfLate(nowMs);

    /// <summary>Returns the device's DMA memory; only after the controller has disabled its slot.</summary>
    internal void FreeMemory()
    {
        IInterruptEndpointClient client = _interruptClient;
        _interruptClient = null;
        client?.Release();
        _output.Free();
        _input.Free();
        _controlRingMemory.Free();
        _data.Free();
        _interruptRingMemory?.Free();
    }
}

/// <summary>A driver that reads an interrupt-IN endpoint (the boot keyboard): its report buffers and what it does with a report.</summary>
internal interface IInterruptEndpointClient
{
    /// <summary>How many reports may be in flight.</summary>
    int BufferCount { get; }

    /// <summary>Each buffer's size.</summary>
    int BufferLength { get; }

    /// <summary>The physical address of buffer index.</summary>
    ulong BufferAddress(int index);

    /// <summary>Which buffer starts at physicalAddress, or -1.</summary>
    int BufferIndex(ulong physicalAddress);

    /// <summary>From the event pump: buffer index holds a report of length bytes. Must not allocate.</summary>
    void OnReport(int index, int length);

    /// <summary>From the event pump: the endpoint stopped with a completion code. Must not allocate.</summary>
    void OnError(int completionCode);

    /// <summary>The device's slot is disabled: the controller no longer writes the buffers, which may be freed.</summary>
    void Release();
}
