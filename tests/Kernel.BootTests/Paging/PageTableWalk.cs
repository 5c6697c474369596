// An outside reading of x86-64 4-level page tables (Intel SDM Vol. 3A §4.5): the host walks a dump of the guest's
// RAM from its CR3 and finds pages a supervisor may both write and execute. Written apart from the kernel's own
// mapper and self-check on purpose, so that a claim about the kernel's tables is checked by other code.
using System;
using System.Collections.Generic;

namespace Kernel.BootTests.Paging;

/// <summary>One mapped page (4 KiB, 2 MiB or 1 GiB) with its effective supervisor rights over all four levels.</summary>
public readonly record struct MappedPage(ulong VirtualAddress, ulong PhysicalAddress, ulong SizeInBytes, bool Writable, bool Executable);

/// <summary>A run of virtually contiguous pages that are writable and executable.</summary>
public readonly record struct WritableExecutableRange(ulong VirtualStart, ulong Pages4KiB)
{
    /// <inheritdoc />
    public override string ToString() => "0x" + VirtualStart.ToString("x") + " +" + Pages4KiB + " pages";
}

/// <summary>Walks 4-level page tables held in a byte array that stands for physical memory from address 0.</summary>
public sealed class PageTableWalk
{
    private const ulong Present = 1UL << 0;
    private const ulong Writable = 1UL << 1;
    private const ulong PageSizeBit = 1UL << 7;
    private const ulong NoExecute = 1UL << 63;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    private const int EntriesPerTable = 512;

    private readonly byte[] _ram;
    private readonly bool _noExecuteEnabled;
    private readonly bool _writeProtect;

    /// <summary>
    /// Reads tables from <paramref name="ram"/>. <paramref name="noExecuteEnabled"/> is EFER.NXE (without it bit 63
    /// grants nothing); <paramref name="writeProtect"/> is CR0.WP (without it a supervisor writes read-only pages).
    /// </summary>
    public PageTableWalk(byte[] ram, bool noExecuteEnabled, bool writeProtect)
    {
        _ram = ram;
        _noExecuteEnabled = noExecuteEnabled;
        _writeProtect = writeProtect;
    }

    /// <summary>Every present leaf under the PML4 at <paramref name="cr3"/>, in ascending virtual order.</summary>
    public List<MappedPage> Pages(ulong cr3)
    {
        var pages = new List<MappedPage>();
        Walk(cr3 & AddressMask, 4, 0, writable: true, executable: true, pages);
        return pages;
    }

    /// <summary>The pages of <see cref="Pages"/> that are both writable and executable, merged into virtual ranges.</summary>
    public List<WritableExecutableRange> WritableExecutable(ulong cr3)
    {
        var ranges = new List<WritableExecutableRange>();
        foreach (MappedPage page in Pages(cr3))
        {
            if (!page.Writable || !page.Executable)
                continue;
            ulong count = page.SizeInBytes / 4096;
            if (ranges.Count > 0)
            {
                WritableExecutableRange last = ranges[^1];
                if (last.VirtualStart + last.Pages4KiB * 4096 == page.VirtualAddress)
                {
                    ranges[^1] = last with { Pages4KiB = last.Pages4KiB + count };
                    continue;
                }
            }
            ranges.Add(new WritableExecutableRange(page.VirtualAddress, count));
        }
        return ranges;
    }

    private void Walk(ulong table, int level, ulong virtualBase, bool writable, bool executable, List<MappedPage> pages)
    {
        int shift = 12 + 9 * (level - 1);
        for (int i = 0; i < EntriesPerTable; i++)
        {
            ulong entry = ReadEntry(table, i);
            if ((entry & Present) == 0)
                continue;
            ulong address = virtualBase | ((ulong)i << shift);
            if (level == 4 && i >= 256)
                address |= 0xFFFF_0000_0000_0000; // bits 63..48 copy bit 47 (canonical form)
            bool w = writable && ((entry & Writable) != 0 || !_writeProtect);
            bool x = executable && (!_noExecuteEnabled || (entry & NoExecute) == 0);
            bool leaf = level == 1 || ((level == 2 || level == 3) && (entry & PageSizeBit) != 0);
            if (leaf)
            {
                ulong size = 1UL << shift;
                pages.Add(new MappedPage(address, entry & AddressMask & ~(size - 1), size, w, x));
            }
            else
            {
                Walk(entry & AddressMask, level - 1, address, w, x, pages);
            }
        }
    }

    private ulong ReadEntry(ulong table, int index)
    {
        ulong offset = table + (ulong)index * 8;
        if (offset + 8 > (ulong)_ram.Length)
            throw new InvalidOperationException("page table at 0x" + table.ToString("x") + " lies outside the " + (_ram.Length >> 20) + " MiB dump");
        return BitConverter.ToUInt64(_ram, (int)offset);
    }
}
