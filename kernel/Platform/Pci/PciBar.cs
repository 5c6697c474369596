// One implemented base address register (PCI Local Bus 3.0 §6.2.5.1): an I/O or memory window the function
// decodes, where it is and how big. A 64-bit memory BAR takes two register slots; Index is the first. Pure.
namespace Kernel.Pci;

/// <summary>A base address register the function implements, with its size.</summary>
public readonly struct PciBar
{
    private const ulong KiB = 1UL << 10;
    private const ulong MiB = 1UL << 20;
    private const ulong GiB = 1UL << 30;

    /// <summary>A BAR at register index (0-5, or 0-1 in a bridge), at address, of sizeInBytes.</summary>
    public PciBar(int index, ulong address, ulong sizeInBytes, bool isMemory, bool is64Bit, bool isPrefetchable)
    {
        Index = index;
        Address = address;
        Size = sizeInBytes;
        IsMemory = isMemory;
        Is64Bit = is64Bit;
        IsPrefetchable = isPrefetchable;
    }

    /// <summary>The register index (BAR n is at configuration offset 0x10 + 4n).</summary>
    public int Index { get; }

    /// <summary>The base address: a physical memory address, or an I/O port number. 0 when the firmware left it unassigned.</summary>
    public ulong Address { get; }

    /// <summary>The window's size in bytes, a power of two.</summary>
    public ulong Size { get; }

    /// <summary>Memory space (true) or I/O space (false).</summary>
    public bool IsMemory { get; }

    /// <summary>A 64-bit memory BAR: the next register holds the address's upper half.</summary>
    public bool Is64Bit { get; }

    /// <summary>A prefetchable memory BAR (reads have no side effects).</summary>
    public bool IsPrefetchable { get; }

    /// <summary>"bar0 mem 0xfebf1000 4 KiB", with " 64-bit" and " prefetchable" when they apply.</summary>
    public string Describe() =>
        "bar" + Index.ToString() + (IsMemory ? " mem 0x" : " io 0x") + Address.ToString("x") + " " + SizeText(Size)
        + (Is64Bit ? " 64-bit" : "") + (IsPrefetchable ? " prefetchable" : "");

    /// <summary>"4 KiB", "16 MiB", "32 B": the largest unit that divides the size.</summary>
    public static string SizeText(ulong sizeInBytes)
    {
        if (sizeInBytes >= GiB && sizeInBytes % GiB == 0)
            return (sizeInBytes / GiB).ToString() + " GiB";
        if (sizeInBytes >= MiB && sizeInBytes % MiB == 0)
            return (sizeInBytes / MiB).ToString() + " MiB";
        if (sizeInBytes >= KiB && sizeInBytes % KiB == 0)
            return (sizeInBytes / KiB).ToString() + " KiB";
        return sizeInBytes.ToString() + " B";
    }
}
