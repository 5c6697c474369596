// One xHCI host controller (xHCI 1.2 §4.2, "Host Controller Initialization"): taken from the firmware at boot, then
// halted, reset and given the kernel's own structures: the device context base address array (with scratchpad
// buffers when the controller asks for them), the command ring, and one event ring on interrupter 0. Events are
// taken by one pump that runs under the controller's lock, from the controller's interrupt or from the watchdog
// task; the pump only completes waits, feeds keyboard reports and notes port changes, so it never allocates. The
// manager task (UsbStack) does everything that waits: commands, port resets, enumeration.
using System;
using System.Buffers.Binary;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Pci;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>An xHCI host controller.</summary>
public sealed partial class XhciController
{
    /// <summary>Slots the driver enables at most (devices at once on this controller).</summary>
    public const int MaxSlotsUsed = 64;

    private const int RingBytes = 4096;
    private const ulong CommandTimeoutMs = 1000;
    private const ulong HaltTimeoutMs = 100;
    private const ulong ResetTimeoutMs = 1000;

    private readonly PciFunction _pci;
    private readonly MmioRegion _mmio;
    private readonly XhciRegisterWindow _registers;
    private readonly uint _operational;
    private readonly uint _runtime;
    private readonly uint _doorbells;
    private readonly InterruptSafeLock _lock = new InterruptSafeLock("xhci");
    private UsbCompletion _commandDone;
    private ProducerRing _commands;
    private EventRing _events;
    private UsbDma _deviceContextArray;
    private UsbDevice[] _devicesBySlot;
    private byte[] _portProtocol;
    private bool _portChangesPending;
    private UsbCompletion _attention;
    private ulong _eventsTaken;
    private bool _running;
    private readonly System.Collections.Generic.List<UsbDma> _structures = new System.Collections.Generic.List<UsbDma>();
    private int _vector = -1;
    private MsiXTable _msiX;

    private XhciController(PciFunction pci, MmioRegion mmio)
    {
        _pci = pci;
        _mmio = mmio;
        _registers = new XhciRegisterWindow(mmio);
        uint capLength = _registers.Read32(XhciRegisters.CapLengthAndVersion);
        _operational = capLength & 0xFF;
        Version = (int)(capLength >> 16);
        _runtime = _registers.Read32(XhciRegisters.RuntimeOffset) & ~0x1Fu;
        _doorbells = _registers.Read32(XhciRegisters.DoorbellOffset) & ~0x3u;
        uint structural1 = _registers.Read32(XhciRegisters.StructuralParameters1);
        MaxSlots = (int)(structural1 & 0xFF);
        PortCount = (int)(structural1 >> 24);
        uint capabilities1 = _registers.Read32(XhciRegisters.CapabilityParameters1);
        Has64BitAddressing = (capabilities1 & 1) != 0;
        HasPortPowerControl = (capabilities1 & (1u << 3)) != 0;
        Contexts = new DeviceContexts((capabilities1 & (1u << 2)) != 0 ? 64 : 32);
    }

    /// <summary>The PCI function.</summary>
    public PciFunction Pci => _pci;

    /// <summary>HCIVERSION, e.g. 0x100 for xHCI 1.0.</summary>
    public int Version { get; }

    /// <summary>Device slots the controller offers.</summary>
    public int MaxSlots { get; }

    /// <summary>Root hub ports.</summary>
    public int PortCount { get; }

    /// <summary>Whether the controller takes 64-bit DMA addresses (AC64); if not, every structure is below 4 GiB.</summary>
    public bool Has64BitAddressing { get; }

    /// <summary>Whether ports must be powered by software (PPC).</summary>
    public bool HasPortPowerControl { get; }

    /// <summary>The context layout (32 or 64-byte contexts).</summary>
    public DeviceContexts Contexts { get; }

    /// <summary>How the controller interrupts: "MSI-X", "MSI" or "polled".</summary>
    public string InterruptMode { get; private set; } = "polled";

