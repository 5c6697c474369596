// Host tests of the outside page-table walker on a small synthetic table set (no boot).
using System;
using System.Collections.Generic;

namespace Kernel.BootTests.Paging;

/// <summary>The walker finds exactly the writable and executable pages of hand-built tables.</summary>
public sealed class PageTableWalkTests
{
    private const ulong P = 1, W = 2, Ps = 1UL << 7, Nx = 1UL << 63;
    private const ulong Pml4 = 0x1000, Pdpt = 0x2000, Pd = 0x3000, Pt = 0x4000, HighPdpt = 0x5000;

    private readonly byte[] _ram = new byte[0x10000];

    private void Set(ulong table, int index, ulong value) => BitConverter.TryWriteBytes(_ram.AsSpan((int)(table + (ulong)index * 8)), value);

    // Low half: PML4[0] -> PDPT[0] -> PD. PD[0] -> PT with 4 KiB pages; PD[1] a 2 MiB page. High half: PML4[511] ->
    // a PDPT with one 1 GiB page.
    private void BuildTables(ulong pdFlags)
    {
        Set(Pml4, 0, Pdpt | P | W);
        Set(Pdpt, 0, Pd | pdFlags);
        Set(Pd, 0, Pt | P | W);
        Set(Pt, 1, 0x10000 | P | W);          // 0x1000: W+X
        Set(Pt, 2, 0x11000 | P | W);          // 0x2000: W+X, merges with 0x1000
        Set(Pt, 3, 0x12000 | P | W | Nx);     // 0x3000: W, NX
        Set(Pt, 4, 0x13000 | P);              // 0x4000: R+X
        Set(Pt, 6, 0x14000 | P | W);          // 0x6000: W+X, not adjacent
        Set(Pd, 1, 0x200000 | P | W | Ps);    // 0x200000: 2 MiB W+X = 512 pages
        Set(Pml4, 511, HighPdpt | P | W);
        Set(HighPdpt, 511, 0x40000000 | P | W | Ps | Nx); // 0xFFFF_FFFF_C000_0000: 1 GiB W, NX
    }

    [Fact]
    public void FindsWritableExecutablePagesOfEverySizeAndMergesNeighbours()
    {
        BuildTables(P | W);
        List<WritableExecutableRange> ranges = new PageTableWalk(_ram, noExecuteEnabled: true, writeProtect: true).WritableExecutable(Pml4);
        Assert.Equal(new[]
        {
            new WritableExecutableRange(0x1000, 2),
            new WritableExecutableRange(0x6000, 1),
            new WritableExecutableRange(0x200000, 512),
        }, ranges);
    }

    [Fact]
    public void UpperLevelsLimitTheLeaf()
    {
        BuildTables(P | Nx);  // the PDPT entry forbids writing and executing its whole gigabyte
        var walk = new PageTableWalk(_ram, noExecuteEnabled: true, writeProtect: true);
        Assert.Empty(walk.WritableExecutable(Pml4));
        List<MappedPage> pages = walk.Pages(Pml4);
        Assert.Equal(7, pages.Count);
        Assert.Equal(0xFFFF_FFFF_C000_0000, pages[^1].VirtualAddress);
        Assert.Equal(1UL << 30, pages[^1].SizeInBytes);
        Assert.All(pages.GetRange(0, 6), page => Assert.False(page.Writable || page.Executable));
    }

    [Fact]
    public void WithoutWriteProtectOrNxEverythingCounts()
    {
        BuildTables(P | W);
        // Without NXE the NX page at 0x3000 executes; without WP the read-only page at 0x4000 is written.
        Assert.Contains(new WritableExecutableRange(0x1000, 3), new PageTableWalk(_ram, noExecuteEnabled: false, writeProtect: true).WritableExecutable(Pml4));
        List<WritableExecutableRange> noWriteProtect = new PageTableWalk(_ram, noExecuteEnabled: true, writeProtect: false).WritableExecutable(Pml4);
        Assert.Contains(new WritableExecutableRange(0x1000, 2), noWriteProtect);
        Assert.Contains(new WritableExecutableRange(0x4000, 1), noWriteProtect);
    }

    [Fact]
    public void TableOutsideTheDumpIsAnError()
    {
        Set(Pml4, 0, 0x7000_0000 | P | W);
        Assert.Throws<InvalidOperationException>(() => new PageTableWalk(_ram, true, true).Pages(Pml4));
    }
}
