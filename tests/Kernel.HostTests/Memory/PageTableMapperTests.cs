// Tests for PageTableMapper on simulated RAM: map / translate / unmap / change flags for every page size, every
// refusal, what the raw entries look like, how many table frames are used, and a randomized run against a model.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class PageTableMapperTests
{
    private const ulong KiB4 = 1UL << 12;
    private const ulong MiB2 = 1UL << 21;
    private const ulong GiB1 = 1UL << 30;

    // Written out here rather than taken from PageTableEntry, so a wrong mask in the kernel shows up.
    private const ulong AddressBits = 0x000F_FFFF_FFFF_F000;
    private const ulong PresentBit = 1UL << 0;
    private const ulong WritableBit = 1UL << 1;
    private const ulong UserBit = 1UL << 2;
    private const ulong HugeBit = 1UL << 7;
    private const ulong NoExecuteBit = 1UL << 63;

    private readonly SimulatedPhysicalMemory _ram = new(8 << 20);
    private readonly RecordingTranslationCache _tlb = new();
    private readonly ulong _root;
    private readonly PageTableMapper _mapper;

    public PageTableMapperTests()
    {
        _root = _ram.CreateRoot();
        _mapper = new PageTableMapper(_root, _ram, _ram, _tlb);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static int Index(ulong virtualAddress, int level) => (int)((virtualAddress >> (12 + 9 * (level - 1))) & 511);

    private static int LevelOf(PageSize size) => size switch
    {
        PageSize.Size4KiB => 1,
        PageSize.Size2MiB => 2,
        _ => 3,
    };

    /// <summary>The raw entry for virtualAddress at level (4 = PML4 .. 1 = PT), walked by the test itself.</summary>
    private ulong RawEntry(ulong virtualAddress, int level)
    {
        ulong table = _root;
        for (int l = 4; l > level; l--)
        {
            ulong entry = _ram.Entry(table, Index(virtualAddress, l));
            Assert.True((entry & PresentBit) != 0, $"level {l} entry for 0x{virtualAddress:X} is not present");
            Assert.True((entry & HugeBit) == 0, $"level {l} entry for 0x{virtualAddress:X} is a huge page");
            table = entry & AddressBits;
        }

        return _ram.Entry(table, Index(virtualAddress, level));
    }

    /// <summary>The table that holds the level-`level` entry for virtualAddress.</summary>
    private ulong TableAt(ulong virtualAddress, int level)
    {
        ulong table = _root;
        for (int l = 4; l > level; l--)
            table = _ram.Entry(table, Index(virtualAddress, l)) & AddressBits;
        return table;
    }

    private (ulong Physical, PageFlags Flags, PageSize Size) TranslateOk(ulong virtualAddress)
    {
        Assert.True(_mapper.Translate(virtualAddress, out ulong physical, out PageFlags flags, out PageSize size),
            $"0x{virtualAddress:X} does not translate");
        return (physical, flags, size);
    }

    private void AssertNotTranslated(ulong virtualAddress)
    {
        Assert.False(_mapper.Translate(virtualAddress, out ulong physical, out PageFlags flags, out PageSize size),
            $"0x{virtualAddress:X} unexpectedly translates to 0x{physical:X}");
        Assert.Equal(0UL, physical);
        Assert.Equal(PageFlags.None, flags);
    }

    /// <summary>Every present non-leaf entry reachable from the root points at a frame the mapper was given.</summary>
    private void AssertTablesWellFormed()
    {
        var handedOut = new HashSet<ulong>(_ram.HandedOut);
        var seen = new HashSet<ulong>();

        void Visit(ulong table, int level)
        {
            Assert.True(seen.Add(table), $"table 0x{table:X} is linked twice");
            for (int i = 0; i < 512; i++)
            {
                ulong entry = _ram.Entry(table, i);
                if ((entry & PresentBit) == 0)
                {
                    Assert.Equal(0UL, entry);
                    continue;
                }

                if (level == 1 || (level <= 3 && (entry & HugeBit) != 0))
                    continue;
                ulong next = entry & AddressBits;
                Assert.Contains(next, handedOut);
                Visit(next, level - 1);
            }
        }

        Visit(_root, 4);
        Assert.Equal((ulong)seen.Count - 1, _mapper.TableFrames);
    }

    // ---- map / translate / unmap round trips --------------------------------------------------------------------

    [Fact]
    public void MapsAndTranslatesA4KiBPage()
    {
        const ulong va = 0x0000_0040_1234_5000;
        const ulong pa = 0x0000_0000_7654_3000;

        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable | PageFlags.NoExecute));

        var (physical, flags, size) = TranslateOk(va + 0x9AB);
        Assert.Equal(pa + 0x9AB, physical);
        Assert.Equal(PageSize.Size4KiB, size);
        Assert.Equal(PageFlags.Present | PageFlags.Writable | PageFlags.NoExecute, flags);
        AssertNotTranslated(va + KiB4);
        AssertNotTranslated(va - KiB4);
        Assert.Empty(_tlb.Invalidated); // a new mapping needs no invalidation
    }

    [Theory]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0000_1000UL, 0x0000_0000_0000_3000UL)]
    [InlineData(PageSize.Size4KiB, 0xFFFF_8000_0000_0000UL, 0x000F_FFFF_FFFF_F000UL)]
    [InlineData(PageSize.Size2MiB, 0x0000_0000_4020_0000UL, 0x0000_0001_0060_0000UL)]
    [InlineData(PageSize.Size2MiB, 0xFFFF_8000_0000_0000UL, 0x000F_FFFF_FFE0_0000UL)]
    [InlineData(PageSize.Size1GiB, 0x0000_0080_4000_0000UL, 0x0000_0003_C000_0000UL)]
    [InlineData(PageSize.Size1GiB, 0xFFFF_FFFF_C000_0000UL, 0x000F_FFFF_C000_0000UL)]
    public void TranslatesEveryOffsetInsideAPageToBasePlusOffset(PageSize size, ulong va, ulong pa)
    {
        ulong bytes = (ulong)size;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable, size));

        foreach (ulong offset in new[] { 0UL, 1UL, 0xFFFUL, 0x1000UL, bytes / 2 + 0x123, bytes - 1 })
        {
            if (offset >= bytes)
                continue;
            var (physical, _, actualSize) = TranslateOk(va + offset);
            Assert.Equal(pa + offset, physical);
            Assert.Equal(size, actualSize);
        }

        if (va + bytes != 0)
            AssertNotTranslated(va + bytes);
        if (va != 0 && PageTableMapper.IsCanonical(va - 1))
            AssertNotTranslated(va - 1);
    }

    [Theory]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0020_3000UL, 0x0000_0000_0040_5000UL)]
    [InlineData(PageSize.Size2MiB, 0xFFFF_8000_0020_0000UL, 0x0000_0000_8000_0000UL)]
    [InlineData(PageSize.Size1GiB, 0xFFFF_8000_4000_0000UL, 0x0000_0040_0000_0000UL)]
    public void UnmapReturnsTheFrameAndSizeAndForgetsTheMapping(PageSize size, ulong va, ulong pa)
    {
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable | PageFlags.NoExecute, size));

        Assert.Equal(MapResult.Ok, _mapper.Unmap(va, out ulong physical, out PageSize unmappedSize));

        Assert.Equal(pa, physical);
        Assert.Equal(size, unmappedSize);
        AssertNotTranslated(va);
        AssertNotTranslated(va + (ulong)size - 1);
        Assert.Equal(0UL, RawEntry(va, LevelOf(size)));
        Assert.Equal(new[] { va }, _tlb.Invalidated);
    }

    [Fact]
    public void PageZeroCanBeMappedAndUnmapped()
    {
        Assert.Equal(MapResult.Ok, _mapper.Map(0, 0x5000, PageFlags.None));
        Assert.Equal(0x5010UL, TranslateOk(0x10).Physical);
        Assert.Equal(MapResult.Ok, _mapper.Unmap(0, out ulong physical, out _));
        Assert.Equal(0x5000UL, physical);
        AssertNotTranslated(0);
    }

    // ---- flags ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(PageFlags.None)]
    [InlineData(PageFlags.Writable)]
    [InlineData(PageFlags.NoExecute)]
    [InlineData(PageFlags.User)]
    [InlineData(PageFlags.Global)]
    [InlineData(PageFlags.WriteThrough)]
    [InlineData(PageFlags.CacheDisable)]
    [InlineData(PageFlags.Writable | PageFlags.NoExecute | PageFlags.User | PageFlags.Global | PageFlags.WriteThrough)]
    [InlineData(PageFlags.Present | PageFlags.Writable)]
    public void SmallPageFlagsComeBackWithPresentImplied(PageFlags flags)
    {
        const ulong va = 0xFFFF_8000_0123_4000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x0000_0001_2345_6000, flags));

        Assert.Equal(flags | PageFlags.Present, TranslateOk(va).Flags);
        ulong raw = RawEntry(va, 1);
        Assert.Equal(0x0000_0001_2345_6000UL | (ulong)flags | PresentBit, raw);
        Assert.Equal(0UL, raw & HugeBit); // bit 7 of a PT entry is PAT, not "huge"
    }

    [Theory]
    [InlineData(PageSize.Size2MiB, PageFlags.None)]
    [InlineData(PageSize.Size2MiB, PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global)]
    [InlineData(PageSize.Size2MiB, PageFlags.User | PageFlags.WriteThrough)]
    [InlineData(PageSize.Size1GiB, PageFlags.None)]
    [InlineData(PageSize.Size1GiB, PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global | PageFlags.CacheDisable)]
    public void HugePageFlagsComeBackWithPresentAndHuge(PageSize size, PageFlags flags)
    {
        const ulong va = 0xFFFF_8000_4000_0000;
        const ulong pa = 0x0000_0002_0000_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, flags, size));

        Assert.Equal(flags | PageFlags.Present | PageFlags.Huge, TranslateOk(va + 0x1234).Flags);
        Assert.Equal(pa | (ulong)flags | PresentBit | HugeBit, RawEntry(va, LevelOf(size)));
    }

    [Fact]
    public void CodeAndDataPagesKeepWriteXorExecute()
    {
        const ulong code = 0xFFFF_FFFF_8000_0000;
        const ulong data = 0xFFFF_FFFF_8000_1000;
        Assert.Equal(MapResult.Ok, _mapper.Map(code, 0x0020_0000, PageFlags.None));                              // RX
        Assert.Equal(MapResult.Ok, _mapper.Map(data, 0x0020_1000, PageFlags.Writable | PageFlags.NoExecute));    // RW, NX

        PageFlags codeFlags = TranslateOk(code).Flags;
        PageFlags dataFlags = TranslateOk(data).Flags;
        Assert.False(codeFlags.HasFlag(PageFlags.Writable));
        Assert.False(codeFlags.HasFlag(PageFlags.NoExecute));
        Assert.True(dataFlags.HasFlag(PageFlags.Writable));
        Assert.True(dataFlags.HasFlag(PageFlags.NoExecute));

        ulong rawCode = RawEntry(code, 1);
        ulong rawData = RawEntry(data, 1);
        Assert.Equal(0UL, rawCode & (WritableBit | NoExecuteBit));
        Assert.Equal(WritableBit | NoExecuteBit, rawData & (WritableBit | NoExecuteBit));
        // Both share one PT, reached through tables that restrict nothing.
        Assert.Equal(TableAt(code, 1), TableAt(data, 1));
    }

    // ---- refusals ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(PageSize.Size4KiB)]
    [InlineData(PageSize.Size2MiB)]
    [InlineData(PageSize.Size1GiB)]
    public void MapRefusesToOverwriteAnExistingMapping(PageSize size)
    {
        const ulong va = 0x0000_0040_0000_0000;
        ulong first = 4 * (ulong)size;
        ulong second = 8 * (ulong)size;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, first, PageFlags.Writable, size));
        ulong raw = RawEntry(va, LevelOf(size));
        ulong tables = _mapper.TableFrames;

        Assert.Equal(MapResult.AlreadyMapped, _mapper.Map(va, second, PageFlags.NoExecute, size));

        Assert.Equal(raw, RawEntry(va, LevelOf(size)));
        var (physical, flags, actualSize) = TranslateOk(va);
        Assert.Equal(first, physical);
        Assert.Equal(size, actualSize);
        Assert.True(flags.HasFlag(PageFlags.Writable));
        Assert.False(flags.HasFlag(PageFlags.NoExecute));
        Assert.Equal(tables, _mapper.TableFrames);
        Assert.Empty(_tlb.Invalidated);
    }

    [Theory]
    [InlineData(PageSize.Size2MiB)]
    [InlineData(PageSize.Size1GiB)]
    public void MapOfAHugePageOverSmallerPagesIsRefusedAndKeepsThem(PageSize size)
    {
        const ulong hugeVa = 0x0000_0000_4000_0000; // 1 GiB aligned
        const ulong smallVa = hugeVa + 0x3000;
        Assert.Equal(MapResult.Ok, _mapper.Map(smallVa, 0x9000, PageFlags.Writable));

        Assert.Equal(MapResult.AlreadyMapped, _mapper.Map(hugeVa, 0x4000_0000, PageFlags.Writable, size));

        Assert.Equal(0x9000UL, TranslateOk(smallVa).Physical);
        AssertNotTranslated(hugeVa);
    }

    [Theory]
    [InlineData(PageSize.Size2MiB, PageSize.Size4KiB, 0x0000UL)]
    [InlineData(PageSize.Size2MiB, PageSize.Size4KiB, 0x5000UL)]
    [InlineData(PageSize.Size2MiB, PageSize.Size4KiB, 0x1F_F000UL)]
    [InlineData(PageSize.Size1GiB, PageSize.Size4KiB, 0x1234_5000UL)]
    [InlineData(PageSize.Size1GiB, PageSize.Size2MiB, 0x0000_0000UL)]
    [InlineData(PageSize.Size1GiB, PageSize.Size2MiB, 0x3FE0_0000UL)]
    public void SmallerMapInsideAHugePageReportsHugePageInTheWay(PageSize huge, PageSize small, ulong offset)
    {
        const ulong va = 0xFFFF_8000_C000_0000; // 1 GiB aligned
        const ulong pa = 0x0000_0001_0000_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable, huge));
        ulong tables = _mapper.TableFrames;
        int handedOut = _ram.FramesHandedOut;

        Assert.Equal(MapResult.HugePageInTheWay, _mapper.Map(va + offset, 0x7000_0000, PageFlags.None, small));

        var (physical, _, size) = TranslateOk(va + offset);
        Assert.Equal(pa + offset, physical);
        Assert.Equal(huge, size);
        Assert.Equal(tables, _mapper.TableFrames);
        Assert.Equal(handedOut, _ram.FramesHandedOut);
    }

    [Theory]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0000_1001UL, 0x0000_0000_0000_2000UL)]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0000_1800UL, 0x0000_0000_0000_2000UL)]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0000_1000UL, 0x0000_0000_0000_2008UL)]
    [InlineData(PageSize.Size2MiB, 0x0000_0000_0020_1000UL, 0x0000_0000_0040_0000UL)]
    [InlineData(PageSize.Size2MiB, 0x0000_0000_0020_0000UL, 0x0000_0000_0040_1000UL)]
    [InlineData(PageSize.Size2MiB, 0x0000_0000_0030_0000UL, 0x0000_0000_0040_0000UL)]
    [InlineData(PageSize.Size1GiB, 0x0000_0000_4020_0000UL, 0x0000_0000_8000_0000UL)]
    [InlineData(PageSize.Size1GiB, 0x0000_0000_4000_0000UL, 0x0000_0000_8020_0000UL)]
    [InlineData(PageSize.Size4KiB, 0x0000_0000_0000_1000UL, 0x0010_0000_0000_0000UL)] // beyond 52 physical bits
    [InlineData(PageSize.Size2MiB, 0x0000_0000_0020_0000UL, 0x8000_0000_0000_0000UL)]
    [InlineData(PageSize.Size4KiB, 0x0000_8000_0000_0001UL, 0x0000_0000_0000_2000UL)] // misaligned wins over non-canonical
    public void MisalignedAddressesAreRefusedBeforeAnyTableIsBuilt(PageSize size, ulong va, ulong pa)
    {
        Assert.Equal(MapResult.Misaligned, _mapper.Map(va, pa, PageFlags.Writable, size));

        Assert.True(_ram.IsZeroTable(_root));
        Assert.Equal(0, _ram.FramesHandedOut);
        Assert.Equal(0UL, _mapper.TableFrames);
    }

    [Theory]
    [InlineData(0x0000_8000_0000_0000UL)]
    [InlineData(0x0000_8000_0000_1000UL)]
    [InlineData(0x0001_0000_0000_0000UL)]
    [InlineData(0x7FFF_FFFF_FFFF_F000UL)]
    [InlineData(0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFF_7FFF_FFFF_F000UL)]
    [InlineData(0xFFFE_8000_0000_0000UL)]
    public void NonCanonicalAddressesAreRefusedByEveryOperation(ulong va)
    {
        Assert.Equal(MapResult.NonCanonical, _mapper.Map(va, 0x2000, PageFlags.Writable));
        Assert.Equal(MapResult.NonCanonical, _mapper.Unmap(va, out _, out _));
        Assert.Equal(MapResult.NonCanonical, _mapper.UpdateFlags(va, PageFlags.Writable));
        AssertNotTranslated(va);

        Assert.True(_ram.IsZeroTable(_root));
        Assert.Equal(0, _ram.FramesHandedOut);
        Assert.Empty(_tlb.Invalidated);
    }

    [Theory]
    [InlineData(PageSize.Size2MiB, 0x0000_8000_0000_0000UL)]
    [InlineData(PageSize.Size1GiB, 0xFFFF_0000_0000_0000UL)]
    public void NonCanonicalHugePagesAreRefused(PageSize size, ulong va)
    {
        Assert.Equal(MapResult.NonCanonical, _mapper.Map(va, 0, PageFlags.Writable, size));
        Assert.True(_ram.IsZeroTable(_root));
    }

    [Theory]
    [InlineData(0x0000_0000_0000_0000UL, true)]
    [InlineData(0x0000_0000_0000_1000UL, true)]
    [InlineData(0x0000_7FFF_FFFF_FFFFUL, true)]
    [InlineData(0x0000_8000_0000_0000UL, false)]
    [InlineData(0x0000_FFFF_FFFF_FFFFUL, false)]
    [InlineData(0x0001_0000_0000_0000UL, false)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFUL, false)]
    [InlineData(0x8000_0000_0000_0000UL, false)]
    [InlineData(0xFFFF_0000_0000_0000UL, false)]
    [InlineData(0xFFFF_7FFF_FFFF_FFFFUL, false)]
    [InlineData(0xFFFF_8000_0000_0000UL, true)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData(0xFFFE_FFFF_FFFF_FFFFUL, false)]
    public void IsCanonicalRequiresBits63To47ToBeEqual(ulong address, bool canonical)
    {
        Assert.Equal(canonical, PageTableMapper.IsCanonical(address));
    }

    [Fact]
    public void NonCanonicalAliasOfAMappedPageDoesNotTranslate()
    {
        // 0x0001_0000_0000_1000 has the same table indices as 0x1000; only the sign extension differs.
        Assert.Equal(MapResult.Ok, _mapper.Map(0x1000, 0x8000, PageFlags.Writable));

        AssertNotTranslated(0x0001_0000_0000_1000);
        AssertNotTranslated(0xFFFF_0000_0000_1000);
        Assert.Equal(MapResult.NonCanonical, _mapper.Unmap(0x0001_0000_0000_1000, out _, out _));
        Assert.Equal(0x8000UL, TranslateOk(0x1000).Physical);
    }

    // ---- running out of frames ----------------------------------------------------------------------------------

    [Theory]
    [InlineData(PageSize.Size4KiB, 0)]
    [InlineData(PageSize.Size4KiB, 1)]
    [InlineData(PageSize.Size4KiB, 2)]
    [InlineData(PageSize.Size2MiB, 0)]
    [InlineData(PageSize.Size2MiB, 1)]
    [InlineData(PageSize.Size1GiB, 0)]
    public void RunningOutOfFramesLeavesNoHalfWrittenEntry(PageSize size, int framesAvailable)
    {
        const ulong va = 0xFFFF_8000_0000_0000;
        const ulong pa = 0x0000_0000_4000_0000;
        int needed = 4 - LevelOf(size);
        _ram.RunOutAfter(framesAvailable);

        Assert.Equal(MapResult.OutOfFrames, _mapper.Map(va, pa, PageFlags.Writable, size));

        AssertNotTranslated(va);
        Assert.Equal((ulong)framesAvailable, _mapper.TableFrames);
        Assert.Equal(framesAvailable, _ram.FramesHandedOut);
        Assert.Equal(1, _ram.RefusedRequests);
        AssertTablesWellFormed(); // no entry points at a garbage frame, the tables that exist are clean

        // With frames again the same map succeeds and reuses the tables already built.
        _ram.Refill();
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable, size));
        Assert.Equal(pa + 0x10, TranslateOk(va + 0x10).Physical);
        Assert.Equal((ulong)needed, _mapper.TableFrames);
        Assert.Equal(needed, _ram.FramesHandedOut);
        AssertTablesWellFormed();
    }

    [Fact]
    public void RunningOutOfFramesDoesNotDisturbExistingMappings()
    {
        Assert.Equal(MapResult.Ok, _mapper.Map(0x1000, 0x3000, PageFlags.Writable));
        _ram.RunOut();

        Assert.Equal(MapResult.OutOfFrames, _mapper.Map(0xFFFF_8000_0000_0000, 0x4000, PageFlags.Writable));
        // A page in the existing PT needs no new table, so it still works.
        Assert.Equal(MapResult.Ok, _mapper.Map(0x2000, 0x5000, PageFlags.Writable));

        Assert.Equal(0x3000UL, TranslateOk(0x1000).Physical);
        Assert.Equal(0x5000UL, TranslateOk(0x2000).Physical);
        Assert.Equal(0UL, _ram.Entry(_root, 256));
    }

    // ---- unmap and flag changes ---------------------------------------------------------------------------------

    [Fact]
    public void UnmapInvalidatesTheTlbEntryAndASecondUnmapFindsNothing()
    {
        const ulong va = 0xFFFF_FF00_0000_5000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x1_2345_6000, PageFlags.Writable | PageFlags.NoExecute));

        Assert.Equal(MapResult.Ok, _mapper.Unmap(va, out ulong physical, out PageSize size));
        Assert.Equal(0x1_2345_6000UL, physical);
        Assert.Equal(PageSize.Size4KiB, size);
        Assert.Equal(new[] { va }, _tlb.Invalidated);

        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(va, out physical, out _));
        Assert.Equal(0UL, physical);
        Assert.Equal(new[] { va }, _tlb.Invalidated);
    }

    [Fact]
    public void UnmapOfAnAddressNeverMappedReportsNotMappedAndChangesNothing()
    {
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(0x0000_0040_0000_0000, out _, out _)); // empty PML4

        Assert.Equal(MapResult.Ok, _mapper.Map(0x0000_0040_0000_0000, 0x7000, PageFlags.None));
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(0x0000_0040_0000_1000, out _, out _));  // same PT, empty slot
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(0x0000_0040_0020_0000, out _, out _));  // same PD, no PT
        Assert.Equal(MapResult.NotMapped, _mapper.Unmap(0x0000_0040_4000_0000, out _, out _));  // same PDPT, no PD

        Assert.Empty(_tlb.Invalidated);
        Assert.Equal(0x7000UL, TranslateOk(0x0000_0040_0000_0000).Physical);
    }

    [Fact]
    public void UnmapLeavesNeighbouringPagesMapped()
    {
        for (ulong i = 0; i < 4; i++)
            Assert.Equal(MapResult.Ok, _mapper.Map(0x40_0000 + i * KiB4, 0x80_0000 + i * KiB4, PageFlags.Writable));

        Assert.Equal(MapResult.Ok, _mapper.Unmap(0x40_1000, out _, out _));

        Assert.Equal(0x80_0000UL, TranslateOk(0x40_0000).Physical);
        AssertNotTranslated(0x40_1000);
        Assert.Equal(0x80_2000UL, TranslateOk(0x40_2000).Physical);
        Assert.Equal(0x80_3000UL, TranslateOk(0x40_3000).Physical);
    }

    [Fact]
    public void UnmapThroughAnAddressInsideAHugePageRemovesTheWholePage()
    {
        const ulong va = 0xFFFF_8000_0040_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x1_0000_0000, PageFlags.Writable, PageSize.Size2MiB));

        Assert.Equal(MapResult.Ok, _mapper.Unmap(va + 0x12_3000, out ulong physical, out PageSize size));

        Assert.Equal(0x1_0000_0000UL, physical);
        Assert.Equal(PageSize.Size2MiB, size);
        AssertNotTranslated(va);
        Assert.Equal(new[] { va + 0x12_3000 }, _tlb.Invalidated); // invlpg of any address in the page drops it
    }

    [Fact]
    public void UpdateFlagsKeepsTheFrameReplacesTheFlagsAndInvalidates()
    {
        const ulong va = 0x0000_0000_0060_7000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x3_0000_0000, PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global));

        Assert.Equal(MapResult.Ok, _mapper.UpdateFlags(va, PageFlags.NoExecute));

        var (physical, flags, size) = TranslateOk(va + 0x42);
        Assert.Equal(0x3_0000_0042UL, physical);
        Assert.Equal(PageFlags.Present | PageFlags.NoExecute, flags);
        Assert.Equal(PageSize.Size4KiB, size);
        Assert.Equal(0x3_0000_0000UL | PresentBit | NoExecuteBit, RawEntry(va, 1));
        Assert.Equal(new[] { va }, _tlb.Invalidated);
    }

    [Theory]
    [InlineData(PageSize.Size2MiB)]
    [InlineData(PageSize.Size1GiB)]
    public void UpdateFlagsOnAHugePageKeepsItHuge(PageSize size)
    {
        const ulong va = 0xFFFF_8000_8000_0000;
        const ulong pa = 0x0000_0010_0000_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable | PageFlags.NoExecute, size));

        Assert.Equal(MapResult.Ok, _mapper.UpdateFlags(va, PageFlags.Global));

        var (physical, flags, actualSize) = TranslateOk(va + 0x1_5000);
        Assert.Equal(pa + 0x1_5000, physical);
        Assert.Equal(size, actualSize);
        Assert.Equal(PageFlags.Present | PageFlags.Huge | PageFlags.Global, flags);
        Assert.Equal(new[] { va }, _tlb.Invalidated);
    }

    [Fact]
    public void UpdateFlagsOfAnUnmappedPageReportsNotMapped()
    {
        Assert.Equal(MapResult.NotMapped, _mapper.UpdateFlags(0x5000, PageFlags.Writable));
        Assert.Equal(MapResult.Ok, _mapper.Map(0x5000, 0x9000, PageFlags.None));
        Assert.Equal(MapResult.NotMapped, _mapper.UpdateFlags(0x6000, PageFlags.Writable));

        Assert.Empty(_tlb.Invalidated);
        Assert.Equal(PageFlags.Present, TranslateOk(0x5000).Flags);
        AssertNotTranslated(0x6000);
    }

    [Fact]
    public void LargePatOnAHugePageStaysAFlag()
    {
        const ulong va = 0x0000_0000_4000_0000;
        const ulong pa = 0x0000_0000_8000_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, PageFlags.Writable | PageFlags.LargePat, PageSize.Size2MiB));

        Assert.True(TranslateOk(va).Flags.HasFlag(PageFlags.LargePat));
        Assert.Equal(MapResult.Ok, _mapper.UpdateFlags(va, PageFlags.Writable));
        Assert.Equal(0UL, RawEntry(va, 2) & (1UL << 12));
        Assert.Equal(MapResult.Ok, _mapper.Unmap(va, out ulong physical, out _));
        Assert.Equal(pa, physical);
    }

    // ---- table structure --------------------------------------------------------------------------------------

    [Fact]
    public void IntermediateTablesArePresentAndWritableWithoutNoExecute()
    {
        const ulong va = 0xFFFF_8000_1234_5000;
        const ulong pa = 0x0000_0000_00AB_C000;
        PageFlags leaf = PageFlags.Writable | PageFlags.NoExecute | PageFlags.Global | PageFlags.User;

        Assert.Equal(MapResult.Ok, _mapper.Map(va, pa, leaf));

        Assert.Equal(3, _ram.FramesHandedOut);
        ulong pdpt = _ram.HandedOut[0], pd = _ram.HandedOut[1], pt = _ram.HandedOut[2];
        Assert.Equal(pdpt | PresentBit | WritableBit, _ram.Entry(_root, Index(va, 4)));
        Assert.Equal(pd | PresentBit | WritableBit, _ram.Entry(pdpt, Index(va, 3)));
        Assert.Equal(pt | PresentBit | WritableBit, _ram.Entry(pd, Index(va, 2)));
        Assert.Equal(pa | (ulong)leaf | PresentBit, _ram.Entry(pt, Index(va, 1)));
    }

    [Fact]
    public void NewTablesAreClearedOfWhateverTheFrameHeld()
    {
        // The frame source fills every frame with garbage that looks like present entries.
        const ulong va = 0x0000_0000_0040_0000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x1000, PageFlags.Writable));

        foreach (ulong table in _ram.HandedOut)
            Assert.Equal(1, Enumerable.Range(0, 512).Count(i => _ram.Entry(table, i) != 0));
        AssertNotTranslated(va + KiB4);
        AssertNotTranslated(va + MiB2);
        AssertNotTranslated(va + GiB1);
        AssertTablesWellFormed();
    }

    [Fact]
    public void TableFramesCountsOnlyTheTablesThatHadToBeCreated()
    {
        Assert.Equal(0UL, _mapper.TableFrames);

        Assert.Equal(MapResult.Ok, _mapper.Map(0x0000_0000_0040_0000, 0x1000, PageFlags.None));
        Assert.Equal(3UL, _mapper.TableFrames);            // PDPT, PD, PT
        Assert.Equal(MapResult.Ok, _mapper.Map(0x0000_0000_0040_1000, 0x2000, PageFlags.None));
        Assert.Equal(3UL, _mapper.TableFrames);            // same PT
        Assert.Equal(MapResult.Ok, _mapper.Map(0x0000_0000_0060_0000, 0x3000, PageFlags.None));
        Assert.Equal(4UL, _mapper.TableFrames);            // next 2 MiB: new PT
        Assert.Equal(MapResult.Ok, _mapper.Map(0x0000_0000_4000_0000, 0x4000, PageFlags.None));
        Assert.Equal(6UL, _mapper.TableFrames);            // next 1 GiB: new PD and PT
        Assert.Equal(MapResult.Ok, _mapper.Map(0xFFFF_8000_0000_0000, 0x5000, PageFlags.None));
        Assert.Equal(9UL, _mapper.TableFrames);            // another PML4 slot: three new tables
        Assert.Equal(MapResult.Ok, _mapper.Map(0xFFFF_8000_0020_0000, 0x20_0000, PageFlags.None, PageSize.Size2MiB));
        Assert.Equal(9UL, _mapper.TableFrames);            // a 2 MiB page in an existing PD needs none
        Assert.Equal(MapResult.Ok, _mapper.Map(0xFFFF_9000_0000_0000, 0x20_0000, PageFlags.None, PageSize.Size2MiB));
        Assert.Equal(11UL, _mapper.TableFrames);           // fresh slot: PDPT and PD
        Assert.Equal(MapResult.Ok, _mapper.Map(0xFFFF_A000_0000_0000, 0x4000_0000, PageFlags.None, PageSize.Size1GiB));
        Assert.Equal(12UL, _mapper.TableFrames);           // fresh slot: PDPT only

        // Unmapping frees no tables, so the count stays.
        Assert.Equal(MapResult.Ok, _mapper.Unmap(0x0000_0000_0040_0000, out _, out _));
        Assert.Equal(12UL, _mapper.TableFrames);
        Assert.Equal(12, _ram.FramesHandedOut);
        AssertTablesWellFormed();
    }

    [Fact]
    public void LowAndHigherHalfUseDifferentPml4Slots()
    {
        const ulong low = 0x0000_0000_0000_1000;
        const ulong high = 0xFFFF_8000_0000_1000;
        Assert.Equal(MapResult.Ok, _mapper.Map(low, 0x11000, PageFlags.Writable));
        Assert.Equal(MapResult.Ok, _mapper.Map(high, 0x22000, PageFlags.Writable | PageFlags.NoExecute));

        Assert.Equal(0x11000UL, TranslateOk(low).Physical);
        Assert.Equal(0x22000UL, TranslateOk(high).Physical);
        ulong slot0 = _ram.Entry(_root, 0);
        ulong slot256 = _ram.Entry(_root, 256);
        Assert.NotEqual(0UL, slot0 & PresentBit);
        Assert.NotEqual(0UL, slot256 & PresentBit);
        Assert.NotEqual(slot0 & AddressBits, slot256 & AddressBits);
        Assert.Equal(2, Enumerable.Range(0, 512).Count(i => _ram.Entry(_root, i) != 0));
        Assert.Equal(6UL, _mapper.TableFrames);

        Assert.Equal(MapResult.Ok, _mapper.Unmap(low, out _, out _));
        Assert.Equal(0x22000UL, TranslateOk(high).Physical);
    }

    [Fact]
    public void TopOfTheAddressSpaceUsesTheLastSlotAtEveryLevel()
    {
        const ulong va = 0xFFFF_FFFF_FFFF_F000;
        Assert.Equal(MapResult.Ok, _mapper.Map(va, 0x7_7777_7000, PageFlags.Writable));

        Assert.Equal(0x7_7777_7FFFUL, TranslateOk(ulong.MaxValue).Physical);
        Assert.NotEqual(0UL, _ram.Entry(_root, 511));
        Assert.Equal(1, Enumerable.Range(0, 512).Count(i => _ram.Entry(_root, i) != 0));
        Assert.NotEqual(0UL, RawEntry(va, 3) & PresentBit);
        Assert.Equal(511, Index(va, 3));
        Assert.Equal(0x7_7777_7000UL | PresentBit | WritableBit, _ram.Entry(TableAt(va, 1), 511));
    }

    [Fact]
    public void DescribeNamesEveryResult()
    {
        var texts = Enum.GetValues<MapResult>().Select(PageTableMapper.Describe).ToList();
        Assert.DoesNotContain("unknown mapping error", texts);
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Equal("unknown mapping error", PageTableMapper.Describe((MapResult)999));
    }

    // ---- model-based --------------------------------------------------------------------------------------------

    /// <summary>Windows of 1536 pages (6 MiB: three PTs each); two straddle a PML4 boundary or the end of a half.</summary>
    private static readonly ulong[] Windows =
    {
        0x0000_0000_0000_0000,
        0x0000_007F_FFE0_0000, // crosses PML4 slot 0 -> 1
        0x0000_7FFF_FFA0_0000, // the top of the lower half
        0xFFFF_8000_0000_0000,
        0xFFFF_FFFF_FFA0_0000, // the top of the address space
    };

    private const int PagesPerWindow = 1536;

    /// <summary>One step of a generated mapping workload on the page at Window + Page * 4 KiB.</summary>
    public sealed record MapperStep(char Kind, int Window, int Page, ulong Physical, PageFlags Flags)
    {
        public ulong VirtualAddress => Windows[Window] + (ulong)Page * KiB4;

        public override string ToString() => Kind switch
        {
            'M' => $"Map(0x{VirtualAddress:X} -> 0x{Physical:X}, {Flags})",
            'U' => $"Unmap(0x{VirtualAddress:X})",
            'F' => $"UpdateFlags(0x{VirtualAddress:X}, {Flags})",
            _ => $"Translate(0x{VirtualAddress:X})",
        };
    }

    private static readonly Gen<PageFlags> AnyFlags = Gen.Int[0, 63].Select(bits =>
    {
        PageFlags[] choices = { PageFlags.Writable, PageFlags.User, PageFlags.WriteThrough, PageFlags.CacheDisable, PageFlags.Global, PageFlags.NoExecute };
        PageFlags flags = PageFlags.None;
        for (int i = 0; i < choices.Length; i++)
        {
            if ((bits & (1 << i)) != 0)
                flags |= choices[i];
        }
        return flags;
    });

    private static readonly Gen<MapperStep> AnyStep = Gen.Select(
        Gen.Frequency((45, Gen.Const('M')), (30, Gen.Const('U')), (15, Gen.Const('F')), (10, Gen.Const('T'))),
        Gen.Int[0, Windows.Length - 1], Gen.Int[0, PagesPerWindow - 1], Gen.ULong[0, (1UL << 28) - 1], AnyFlags,
        (kind, window, page, frame, flags) => new MapperStep(kind, window, page, frame * KiB4, flags));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MapsUnmapsAndFlagUpdatesAgreeWithADictionaryModel()
    {
        // Pages drawn from a few windows, so that steps hit the same pages and tables again.
        AnyStep.Array[1, 300].ForAll(steps => new PageTableMapperTests().Replay(steps), iterations: 40,
            print: steps => steps.Length + " steps:\n  " + string.Join("\n  ", steps.AsEnumerable()));
    }

    /// <summary>Runs steps on this instance's fresh mapper and a dictionary model, comparing after every step.</summary>
    private void Replay(MapperStep[] steps)
    {
        var model = new Dictionary<ulong, (ulong Physical, PageFlags Flags)>();
        int expectedInvalidations = 0;

        void Check(ulong va, string step)
        {
            ulong offset = (va >> 12) * 97 % 4096;
            bool mapped = _mapper.Translate(va + offset, out ulong physical, out PageFlags flags, out PageSize size);
            if (model.TryGetValue(va, out var expected))
            {
                Assert.True(mapped, $"{step}: 0x{va:X} should be mapped");
                Assert.Equal(expected.Physical + offset, physical);
                Assert.Equal(expected.Flags | PageFlags.Present, flags);
                Assert.Equal(PageSize.Size4KiB, size);
            }
            else
            {
                Assert.False(mapped, $"{step}: 0x{va:X} should not be mapped");
            }
        }

        for (int index = 0; index < steps.Length; index++)
        {
            MapperStep step = steps[index];
            ulong va = step.VirtualAddress;
            string what = $"step {index}: {step}";
            if (step.Kind == 'M')
            {
                MapResult result = _mapper.Map(va, step.Physical, step.Flags);
                if (model.ContainsKey(va))
                {
                    Assert.Equal(MapResult.AlreadyMapped, result);
                }
                else
                {
                    Assert.Equal(MapResult.Ok, result);
                    model[va] = (step.Physical, step.Flags);
                }
            }
            else if (step.Kind == 'U')
            {
                MapResult result = _mapper.Unmap(va, out ulong physical, out PageSize size);
                if (model.Remove(va, out var expected))
                {
                    Assert.Equal(MapResult.Ok, result);
                    Assert.Equal(expected.Physical, physical);
                    Assert.Equal(PageSize.Size4KiB, size);
                    expectedInvalidations++;
                    Assert.Equal(va, _tlb.Invalidated[^1]);
                }
                else
                {
                    Assert.Equal(MapResult.NotMapped, result);
                }
            }
            else if (step.Kind == 'F')
            {
                MapResult result = _mapper.UpdateFlags(va, step.Flags);
                if (model.TryGetValue(va, out var expected))
                {
                    Assert.Equal(MapResult.Ok, result);
                    model[va] = (expected.Physical, step.Flags);
                    expectedInvalidations++;
                    Assert.Equal(va, _tlb.Invalidated[^1]);
                }
                else
                {
                    Assert.Equal(MapResult.NotMapped, result);
                }
            }

            Assert.Equal(expectedInvalidations, _tlb.Invalidated.Count);
            Check(va, what);
            foreach (ulong mapped in model.Keys)
                Check(mapped, what);
        }

        Assert.Equal((ulong)_ram.FramesHandedOut, _mapper.TableFrames);
        AssertTablesWellFormed();
        foreach (ulong window in Windows)
        {
            for (ulong page = 0; page < PagesPerWindow; page++)
                Check(window + page * KiB4, "final sweep");
        }
    }
}