    /// <summary>Why the controller is polled (no local APIC in use, no MSI capability, ...), or null.</summary>
    public string InterruptProblem { get; private set; }

    /// <summary>The kernel vector its MSI or MSI-X messages carry, or -1.</summary>
    public int InterruptVector => _vector;

    /// <summary>Events taken from the event ring.</summary>
    public ulong EventsTaken => _eventsTaken;

    /// <summary>The first problem that stopped the controller, or null while it works.</summary>
    public string Failure { get; private set; }

    /// <summary>The outcome of the firmware hand-off.</summary>
    public string Handoff { get; private set; }

    internal InterruptSafeLock Lock => _lock;

    internal bool Below4GiB => !Has64BitAddressing;

    /// <summary>
    /// Maps the controller's registers and takes it from the firmware (the hand-off must come before the PS/2
    /// decision: until then SMM may emulate a PS/2 keyboard from this controller). Returns null with problem set
    /// when the function has no usable memory BAR.
    /// </summary>
    public static XhciController TakeOver(PciFunction pci, Func<ulong> clockMicroseconds, out string problem)
    {
        problem = null;
        PciBar bar = default;
        bool found = false;
        for (int i = 0; i < pci.Bars.Length; i++)
        {
            if (pci.Bars[i].Index == 0 && pci.Bars[i].IsMemory)
            {
                bar = pci.Bars[i];
                found = true;
            }
        }
        if (!found || bar.Address == 0 || bar.Size < 0x1000 || bar.Size > 0x100_0000)
        {
            problem = "no usable memory BAR 0";
            return null;
        }
        // The firmware's driver restores the PCI attributes it found when it exits: after ExitBootServices memory
        // decoding and bus mastering may be off again.
        pci.EnableMemoryAndBusMaster();
        var controller = new XhciController(pci, MmioRegion.Map(bar.Address, (uint)bar.Size));
        HandoffOutcome outcome = LegacyHandoff.TakeOwnership(controller._registers, (uint)bar.Size, clockMicroseconds, out ulong elapsed);
        controller.Handoff = LegacyHandoff.Describe(outcome, elapsed);
        controller.ReadSupportedProtocols((uint)bar.Size);
        return controller;
    }

    /// <summary>The USB major revision (2 or 3) of root port port (1-based), 0 when no protocol capability names it.</summary>
    public int PortProtocol(int port) => port >= 1 && port <= PortCount ? _portProtocol[port - 1] : 0;

    // Supported Protocol capabilities (xHCI 1.2 §7.2) say which ports are USB 2 and which USB 3 (QEMU's nec-usb-xhci
    // numbers its USB 3 ports first).
    private void ReadSupportedProtocols(uint registerBytes)
    {
        _portProtocol = new byte[PortCount];
        uint offset = 0;
        for (int i = 0; i < 16; i++)
        {
            offset = LegacyHandoff.FindCapability(_registers, registerBytes, XhciRegisters.SupportedProtocolCapability, offset);
            if (offset == 0)
                return;
            int major = (int)(_registers.Read32(offset) >> 24);
            uint ports = _registers.Read32(offset + 8);
            int first = (int)(ports & 0xFF);
            int count = (int)((ports >> 8) & 0xFF);
            for (int port = first; port < first + count && port >= 1 && port <= PortCount; port++)
                _portProtocol[port - 1] = (byte)major;
        }
    }

