// One PCI function as enumeration found it (PCI Local Bus 3.0 §6.1-§6.2): identity, class, header type,
// interrupt routing, its BARs with their sizes and its capability list, all read once when it is made. The
// command register is read and written live. Pure: reads through an IPciConfigAccess.
namespace Kernel.Pci;

/// <summary>A function on a PCI bus.</summary>
public sealed class PciFunction
{
    private const byte HeaderTypeMask = 0x7F;
    private const byte HostBridgeClass = 0x06;
    private const byte HostBridgeSubclass = 0x00;
    private const uint CommandMask = 0xFFFF;

    private readonly IPciConfigAccess _access;

    /// <summary>
    /// Reads the function at address, which must be present (its vendor ID not all ones), and sizes its BARs:
    /// call this once per function, before a driver uses it (see <see cref="PciBarSizing"/>).
    /// </summary>
    public PciFunction(IPciConfigAccess access, PciAddress address)
    {
        _access = access;
        Address = address;
        uint ids = access.Read32(address, PciHeader.IdOffset);
        VendorId = (ushort)ids;
        DeviceId = (ushort)(ids >> 16);
        uint classRevision = access.Read32(address, PciHeader.ClassRevisionOffset);
        Revision = (byte)classRevision;
        ProgIf = (byte)(classRevision >> 8);
        Subclass = (byte)(classRevision >> 16);
        ClassCode = (byte)(classRevision >> 24);
        byte rawHeaderType = (byte)(access.Read32(address, PciHeader.HeaderTypeDwordOffset) >> 16);
        HeaderType = (byte)(rawHeaderType & HeaderTypeMask);
        IsMultiFunction = (rawHeaderType & PciHeader.MultiFunctionBit) != 0;
        if (HeaderType == PciHeader.DeviceHeader || HeaderType == PciHeader.BridgeHeader)
        {
            uint interrupt = access.Read32(address, PciHeader.InterruptOffset);
            InterruptLine = (byte)interrupt;
            InterruptPin = (byte)(interrupt >> 8);
        }
        if (HeaderType == PciHeader.DeviceHeader)
        {
            uint subsystem = access.Read32(address, PciHeader.SubsystemOffset);
            SubsystemVendorId = (ushort)subsystem;
            SubsystemId = (ushort)(subsystem >> 16);
        }
        if (HeaderType == PciHeader.BridgeHeader)
        {
            uint buses = access.Read32(address, PciHeader.BusNumbersOffset);
            PrimaryBus = (byte)buses;
            SecondaryBus = (byte)(buses >> 8);
            SubordinateBus = (byte)(buses >> 16);
        }
        Bars = PciBarSizing.Read(access, address, HeaderType, keepDecoding: IsHostBridge);
        Capabilities = PciCapabilityList.Read(access, address, HeaderType, out string problem);
        CapabilityProblem = problem;
    }

    /// <summary>The configuration access the function was read through (for capability programming).</summary>
    public IPciConfigAccess ConfigAccess => _access;

    /// <summary>Where the function is.</summary>
    public PciAddress Address { get; }

    /// <summary>The vendor ID.</summary>
    public ushort VendorId { get; }

    /// <summary>The device ID.</summary>
    public ushort DeviceId { get; }

    /// <summary>The base class code (0x0C: serial bus controller).</summary>
    public byte ClassCode { get; }

    /// <summary>The subclass (0x03 of 0x0C: USB).</summary>
    public byte Subclass { get; }

    /// <summary>The programming interface (0x30 of 0x0C03: xHCI).</summary>
    public byte ProgIf { get; }

    /// <summary>The revision ID.</summary>
    public byte Revision { get; }

    /// <summary>The header type without the multi-function bit: 0 device, 1 PCI-to-PCI bridge, 2 CardBus bridge.</summary>
    public byte HeaderType { get; }

