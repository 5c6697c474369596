// Reading a function's BARs and their sizes by the standard procedure (PCI Local Bus 3.0 §6.2.5.1): save the
// register, write all ones, read back which address bits stick (the size is the lowest one), restore. While a
// BAR holds all ones it would claim an address range it does not own, so memory and I/O decode are off in the
// command register for the whole function, and restored after; the host bridge keeps decoding (it may carry
// RAM accesses; Linux makes the same exception). Done once, at enumeration, before any driver owns the device:
// nothing may touch the function's windows meanwhile. Pure: works on any IPciConfigAccess.
using System.Collections.Generic;

namespace Kernel.Pci;

/// <summary>Finds the implemented BARs of a function and sizes them.</summary>
public static class PciBarSizing
{
    // BAR bits (§6.2.5.1): bit 0 set is an I/O BAR; a memory BAR's bits 2:1 are its type, bit 3 prefetchable.
    private const uint IoSpaceBit = 1u << 0;
    private const uint MemoryTypeMask = 3u << 1;
    private const uint MemoryType64 = 2u << 1;
    private const uint PrefetchableBit = 1u << 3;
    private const uint IoAddressMask = ~3u;
    private const uint MemoryAddressMask = ~0xFu;
    private const uint AllOnes = 0xFFFF_FFFF;
    private const uint CommandMask = 0xFFFF; // writing the status half as 0 leaves its write-1-to-clear bits alone

    /// <summary>
    /// The implemented BARs of the function at address with header type headerType (0 or 1; other types have
    /// none here), in register order. keepDecoding leaves the command register alone (the host bridge).
    /// Every BAR register and the command register hold their original values afterwards.
    /// </summary>
    public static PciBar[] Read(IPciConfigAccess access, PciAddress address, byte headerType, bool keepDecoding)
    {
        int count = PciHeader.BarCount(headerType);
        if (count == 0)
            return new PciBar[0];

        uint command = access.Read32(address, PciHeader.CommandStatusOffset) & CommandMask;
        uint decode = PciHeader.CommandIoSpace | PciHeader.CommandMemorySpace;
        bool toggle = !keepDecoding && (command & decode) != 0;
        if (toggle)
            access.Write32(address, PciHeader.CommandStatusOffset, command & ~decode);

        var bars = new List<PciBar>();
        for (int index = 0; index < count; index++)
        {
            int offset = PciHeader.FirstBarOffset + index * sizeof(uint);
            uint original = access.Read32(address, offset);
            uint sized = Probe(access, address, offset, original);
            bool io = (original & IoSpaceBit) != 0;
            if (io)
            {
                uint mask = sized & IoAddressMask;
                if (mask != 0)
                    bars.Add(new PciBar(index, original & IoAddressMask, LowestSetBit(mask), false, false, false));
                continue;
            }

            bool wide = (original & MemoryTypeMask) == MemoryType64;
            bool prefetchable = (original & PrefetchableBit) != 0;
            if (wide && index + 1 >= count)
                continue; // a 64-bit BAR in the last slot has no upper half: malformed, left alone
            ulong address64 = original & MemoryAddressMask;
            ulong mask64 = sized & MemoryAddressMask;
            if (wide)
            {
                int upperOffset = offset + sizeof(uint);
                uint upper = access.Read32(address, upperOffset);
                uint upperSized = Probe(access, address, upperOffset, upper);
                address64 |= (ulong)upper << 32;
                mask64 |= (ulong)upperSized << 32;
                index++; // the upper half is no BAR of its own
            }
            else if (mask64 != 0)
            {
                mask64 |= 0xFFFF_FFFF_0000_0000; // a 32-bit BAR's window ends below 4 GiB
            }
            if (mask64 != 0)
                bars.Add(new PciBar(wide ? index - 1 : index, address64, LowestSetBit(mask64), true, wide, prefetchable));
        }

        if (toggle)
            access.Write32(address, PciHeader.CommandStatusOffset, command);
        var result = new PciBar[bars.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = bars[i];
        return result;
    }

    // Writes all ones to the register, reads what stuck, puts the original back.
    private static uint Probe(IPciConfigAccess access, PciAddress address, int offset, uint original)
    {
        access.Write32(address, offset, AllOnes);
        uint sized = access.Read32(address, offset);
        access.Write32(address, offset, original);
        return sized;
    }

    private static ulong LowestSetBit(ulong mask) => mask & (~mask + 1);
}
