// An I/O APIC (Intel 82093AA datasheet §3; ACPI MADT gives its address and first GSI): routes global system
// interrupts to local APICs through redirection entries. Everything starts masked; drivers unmask what they use.
using Kernel.Memory;

namespace Kernel.Interrupts;

/// <summary>One I/O APIC.</summary>
public sealed class IoApic
{
    // The register window is 0x20 bytes (IOREGSEL at 0x00, IOWIN at 0x10); everything else is reached through it.
    private const uint WindowBytes = 0x20;
    private const uint RegisterSelect = 0x00;
    private const uint RegisterWindow = 0x10;
    private const uint VersionRegister = 0x01;
    private const uint RedirectionTableBase = 0x10;

    // Redirection entry low dword (§3.2.4).
    private const uint Masked = 1u << 16;
    private const uint LevelTriggered = 1u << 15;
    private const uint ActiveLow = 1u << 13;
    private const uint DeliverNmi = 0b100u << 8;
    private const int DestinationShift = 56 - 32;

    private readonly MmioRegion _mmio;

    /// <summary>Maps the I/O APIC's registers (uncached) and masks every entry.</summary>
    public IoApic(byte id, ulong physicalAddress, uint gsiBase)
    {
        Id = id;
        GsiBase = gsiBase;
        _mmio = MmioRegion.Map(physicalAddress, WindowBytes);
        EntryCount = (int)((Read(VersionRegister) >> 16) & 0xFF) + 1;
        for (int i = 0; i < EntryCount; i++)
            WriteEntry(i, Masked, 0);
    }

    /// <summary>The I/O APIC's ID.</summary>
    public byte Id { get; }

    /// <summary>The first GSI this I/O APIC handles.</summary>
    public uint GsiBase { get; }

    /// <summary>Number of redirection entries (inputs).</summary>
    public int EntryCount { get; }

    /// <summary>Whether gsi is one of this I/O APIC's inputs.</summary>
    public bool Handles(uint gsi) => gsi >= GsiBase && gsi < GsiBase + (uint)EntryCount;

    /// <summary>Routes gsi to vector on the CPU with APIC ID destination, unmasked, with the given polarity and trigger.</summary>
    public void Route(uint gsi, int vector, bool activeLow, bool levelTriggered, uint destination)
    {
        uint low = (uint)vector | (activeLow ? ActiveLow : 0) | (levelTriggered ? LevelTriggered : 0);
        WriteEntry((int)(gsi - GsiBase), low, destination << DestinationShift);
    }

    /// <summary>
    /// Makes gsi deliver an NMI to the CPU with APIC ID destination (an MADT NMI source). Edge-triggered whatever the
    /// MADT says: the I/O APIC treats NMI delivery as edge and wants the entry programmed so (82093AA datasheet §3.2.4).
    /// </summary>
    public void RouteNmi(uint gsi, bool activeLow, uint destination)
    {
        uint low = DeliverNmi | (activeLow ? ActiveLow : 0);
        WriteEntry((int)(gsi - GsiBase), low, destination << DestinationShift);
    }

    /// <summary>Masks gsi.</summary>
    public void Mask(uint gsi) => WriteEntry((int)(gsi - GsiBase), Masked, 0);

    private void WriteEntry(int index, uint low, uint high)
    {
        // Mask first so a half-written entry never fires.
        Write(RedirectionTableBase + 2 * (uint)index, Masked);
        Write(RedirectionTableBase + 2 * (uint)index + 1, high);
        Write(RedirectionTableBase + 2 * (uint)index, low);
    }

    private uint Read(uint register)
    {
        _mmio.Write32(RegisterSelect, register);
        return _mmio.Read32(RegisterWindow);
    }

    private void Write(uint register, uint value)
    {
        _mmio.Write32(RegisterSelect, register);
        _mmio.Write32(RegisterWindow, value);
    }
}