    /// <summary>The header type's bit 7 (meaningful on function 0): the device has more functions.</summary>
    public bool IsMultiFunction { get; }

    /// <summary>The interrupt line the firmware wrote (the legacy IRQ; 0xFF or 0 when none).</summary>
    public byte InterruptLine { get; }

    /// <summary>The interrupt pin: 0 none, 1-4 INTA#-INTD#.</summary>
    public byte InterruptPin { get; }

    /// <summary>Type 0: the subsystem vendor ID (0 otherwise).</summary>
    public ushort SubsystemVendorId { get; }

    /// <summary>Type 0: the subsystem ID (0 otherwise).</summary>
    public ushort SubsystemId { get; }

    /// <summary>Type 1: the bus the bridge is on, as programmed.</summary>
    public byte PrimaryBus { get; }

    /// <summary>Type 1: the bus right behind the bridge.</summary>
    public byte SecondaryBus { get; }

    /// <summary>Type 1: the highest bus behind the bridge.</summary>
    public byte SubordinateBus { get; }

    /// <summary>The implemented BARs, in register order, each with its register index.</summary>
    public PciBar[] Bars { get; }

    /// <summary>The capability list in list order.</summary>
    public PciCapability[] Capabilities { get; }

    /// <summary>Why the capability list was cut short (a loop, a pointer into the header), or null.</summary>
    public string CapabilityProblem { get; }

    /// <summary>A PCI-to-PCI bridge (header type 1), whose secondary bus enumeration follows.</summary>
    public bool IsBridge => HeaderType == PciHeader.BridgeHeader;

    /// <summary>A host bridge (class 0x06, subclass 0x00).</summary>
    public bool IsHostBridge => ClassCode == HostBridgeClass && Subclass == HostBridgeSubclass;

    /// <summary>"USB controller (xHCI)".</summary>
    public string ClassName => PciClassNames.Describe(ClassCode, Subclass, ProgIf);

    /// <summary>The command register as it is now.</summary>
    public ushort Command => (ushort)(_access.Read32(Address, PciHeader.CommandStatusOffset) & CommandMask);

    /// <summary>The configuration offset of the first capability with ID id, or -1.</summary>
    public int FindCapability(byte id)
    {
        for (int i = 0; i < Capabilities.Length; i++)
        {
            if (Capabilities[i].Id == id)
                return Capabilities[i].Offset;
        }
        return -1;
    }

    /// <summary>The BAR with register index index; found says whether there is one (a default BAR otherwise).</summary>
    public PciBar FindBar(int index, out bool found)
    {
        found = TryGetBar(index, out PciBar bar);
        return bar;
    }

    /// <summary>Whether the function implements a BAR with register index index, and that BAR.</summary>
    public bool TryGetBar(int index, out PciBar bar)
    {
        for (int i = 0; i < Bars.Length; i++)
        {
            if (Bars[i].Index == index)
            {
                bar = Bars[i];
                return true;
            }
        }
        bar = default;
        return false;
    }

    /// <summary>
    /// Sets the command register's memory space and bus master bits, keeping the others (a firmware driver
    /// that exits may have cleared them). The status half is written as zeros, which leaves its
    /// write-1-to-clear error bits alone.
    /// </summary>
    public void EnableMemoryAndBusMaster()
    {
        uint command = _access.Read32(Address, PciHeader.CommandStatusOffset) & CommandMask;
        _access.Write32(Address, PciHeader.CommandStatusOffset, command | PciHeader.CommandMemorySpace | PciHeader.CommandBusMaster);
    }

    /// <summary>"00:1f.2" (with the segment in front when it is not 0).</summary>
    public string Location =>
        (Address.Segment != 0 ? ((uint)Address.Segment).ToString("x4") + ":" : "")
        + ((uint)Address.Bus).ToString("x2") + ":" + ((uint)Address.Device).ToString("x2") + "." + ((uint)Address.Function).ToString("x");
}