    /// <summary>
    /// Halts and resets the controller, builds its structures and runs it. Throws UsbException when the controller
    /// does not halt, reset or run in time.
    /// </summary>
    public async KernelTask StartAsync()
    {
        _commandDone ??= new UsbCompletion(_lock);
        _attention ??= new UsbCompletion(_lock);
        Failure = null;
        _running = false;
        using (_lock.Acquire())
            _events = null;
        await WaitForStatusAsync(XhciRegisters.StatusNotReady, 0, ResetTimeoutMs, "be ready");
        WriteOperational(XhciRegisters.Command, ReadOperational(XhciRegisters.Command) & ~XhciRegisters.CommandRun);
        await WaitForStatusAsync(XhciRegisters.StatusHalted, XhciRegisters.StatusHalted, HaltTimeoutMs, "halt");
        WriteOperational(XhciRegisters.Command, XhciRegisters.CommandReset);
        if (!await PollOperationalAsync(XhciRegisters.Command, command => (command & XhciRegisters.CommandReset) == 0, ResetTimeoutMs))
            throw new UsbException("the controller did not finish its reset in " + ResetTimeoutMs.ToString() + " ms");
        await WaitForStatusAsync(XhciRegisters.StatusNotReady, 0, ResetTimeoutMs, "be ready after its reset");
        ForgetEverythingAfterReset();

        int slots = Math.Min(MaxSlots, MaxSlotsUsed);
        _devicesBySlot = new UsbDevice[slots + 1];
        WriteOperational(XhciRegisters.Configure, (ReadOperational(XhciRegisters.Configure) & ~0xFFu) | (uint)slots);
        _deviceContextArray = Own(UsbDma.Allocate((slots + 1) * 8, 64, Below4GiB));
        SetUpScratchpads();
        WriteOperational64(XhciRegisters.DeviceContextBaseArray, _deviceContextArray.PhysicalAddress);

        _commands = new ProducerRing(Own(UsbDma.Allocate(RingBytes, 64, Below4GiB)));
        WriteOperational64(XhciRegisters.CommandRingControl, _commands.PhysicalAddress | 1);

        _events = new EventRing(Own(UsbDma.Allocate(RingBytes, 64, Below4GiB)), Own(UsbDma.Allocate(EventRing.SegmentTableEntrySize, 64, Below4GiB)));
        WriteRuntime(XhciRegisters.EventRingSegmentTableSize, 1);
        WriteRuntime64(XhciRegisters.EventRingDequeuePointer, _events.DequeuePointer);
        WriteRuntime64(XhciRegisters.EventRingSegmentTableBase, _events.SegmentTable.PhysicalAddress);
        WriteRuntime(XhciRegisters.InterrupterModeration, 1000); // 250 us between interrupts at most
        InterruptMode = ConnectInterrupt();
        WriteRuntime(XhciRegisters.InterrupterManagement, XhciRegisters.InterruptPending | XhciRegisters.InterruptEnable);

        WriteOperational(XhciRegisters.Command, XhciRegisters.CommandRun | XhciRegisters.CommandInterrupterEnable | XhciRegisters.CommandHostSystemErrorEnable);
        await WaitForStatusAsync(XhciRegisters.StatusHalted, 0, HaltTimeoutMs, "run");
        _running = true;
        Trb noOp = await CommandAsync(Trb.NoOpCommand());
        if (noOp.CompletionCode != CompletionCode.Success)
            throw new UsbException("the command ring does not run (" + CompletionCode.Name(noOp.CompletionCode) + ")");
        if (HasPortPowerControl)
        {
            for (int port = 1; port <= PortCount; port++)
            {
                uint status = ReadPort(port);
                if ((status & PortStatus.Power) == 0)
                    WritePort(port, PortStatus.WriteValue(status, PortStatus.Power, 0));
            }
            await Timers.Delay(20); // power-on to power-good
        }
    }

    // DMA memory of the controller's own structures (rings, DCBAA, scratchpads), given back after the next reset.
    private UsbDma Own(UsbDma memory)
    {
        _structures.Add(memory);
        return memory;
    }

    // After a reset the controller has forgotten every slot, ring and context: the devices go (their drivers are told,
    // their memory returned), and so does the memory of the last run's structures. Nothing reaches them any more.
    private void ForgetEverythingAfterReset()
    {
        if (_devicesBySlot != null)
        {
            for (int slot = 1; slot < _devicesBySlot.Length; slot++)
            {
                UsbDevice device = _devicesBySlot[slot];
                if (device == null)
                    continue;
                UsbHub.OnDeviceGone(device);
                UsbKeyboard.OnDeviceGone(device);
                device.FreeMemory();
            }
        }
        _devicesByPort = null;
        for (int i = 0; i < _structures.Count; i++)
            _structures[i].Free();
        _structures.Clear();
    }

