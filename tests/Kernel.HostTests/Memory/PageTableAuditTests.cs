// Tests for PageTableAudit on simulated RAM: effective rights over all levels, large pages, merging, the kept ranges.
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class PageTableAuditTests
{
    private const ulong Page = 4096;
    private const PageFlags W = PageFlags.Writable;
    private const PageFlags Nx = PageFlags.NoExecute;

    private readonly SimulatedPhysicalMemory _ram = new(8 << 20);
    private readonly PageTableMapper _mapper;

    public PageTableAuditTests() => _mapper = new PageTableMapper(_ram.CreateRoot(), _ram, _ram, new RecordingTranslationCache());

    [Fact]
    public void CountsWritableExecutablePagesOfEverySizeAndMergesNeighbours()
    {
        Assert.Equal(MapResult.Ok, _mapper.Map(0x1000, 0x1000, W));
        Assert.Equal(MapResult.Ok, _mapper.Map(0x2000, 0x2000, W));
        Assert.Equal(MapResult.Ok, _mapper.Map(0x3000, 0x3000, W | Nx));
        Assert.Equal(MapResult.Ok, _mapper.Map(0x4000, 0x4000, PageFlags.None));
        Assert.Equal(MapResult.Ok, _mapper.Map(0x20_0000, 0x20_0000, W, PageSize.Size2MiB));
        Assert.Equal(MapResult.Ok, _mapper.Map(0xFFFF_8000_4000_0000, 0x4000_0000, W, PageSize.Size1GiB));

        PageTableAudit audit = PageTableAudit.Run(_ram, _mapper.Root, noExecuteEnabled: true, keepRanges: 2);
        Assert.Equal(2 + 512 + 262144UL, audit.WritableExecutablePages);
        Assert.Equal(3, audit.Ranges);
        Assert.Equal(2, audit.KeptRanges);
        Assert.Equal("0x1000 +2 pages", audit.Range(0).ToString());
        Assert.Equal("0x200000 +512 pages", audit.Range(1).ToString());
    }

    [Fact]
    public void AnUpperLevelWithoutWriteOrWithNxProtectsEverythingBelow()
    {
        Assert.Equal(MapResult.Ok, _mapper.Map(0x1000, 0x1000, W));
        ulong pml4 = _mapper.Root;
        _ram.Table(pml4)[0] &= ~(ulong)W;
        Assert.Equal(0UL, PageTableAudit.Run(_ram, pml4, true, 1).WritableExecutablePages);
        _ram.Table(pml4)[0] |= (ulong)(W | Nx);
        Assert.Equal(0UL, PageTableAudit.Run(_ram, pml4, true, 1).WritableExecutablePages);
        Assert.Equal(1UL, PageTableAudit.Run(_ram, pml4, noExecuteEnabled: false, 1).WritableExecutablePages);
    }
}
