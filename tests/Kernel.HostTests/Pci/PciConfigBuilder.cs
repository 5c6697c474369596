// Synthetic configuration spaces for the enumeration tests: a header of either type, BARs with their sizing
// masks, capability chains laid out by hand (so loops and bad pointers can be built).
using System;
using Kernel.Pci;

namespace Kernel.HostTests.Pci;

public sealed class PciConfigBuilder
{
    private readonly byte[] _config = new byte[256];
    private readonly uint[] _barMasks = new uint[6];

    private PciConfigBuilder(ushort vendor, ushort device, byte classCode, byte subclass, byte progIf, byte headerType)
    {
        Put16(0x00, vendor);
        Put16(0x02, device);
        _config[0x09] = progIf;
        _config[0x0A] = subclass;
        _config[0x0B] = classCode;
        _config[0x0E] = headerType;
        Put16(0x04, PciHeader.CommandIoSpace | PciHeader.CommandMemorySpace);
    }

    /// <summary>A type 0 function.</summary>
    public static PciConfigBuilder Device(ushort vendor = 0x8086, ushort device = 0x1234, byte classCode = 0x02, byte subclass = 0x00, byte progIf = 0) =>
        new PciConfigBuilder(vendor, device, classCode, subclass, progIf, PciHeader.DeviceHeader);

    /// <summary>A PCI-to-PCI bridge from primary to secondary..subordinate.</summary>
    public static PciConfigBuilder Bridge(byte primary, byte secondary, byte subordinate)
    {
        var bridge = new PciConfigBuilder(0x8086, 0x244E, 0x06, 0x04, 0, PciHeader.BridgeHeader);
        bridge._config[0x18] = primary;
        bridge._config[0x19] = secondary;
        bridge._config[0x1A] = subordinate;
        return bridge;
    }

    /// <summary>A host bridge (class 0x0600), multi-function or not.</summary>
    public static PciConfigBuilder HostBridge(bool multiFunction = false)
    {
        var host = new PciConfigBuilder(0x8086, 0x29C0, 0x06, 0x00, 0, PciHeader.DeviceHeader);
        return multiFunction ? host.MultiFunction() : host;
    }

    public PciConfigBuilder MultiFunction()
    {
        _config[0x0E] |= PciHeader.MultiFunctionBit;
        return this;
    }

    public PciConfigBuilder Command(ushort command)
    {
        Put16(0x04, command);
        return this;
    }

    public PciConfigBuilder Status(ushort status)
    {
        Put16(0x06, status);
        return this;
    }

    public PciConfigBuilder Interrupt(byte line, byte pin)
    {
        _config[0x3C] = line;
        _config[0x3D] = pin;
        return this;
    }

    /// <summary>A 32-bit memory BAR of sizeInBytes at address in register index.</summary>
    public PciConfigBuilder MemoryBar32(int index, uint address, uint sizeInBytes, bool prefetchable = false)
    {
        uint flags = prefetchable ? 8u : 0u;
        Put32(0x10 + 4 * index, address | flags);
        _barMasks[index] = ~(sizeInBytes - 1) | flags;
        return this;
    }

    /// <summary>A 64-bit memory BAR of sizeInBytes at address in registers index and index + 1.</summary>
    public PciConfigBuilder MemoryBar64(int index, ulong address, ulong sizeInBytes, bool prefetchable = false)
    {
        uint flags = 4u | (prefetchable ? 8u : 0u);
        ulong mask = ~(sizeInBytes - 1);
        Put32(0x10 + 4 * index, (uint)address | flags);
        _barMasks[index] = ((uint)mask & ~0xFu) | flags;
        if (index + 1 < 6)
        {
            Put32(0x10 + 4 * (index + 1), (uint)(address >> 32));
            _barMasks[index + 1] = (uint)(mask >> 32);
        }
        return this;
    }

    /// <summary>An I/O BAR; decodes16 models a decoder whose upper 16 address bits read back 0.</summary>
    public PciConfigBuilder IoBar(int index, uint port, uint sizeInBytes, bool decodes16 = false)
    {
        Put32(0x10 + 4 * index, port | 1);
        uint mask = ~(sizeInBytes - 1) & ~3u;
        _barMasks[index] = (decodes16 ? mask & 0xFFFF : mask) | 1;
        return this;
    }

    /// <summary>Sets the capabilities pointer (and status bit 4).</summary>
    public PciConfigBuilder CapabilityPointer(byte pointer)
    {
        _config[0x06] |= (byte)PciHeader.StatusCapabilitiesList;
        _config[0x34] = pointer;
        return this;
    }

    /// <summary>A capability entry at offset: its ID and next pointer.</summary>
    public PciConfigBuilder Capability(int offset, byte id, byte next)
    {
        _config[offset] = id;
        _config[offset + 1] = next;
        return this;
    }

    /// <summary>Capabilities ids chained from 0x40 up in steps of 0x10, the list starting at the first.</summary>
    public PciConfigBuilder Capabilities(params byte[] ids)
    {
        CapabilityPointer(ids.Length == 0 ? (byte)0 : (byte)0x40);
        for (int i = 0; i < ids.Length; i++)
            Capability(0x40 + 0x10 * i, ids[i], i + 1 < ids.Length ? (byte)(0x50 + 0x10 * i) : (byte)0);
        return this;
    }

    public SimulatedFunction AddTo(SimulatedPciBus bus, int busNumber, int device, int function) =>
        bus.Add(busNumber, device, function, (byte[])_config.Clone(), (uint[])_barMasks.Clone());

    private void Put16(int offset, int value) => BitConverter.GetBytes((ushort)value).CopyTo(_config, offset);

    private void Put32(int offset, uint value) => BitConverter.GetBytes(value).CopyTo(_config, offset);
}
