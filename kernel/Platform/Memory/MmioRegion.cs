// Device registers in memory space (an xAPIC page, an I/O APIC window, a PCIe configuration space, a USB host
// controller's BAR): mapped uncached in the kernel's MMIO window, reached only through this type, every access
// bounds-checked against the region and aligned to its width.
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Memory;

/// <summary>A block of memory-mapped device registers.</summary>
public sealed class MmioRegion
{
    private readonly ulong _virtualBase;

    private MmioRegion(ulong physicalAddress, ulong virtualBase, uint sizeInBytes)
    {
        PhysicalAddress = physicalAddress;
        _virtualBase = virtualBase;
        SizeInBytes = sizeInBytes;
    }

    /// <summary>Maps [physicalAddress, +sizeInBytes) uncached and returns the registers there.</summary>
    public static MmioRegion Map(ulong physicalAddress, uint sizeInBytes) =>
        new MmioRegion(physicalAddress, KernelAddressSpace.MapMmio(physicalAddress, sizeInBytes), sizeInBytes);

    /// <summary>Where the registers are in physical memory.</summary>
    public ulong PhysicalAddress { get; }

    /// <summary>The region's size.</summary>
    public uint SizeInBytes { get; }

    /// <summary>Reads the 8-bit register at offset.</summary>
    public byte Read8(uint offset)
    {
        Check(offset, sizeof(byte));
        return Native.MmioRead8(_virtualBase + offset);
    }

    /// <summary>Reads the 16-bit register at offset.</summary>
    public ushort Read16(uint offset)
    {
        Check(offset, sizeof(ushort));
        return Native.MmioRead16(_virtualBase + offset);
    }

    /// <summary>Writes the 16-bit register at offset.</summary>
    public void Write16(uint offset, ushort value)
    {
        Check(offset, sizeof(ushort));
        Native.MmioWrite16(_virtualBase + offset, value);
    }

    /// <summary>Reads the 32-bit register at offset.</summary>
    public uint Read32(uint offset)
    {
        Check(offset, sizeof(uint));
        return Native.MmioRead32(_virtualBase + offset);
    }

    /// <summary>Writes the 32-bit register at offset.</summary>
    public void Write32(uint offset, uint value)
    {
        Check(offset, sizeof(uint));
        Native.MmioWrite32(_virtualBase + offset, value);
    }

    // A register outside the region or split across two is a driver bug that would touch another device.
    private void Check(uint offset, uint width)
    {
        if ((offset & (width - 1)) != 0 || (ulong)offset + width > SizeInBytes)
            Panic.Halt("MMIO: register offset 0x" + offset.ToString("x") + " (width " + width.ToString() + ") is outside the "
                + SizeInBytes.ToString() + "-byte region at 0x" + PhysicalAddress.ToString("x"));
    }
}
