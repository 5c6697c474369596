// Register offsets and bits of an xHCI controller (xHCI 1.2 chapter 5): capability registers at the BAR's start,
// operational registers CAPLENGTH bytes in, port registers at 0x400 of those, runtime registers at RTSOFF (one
// interrupter register set every 32 bytes from 0x20), doorbells at DBOFF.
namespace Kernel.Usb;

/// <summary>xHCI register offsets and bits.</summary>
public static class XhciRegisters
{
    // Capability registers (§5.3).
    /// <summary>CAPLENGTH (byte 0) and HCIVERSION (bytes 2-3).</summary>
    public const uint CapLengthAndVersion = 0x00;
    /// <summary>HCSPARAMS1: MaxSlots 7:0, MaxIntrs 18:8, MaxPorts 31:24.</summary>
    public const uint StructuralParameters1 = 0x04;
    /// <summary>HCSPARAMS2: scratchpad buffer counts, ERST max.</summary>
    public const uint StructuralParameters2 = 0x08;
    /// <summary>HCCPARAMS1: AC64 bit 0, PPC bit 3, CSZ bit 2, xECP 31:16 (in dwords).</summary>
    public const uint CapabilityParameters1 = 0x10;
    /// <summary>DBOFF: the doorbell array's offset.</summary>
    public const uint DoorbellOffset = 0x14;
    /// <summary>RTSOFF: the runtime registers' offset.</summary>
    public const uint RuntimeOffset = 0x18;

    // Operational registers (§5.4), from the operational base.
    /// <summary>USBCMD.</summary>
    public const uint Command = 0x00;
    /// <summary>USBSTS.</summary>
    public const uint Status = 0x04;
    /// <summary>PAGESIZE: bit n set means pages of 2^(n+12) bytes.</summary>
    public const uint PageSize = 0x08;
    /// <summary>CRCR (64-bit): command ring pointer, RCS bit 0, CRR bit 3.</summary>
    public const uint CommandRingControl = 0x18;
    /// <summary>DCBAAP (64-bit).</summary>
    public const uint DeviceContextBaseArray = 0x30;
    /// <summary>CONFIG: MaxSlotsEn 7:0.</summary>
    public const uint Configure = 0x38;
    /// <summary>The first port register set; port n (1-based) is at PortBase + 0x10 * (n - 1).</summary>
    public const uint PortBase = 0x400;

    /// <summary>USBCMD Run/Stop.</summary>
    public const uint CommandRun = 1u << 0;
    /// <summary>USBCMD Host Controller Reset.</summary>
    public const uint CommandReset = 1u << 1;
    /// <summary>USBCMD Interrupter Enable.</summary>
    public const uint CommandInterrupterEnable = 1u << 2;
    /// <summary>USBCMD Host System Error Enable.</summary>
    public const uint CommandHostSystemErrorEnable = 1u << 3;

    /// <summary>USBSTS HCHalted.</summary>
    public const uint StatusHalted = 1u << 0;
    /// <summary>USBSTS Host System Error.</summary>
    public const uint StatusHostSystemError = 1u << 2;
    /// <summary>USBSTS Event Interrupt (write 1 to clear).</summary>
    public const uint StatusEventInterrupt = 1u << 3;
    /// <summary>USBSTS Port Change Detect (write 1 to clear).</summary>
    public const uint StatusPortChange = 1u << 4;
    /// <summary>USBSTS Controller Not Ready.</summary>
    public const uint StatusNotReady = 1u << 11;
    /// <summary>USBSTS Host Controller Error.</summary>
    public const uint StatusControllerError = 1u << 12;

    // Runtime registers (§5.5), interrupter 0.
    /// <summary>IMAN of interrupter 0: IP bit 0 (write 1 to clear), IE bit 1.</summary>
    public const uint InterrupterManagement = 0x20;
    /// <summary>IMOD of interrupter 0: the interval in 250 ns units, bits 15:0.</summary>
    public const uint InterrupterModeration = 0x24;
    /// <summary>ERSTSZ of interrupter 0.</summary>
    public const uint EventRingSegmentTableSize = 0x28;
    /// <summary>ERSTBA of interrupter 0 (64-bit).</summary>
    public const uint EventRingSegmentTableBase = 0x30;
    /// <summary>ERDP of interrupter 0 (64-bit): EHB is bit 3.</summary>
    public const uint EventRingDequeuePointer = 0x38;
    /// <summary>IMAN Interrupt Pending.</summary>
    public const uint InterruptPending = 1u << 0;
    /// <summary>IMAN Interrupt Enable.</summary>
    public const uint InterruptEnable = 1u << 1;
    /// <summary>ERDP Event Handler Busy (write 1 to clear).</summary>
    public const ulong EventHandlerBusy = 1UL << 3;

    // Extended capability IDs (§7).
    /// <summary>USB Legacy Support.</summary>
    public const byte LegacySupportCapability = 1;
    /// <summary>Supported Protocol.</summary>
    public const byte SupportedProtocolCapability = 2;
}

/// <summary>PORTSC bits (xHCI 1.2 §5.4.8) and the one safe way to write it.</summary>
public static class PortStatus
{
    /// <summary>Current Connect Status.</summary>
    public const uint Connected = 1u << 0;
    /// <summary>Port Enabled (write 1 disables the port: never write it back).</summary>
    public const uint Enabled = 1u << 1;
    /// <summary>Over-current Active.</summary>
    public const uint OverCurrent = 1u << 3;
    /// <summary>Port Reset.</summary>
    public const uint Reset = 1u << 4;
    /// <summary>Port Power.</summary>
    public const uint Power = 1u << 9;
    /// <summary>Connect Status Change.</summary>
    public const uint ConnectChange = 1u << 17;
    /// <summary>Port Enabled/Disabled Change.</summary>
    public const uint EnableChange = 1u << 18;
    /// <summary>Warm Port Reset Change.</summary>
    public const uint WarmResetChange = 1u << 19;
    /// <summary>Over-current Change.</summary>
    public const uint OverCurrentChange = 1u << 20;
    /// <summary>Port Reset Change.</summary>
    public const uint ResetChange = 1u << 21;
    /// <summary>Port Link State Change.</summary>
    public const uint LinkStateChange = 1u << 22;
    /// <summary>Port Config Error Change.</summary>
    public const uint ConfigErrorChange = 1u << 23;
    /// <summary>Warm Port Reset (USB 3 ports).</summary>
    public const uint WarmReset = 1u << 31;

    /// <summary>Every write-1-to-clear change bit.</summary>
    public const uint AllChanges = ConnectChange | EnableChange | WarmResetChange | OverCurrentChange | ResetChange | LinkStateChange | ConfigErrorChange;

    // Bits that keep their value when written back: power, the port indicator, the wake enables, link state
    // write strobe left 0. Everything else is either RW1C (changes, PED) or a command (reset, warm reset).
    private const uint Preserved = Power | 3u << 14 | 7u << 25;

    /// <summary>The speed of the device on the port (the speed ID in bits 13:10).</summary>
    public static UsbSpeed Speed(uint portsc) => (UsbSpeed)((portsc >> 10) & 0xF);

    /// <summary>The port link state (bits 8:5).</summary>
    public static int LinkState(uint portsc) => (int)((portsc >> 5) & 0xF);

    /// <summary>
    /// The value to write to PORTSC, read as current, to set the command bits in set and clear the change bits in
    /// clear, leaving every other bit as it was (and never writing 1 to PED or an unrelated change bit).
    /// </summary>
    public static uint WriteValue(uint current, uint set, uint clear) => (current & Preserved) | set | (clear & AllChanges);
}