    /// <summary>
    /// Stops the controller (clears Run/Stop) the way a failing controller stops, without telling the driver: the
    /// watchdog must notice and the manager reset it. For the in-kernel test of that recovery.
    /// </summary>
    public void HaltBehindTheDriversBack() =>
        WriteOperational(XhciRegisters.Command, ReadOperational(XhciRegisters.Command) & ~XhciRegisters.CommandRun);

    // Scratchpad buffers (xHCI 1.2 §4.20): pages the controller keeps for itself, listed in an array that DCBAA entry 0 points at.
    private void SetUpScratchpads()
    {
        uint structural2 = _registers.Read32(XhciRegisters.StructuralParameters2);
        int count = (int)(((structural2 >> 21) & 0x1F) << 5 | (structural2 >> 27));
        if (count == 0)
            return;
        int pageSize = 4096 << BitIndex(ReadOperational(XhciRegisters.PageSize) & 0xFFFF);
        UsbDma array = Own(UsbDma.Allocate(count * 8, 64, Below4GiB));
        for (int i = 0; i < count; i++)
        {
            UsbDma page = Own(UsbDma.Allocate(pageSize, (ulong)pageSize, Below4GiB));
            BinaryPrimitives.WriteUInt64LittleEndian(array.Bytes.Slice(i * 8), page.PhysicalAddress);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(_deviceContextArray.Bytes, array.PhysicalAddress);
    }

    private static int BitIndex(uint value)
    {
        for (int i = 0; i < 16; i++)
        {
            if ((value & (1u << i)) != 0)
                return i;
        }
        return 0;
    }

    private async KernelTask WaitForStatusAsync(uint mask, uint expected, ulong timeoutMs, string what)
    {
        if (!await PollOperationalAsync(XhciRegisters.Status, status => (status & mask) == expected, timeoutMs))
            throw new UsbException("the controller did not " + what + " in " + timeoutMs.ToString() + " ms (USBSTS 0x"
                + ReadOperational(XhciRegisters.Status).ToString("x") + ")");
    }

    // The one wait of the driver's resets, halts and port steps: reads the operational register at offset until done
    // holds, once a millisecond (a timer tick at most), for up to timeoutMs; returns whether it held.
    private async KernelTask<bool> PollOperationalAsync(uint offset, Func<uint, bool> done, ulong timeoutMs)
    {
        ulong start = SystemTimer.UptimeMilliseconds;
        while (!done(ReadOperational(offset)))
        {
            if (SystemTimer.UptimeMilliseconds - start > timeoutMs)
                return false;
            await Timers.Delay(1);
        }
        return true;
    }

    /// <summary>Runs one command and returns its completion event (NoAnswer after a second without one).</summary>
    public async KernelTask<Trb> CommandAsync(Trb command)
    {
        _commandDone.Arm(SystemTimer.UptimeMilliseconds, CommandTimeoutMs);
        using (_lock.Acquire())
        {
            if (_commands.Enqueue(command) == 0)
                throw new UsbException("the command ring is full");
        }
        RingDoorbell(0, 0);
        Trb done = await _commandDone;
        // A command ring that stops answering is a controller failure: the manager resets the controller.
        if (done.CompletionCode == CompletionCode.NoAnswer && Failure == null)
            Failure = "the command ring stopped (no answer in " + CommandTimeoutMs.ToString() + " ms)";
        return done;
    }

    /// <summary>Rings doorbell slot (0 = the command ring) for target (the endpoint's device context index).</summary>
    internal void RingDoorbell(int slot, int target) => _registers.Write32(_doorbells + (uint)slot * 4, (uint)target);

    /// <summary>Points DCBAA entry slot at a device's output context (0 to forget it).</summary>
    internal void SetDeviceContext(int slot, ulong outputContext) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_deviceContextArray.Bytes.Slice(slot * 8), outputContext);

