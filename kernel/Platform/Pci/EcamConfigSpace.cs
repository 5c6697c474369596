// The PCI Express Enhanced Configuration Access Mechanism (PCIe Base 4.0 §7.2.2): every function's 4 KiB of
// configuration space in memory, 1 MiB per bus, for one segment's range of buses as the MCFG describes it (PCI
// Firmware spec 3.2 §4.1.2). Each bus's window is mapped uncached on its first access and kept, so a segment's
// 256 MiB is never mapped whole, only the buses that are looked at.
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Pci;

/// <summary>Configuration space of one segment's buses through ECAM.</summary>
public sealed class EcamConfigSpace
{
    private readonly MmioRegion[] _buses;

    /// <summary>
    /// ECAM for buses startBus to endBus of segment, with baseAddress where bus 0 of the segment would be (the
    /// MCFG's base address, even when the range starts at a later bus: bus b is at baseAddress + b MiB, as
    /// Linux and FreeBSD read the table). A base not on a 1 MiB boundary or an empty bus range panics: only a
    /// validated MCFG entry may be passed here.
    /// </summary>
    public EcamConfigSpace(ulong baseAddress, ushort segment, byte startBus, byte endBus)
    {
        if (endBus < startBus)
            Panic.Halt("pci: ECAM bus range " + ((uint)startBus).ToString() + "-" + ((uint)endBus).ToString() + " is empty");
        if ((baseAddress & (PciConfigEncoding.EcamBusBytes - 1)) != 0)
            Panic.Halt("pci: ECAM base 0x" + baseAddress.ToString("x") + " is not on a 1 MiB boundary");
        BaseAddress = baseAddress;
        Segment = segment;
        StartBus = startBus;
        EndBus = endBus;
        _buses = new MmioRegion[endBus - startBus + 1];
    }

    /// <summary>Where bus 0 of the segment would be.</summary>
    public ulong BaseAddress { get; }

    /// <summary>The segment served.</summary>
    public ushort Segment { get; }

    /// <summary>The first bus served.</summary>
    public byte StartBus { get; }

    /// <summary>The last bus served.</summary>
    public byte EndBus { get; }

    /// <summary>Buses whose window is mapped so far.</summary>
    public int MappedBuses
    {
        get
        {
            int mapped = 0;
            for (int i = 0; i < _buses.Length; i++)
            {
                if (_buses[i] != null)
                    mapped++;
            }
            return mapped;
        }
    }

    /// <summary>Whether address is in this segment and bus range.</summary>
    public bool Covers(PciAddress address) => address.Segment == Segment && address.Bus >= StartBus && address.Bus <= EndBus;

    /// <summary>Reads the byte at offset.</summary>
    public byte Read8(PciAddress address, int offset) => Window(address, offset, sizeof(byte), out uint at).Read8(at);

    /// <summary>Reads the 16-bit register at offset (even).</summary>
    public ushort Read16(PciAddress address, int offset) => Window(address, offset, sizeof(ushort), out uint at).Read16(at);

    /// <summary>Reads the 32-bit register at offset (a multiple of 4).</summary>
    public uint Read32(PciAddress address, int offset) => Window(address, offset, sizeof(uint), out uint at).Read32(at);

    /// <summary>Writes the 16-bit register at offset (even).</summary>
    public void Write16(PciAddress address, int offset, ushort value) => Window(address, offset, sizeof(ushort), out uint at).Write16(at, value);

    /// <summary>Writes the 32-bit register at offset (a multiple of 4).</summary>
    public void Write32(PciAddress address, int offset, uint value) => Window(address, offset, sizeof(uint), out uint at).Write32(at, value);

    // The bus's window (mapped now if this is its first access) and where the register is in it. A bad offset
    // or an address outside the range is a driver bug.
    private MmioRegion Window(PciAddress address, int offset, int width, out uint offsetInWindow)
    {
        string problem = PciConfigEncoding.OffsetProblem(offset, width, PciConfigEncoding.ExtendedSpaceBytes);
        if (problem != null)
            Panic.Halt("pci: " + address.ToString() + ": " + problem);
        if (!Covers(address))
            Panic.Halt("pci: " + address.ToString() + " is outside the ECAM range " + Describe());
        uint fromStart = PciConfigEncoding.EcamOffset(address, offset, StartBus);
        int index = (int)(fromStart / PciConfigEncoding.EcamBusBytes);
        offsetInWindow = fromStart % PciConfigEncoding.EcamBusBytes;
        MmioRegion window = _buses[index];
        if (window == null)
        {
            window = MmioRegion.Map(BaseAddress + (ulong)address.Bus * PciConfigEncoding.EcamBusBytes, PciConfigEncoding.EcamBusBytes);
            _buses[index] = window;
        }
        return window;
    }

    /// <summary>"at 0xb0000000 for buses 0-255" (and the segment when it is not 0).</summary>
    public string Describe() =>
        "at 0x" + BaseAddress.ToString("x") + " for " + (Segment != 0 ? "segment " + ((uint)Segment).ToString() + " " : "")
        + "buses " + ((uint)StartBus).ToString() + "-" + ((uint)EndBus).ToString();
}