    internal void Attach(int slot, UsbDevice device)
    {
        using (_lock.Acquire())
            _devicesBySlot[slot] = device;
    }

    internal void Detach(int slot)
    {
        using (_lock.Acquire())
            _devicesBySlot[slot] = null;
    }

    internal int SlotCapacity => _devicesBySlot.Length - 1;

    /// <summary>The devices by slot (null where none), for listings.</summary>
    public UsbDevice DeviceInSlot(int slot) => slot > 0 && slot < _devicesBySlot.Length ? _devicesBySlot[slot] : null;

    /// <summary>
    /// Waits until a port changes, the controller fails, a driver asks for the manager (<see cref="CallManager"/>),
    /// or timeoutMs passes, whichever is first.
    /// </summary>
    public async KernelTask WaitForAttentionAsync(ulong timeoutMs)
    {
        _attention.Arm(SystemTimer.UptimeMilliseconds, timeoutMs);
        using (_lock.Acquire())
        {
            if (_portChangesPending || Failure != null || _managerCalled)
                _attention.Complete(default);
        }
        await _attention;
    }

    private bool _managerCalled;

    /// <summary>From the event pump (lock held): a driver has work for the manager task (the keyboard's LEDs).</summary>
    internal void CallManager()
    {
        _managerCalled = true;
        _attention.Complete(default);
    }

    /// <summary>Whether a driver asked for the manager; clears the request.</summary>
    public bool TakeManagerCall()
    {
        using (_lock.Acquire())
        {
            bool called = _managerCalled;
            _managerCalled = false;
            return called;
        }
    }

    /// <summary>Whether a port change is waiting for the manager; clears the flag.</summary>
    public bool TakePortChanges()
    {
        using (_lock.Acquire())
        {
            bool pending = _portChangesPending;
            _portChangesPending = false;
            return pending;
        }
    }

    /// <summary>
    /// Takes every event the controller has written (under the lock; from the interrupt handler or the watchdog),
    /// then ends waits the controller left unanswered too long. Never allocates.
    /// </summary>
    public void PumpEvents(ulong nowMs)
    {
        using (_lock.Acquire())
        {
            if (_events == null)
                return;
            bool took = false;
            while (_events.TryDequeue(out Trb trb))
            {
                took = true;
                _eventsTaken++;
                Dispatch(trb);
            }
            // Acknowledge: USBSTS.EINT and IMAN.IP are write-1-to-clear; the dequeue pointer with EHB clears busy.
            WriteOperational(XhciRegisters.Status, XhciRegisters.StatusEventInterrupt | XhciRegisters.StatusPortChange);
            WriteRuntime(XhciRegisters.InterrupterManagement, XhciRegisters.InterruptPending | XhciRegisters.InterruptEnable);
            if (took)
                WriteRuntime64(XhciRegisters.EventRingDequeuePointer, _events.DequeuePointer | XhciRegisters.EventHandlerBusy);
            uint status = ReadOperational(XhciRegisters.Status);
            if ((status & (XhciRegisters.StatusHostSystemError | XhciRegisters.StatusControllerError)) != 0 && Failure == null)
            {
                Failure = (status & XhciRegisters.StatusHostSystemError) != 0 ? "host system error" : "host controller error";
                _attention?.Complete(default);
            }
            else if (_running && (status & XhciRegisters.StatusHalted) != 0 && Failure == null)
            {
                // Nobody told it to stop: a controller that halts on its own processes no ring any more.
                _running = false;
                Failure = "the controller halted by itself";
                _attention?.Complete(default);
            }
            _commandDone?.ExpireIfLate(nowMs);
            _attention?.ExpireIfLate(nowMs);
            for (int slot = 1; slot < _devicesBySlot.Length; slot++)
                _devicesBySlot[slot]?.ExpireIfLate(nowMs);
        }
    }

    private void Dispatch(Trb trb)
    {
        switch (trb.Type)
        {
            case TrbType.CommandCompletionEvent:
                _commands.Retire(1);
                _commandDone.Complete(trb);
                break;
            case TrbType.TransferEvent:
                int slot = trb.SlotId;
                if (slot > 0 && slot < _devicesBySlot.Length)
                    _devicesBySlot[slot]?.OnTransferEvent(trb);
                break;
            case TrbType.PortStatusChangeEvent:
                _portChangesPending = true;
                _attention.Complete(trb);
                break;
        }
    }

    // MSI-X (else MSI) to a kernel vector on the boot CPU when the local APICs are in use; otherwise the watchdog
    // polls. A restart keeps the vector and the mapped MSI-X table and programs them again (a controller reset
    // leaves configuration space alone, but the programming is cheap and sure).
    private string ConnectInterrupt()
    {
        InterruptProblem = null;
        if (!InterruptControllers.TryGetMessageTarget(out uint apicId, out string problem))
            return Polled(problem);
        int msiX = _pci.FindCapability(PciCapability.MsiX);
        int msi = _pci.FindCapability(PciCapability.Msi);
        if (msiX < 0 && msi < 0)
            return Polled("no MSI or MSI-X capability");
        if (_vector < 0)
        {
            _vector = InterruptDispatcher.RegisterDeviceVector("xhci", OnInterrupt);
            if (_vector < 0)
                return Polled("no free interrupt vector");
        }
        problem = MsiMessage.Encode(apicId, _vector, out uint address, out uint data);
        if (problem != null)
            return Polled(problem);
        IPciConfigAccess access = _pci.ConfigAccess;
        if (msiX >= 0)
        {
            _msiX ??= MsiXTable.Map(_pci, out problem);
            if (_msiX != null)
            {
                if (msi >= 0)
                    MsiConfiguration.DisableMsi(access, _pci.Address, msi);
                _msiX.EnableEntry0(address, data);
                return "MSI-X";
            }
        }
        if (msi < 0)
            return Polled(problem);
        MsiConfiguration.EnableMsi(access, _pci.Address, msi, address, data);
        MsiConfiguration.DisableIntx(access, _pci.Address);
        return "MSI";
    }

    private string Polled(string problem)
    {
        InterruptProblem = problem;
        return "polled";
    }

    // The controller's MSI or MSI-X vector, with interrupts off: takes the events (the pump never allocates).
    private void OnInterrupt() => PumpEvents(SystemTimer.UptimeMilliseconds);

    internal uint ReadOperational(uint offset) => _registers.Read32(_operational + offset);

    internal void WriteOperational(uint offset, uint value) => _registers.Write32(_operational + offset, value);

    private void WriteOperational64(uint offset, ulong value)
    {
        _registers.Write32(_operational + offset, (uint)value);
        _registers.Write32(_operational + offset + 4, (uint)(value >> 32));
    }

    private void WriteRuntime(uint offset, uint value) => _registers.Write32(_runtime + offset, value);

    private void WriteRuntime64(uint offset, ulong value)
    {
        _registers.Write32(_runtime + offset, (uint)value);
        _registers.Write32(_runtime + offset + 4, (uint)(value >> 32));
    }

    /// <summary>PORTSC of port (1-based).</summary>
    public uint ReadPort(int port) => ReadOperational(PortRegister(port));

    internal void WritePort(int port, uint value) => WriteOperational(PortRegister(port), value);

    private static uint PortRegister(int port) => XhciRegisters.PortBase + (uint)(port - 1) * 0x10;
}

/// <summary>The xHCI registers in their MMIO region, as an IRegisterBlock.</summary>
internal sealed class XhciRegisterWindow : IRegisterBlock
{
    private readonly MmioRegion _region;

    public XhciRegisterWindow(MmioRegion region) => _region = region;

    public uint Read32(uint offset) => _region.Read32(offset);

    public void Write32(uint offset, uint value) => _region.Write32(offset, value);
}

/// <summary>A USB operation failed: the controller or a device did not do what the driver asked.</summary>
public sealed class UsbException : Exception
{
    /// <summary>Creates it with a message naming what failed.</summary>
    public UsbException(string message) : base(message) { }
}
