// Tests for MemoryMap: descriptor layout and stride, sorting, accounting, and every validation error.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class MemoryMapTests
{
    private const ulong Page = 4096;
    private const ulong Wb = 0xF; // EFI_MEMORY_UC | WC | WT | WB
    private const ulong Runtime = 0x8000000000000000;

    /// <summary>Builds a GetMemoryMap-style buffer; padding and descriptor tails are filled with junk.</summary>
    private sealed class MapBuilder
    {
        private readonly List<(uint Type, ulong Start, ulong Pages, ulong Attribute)> _entries = new();

        public MapBuilder(int descriptorSize = 48) => DescriptorSize = descriptorSize;

        public int DescriptorSize { get; }

        public int Size => _entries.Count * DescriptorSize;

        public MapBuilder Add(MemoryType type, ulong start, ulong pages, ulong attribute = Wb) => AddRaw((uint)type, start, pages, attribute);

        public MapBuilder AddRaw(uint type, ulong start, ulong pages, ulong attribute = Wb)
        {
            _entries.Add((type, start, pages, attribute));
            return this;
        }

        public byte[] Build(int extraBytes = 0)
        {
            byte[] buffer = new byte[Size + extraBytes];
            Array.Fill(buffer, (byte)0xCC);
            for (int i = 0; i < _entries.Count; i++)
            {
                int at = i * DescriptorSize;
                BitConverter.GetBytes(_entries[i].Type).CopyTo(buffer, at);
                BitConverter.GetBytes(0xDEADBEEFCAFEF00DUL).CopyTo(buffer, at + 16); // VirtualStart is ignored
                BitConverter.GetBytes(_entries[i].Start).CopyTo(buffer, at + 8);
                BitConverter.GetBytes(_entries[i].Pages).CopyTo(buffer, at + 24);
                BitConverter.GetBytes(_entries[i].Attribute).CopyTo(buffer, at + 32);
            }

            return buffer;
        }

        public bool TryParse(out MemoryMap map, out MemoryMapError error)
            => MemoryMap.TryParse(Build(), Size, DescriptorSize, out map, out error);
    }

    private static MemoryMap ParseOk(MapBuilder builder)
    {
        bool ok = builder.TryParse(out MemoryMap map, out MemoryMapError error);
        Assert.True(ok, MemoryMap.Describe(error));
        Assert.Equal(MemoryMapErrorKind.None, error.Kind);
        return map;
    }

    private static MemoryMapError ParseError(MapBuilder builder)
    {
        Assert.False(builder.TryParse(out MemoryMap map, out MemoryMapError error));
        Assert.Null(map);
        return error;
    }

    [Theory]
    [InlineData(40)]
    [InlineData(48)]
    [InlineData(56)]
    public void ReadsDescriptorFieldsAtAnyDescriptorSize(int descriptorSize)
    {
        MemoryMap map = ParseOk(new MapBuilder(descriptorSize)
            .Add(MemoryType.Conventional, 0x100000, 0x700, Wb)
            .Add(MemoryType.RuntimeServicesData, 0x7F000000, 0x20, Runtime | Wb));

        Assert.Equal(2, map.Count);
        MemoryRegion first = map[0];
        Assert.Equal(MemoryType.Conventional, first.Type);
        Assert.Equal(7u, first.RawType);
        Assert.Equal(0x100000UL, first.PhysicalStart);
        Assert.Equal(0x700UL, first.PageCount);
        Assert.Equal(Wb, first.Attribute);
        Assert.Equal(0x700UL * Page, first.SizeInBytes);
        Assert.Equal(0x800000UL, first.EndExclusive);
        Assert.Equal(Runtime | Wb, map[1].Attribute);
        Assert.Equal(MemoryType.RuntimeServicesData, map[1].Type);
    }

    [Fact]
    public void SortsEntriesByAddressAndKeepsThemIntact()
    {
        MemoryMap map = ParseOk(new MapBuilder()
            .Add(MemoryType.LoaderData, 0x5000, 2)
            .Add(MemoryType.Conventional, 0x100000, 16)
            .Add(MemoryType.BootServicesCode, 0x0, 1)
            .Add(MemoryType.AcpiNvs, 0x2000, 3));

        Assert.Equal(new ulong[] { 0x0, 0x2000, 0x5000, 0x100000 }, Enumerable.Range(0, map.Count).Select(i => map[i].PhysicalStart));
        Assert.Equal(new[] { MemoryType.BootServicesCode, MemoryType.AcpiNvs, MemoryType.LoaderData, MemoryType.Conventional },
            Enumerable.Range(0, map.Count).Select(i => map[i].Type));
        Assert.Equal(new ulong[] { 1, 3, 2, 16 }, Enumerable.Range(0, map.Count).Select(i => map[i].PageCount));
    }

    [Fact]
    public void ParsesRealisticOvmfMap()
    {
        // Shaped like the map OVMF reports on QEMU q35 with 256 MiB, just before ExitBootServices.
        var entries = new (MemoryType Type, ulong Start, ulong Pages, ulong Attribute)[]
        {
            (MemoryType.BootServicesCode, 0x0000000000000000, 0x1, Wb),
            (MemoryType.Conventional, 0x0000000000001000, 0x9F, Wb),
            (MemoryType.Conventional, 0x0000000000100000, 0x700, Wb),
            (MemoryType.AcpiNvs, 0x0000000000800000, 0x8, Wb),
            (MemoryType.Conventional, 0x0000000000808000, 0x3, Wb),
            (MemoryType.AcpiNvs, 0x000000000080B000, 0x1, Wb),
            (MemoryType.Conventional, 0x000000000080C000, 0x4, Wb),
            (MemoryType.AcpiNvs, 0x0000000000810000, 0xF0, Wb),
            (MemoryType.BootServicesData, 0x0000000000900000, 0xC00, Wb),
            (MemoryType.Conventional, 0x0000000001500000, 0xB9E0, Wb),
            (MemoryType.LoaderCode, 0x000000000CEE0000, 0x120, Wb),
            (MemoryType.LoaderData, 0x000000000D000000, 0x400, Wb),
            (MemoryType.BootServicesData, 0x000000000D400000, 0x1800, Wb),
            (MemoryType.RuntimeServicesData, 0x000000000EC00000, 0x100, Runtime | Wb),
            (MemoryType.RuntimeServicesCode, 0x000000000ED00000, 0x100, Runtime | Wb),
            (MemoryType.Reserved, 0x000000000EE00000, 0x80, Wb),
            (MemoryType.BootServicesCode, 0x000000000EE80000, 0x1000, Wb),
            (MemoryType.AcpiReclaim, 0x000000000FE80000, 0x10, Wb),
            (MemoryType.AcpiNvs, 0x000000000FE90000, 0x60, Wb),
            (MemoryType.BootServicesData, 0x000000000FEF0000, 0x110, Wb),
            (MemoryType.Reserved, 0x00000000FEFFC000, 0x4, 0x1),
            (MemoryType.MemoryMappedIo, 0x00000000FFC00000, 0x400, Runtime | 0x1),
            (MemoryType.Reserved, 0x000000FD00000000, 0x300000, 0x0),
        };
        MapBuilder builder = new MapBuilder(48);
        foreach (var e in entries)
        {
            builder.Add(e.Type, e.Start, e.Pages, e.Attribute);
        }

        MemoryMap map = ParseOk(builder);

        ulong Bytes(params MemoryType[] types) => entries.Where(e => types.Contains(e.Type)).Aggregate(0UL, (sum, e) => sum + e.Pages * Page);
        Assert.Equal(entries.Length, map.Count);
        Assert.Equal(Bytes(MemoryType.Conventional), map.ConventionalBytes);
        Assert.Equal(Bytes(MemoryType.BootServicesCode, MemoryType.BootServicesData), map.BootServicesBytes);
        Assert.Equal(Bytes(MemoryType.LoaderCode, MemoryType.LoaderData), map.LoaderBytes);
        Assert.Equal(map.ConventionalBytes + map.BootServicesBytes, map.UsableBytes);
        Assert.Equal(entries.Aggregate(0UL, (sum, e) => sum + e.Pages * Page), map.TotalBytes);
        Assert.Equal(0x000000FD00000000UL + 0x300000UL * Page, map.HighestAddressExclusive);
        Assert.Equal(0x000000000FEF0000UL + 0x110UL * Page, map.HighestUsableAddressExclusive);
        Assert.Equal(0, map.SkippedEmptyEntries);
        Assert.Equal(0, map.UnknownTypeEntries);
        // About 240 MiB is free for the kernel after ExitBootServices.
        Assert.InRange(map.UsableBytes, 230UL << 20, 250UL << 20);
    }

    [Fact]
    public void SkipsAndCountsZeroLengthEntries()
    {
        MemoryMap map = ParseOk(new MapBuilder()
            .Add(MemoryType.Conventional, 0x1000, 1)
            .Add(MemoryType.Conventional, 0x1234, 0)
            .Add(MemoryType.LoaderData, 0x1000, 0)
            .Add(MemoryType.Conventional, 0x3000, 1));

        Assert.Equal(2, map.Count);
        Assert.Equal(2, map.SkippedEmptyEntries);
        Assert.Equal(2 * Page, map.ConventionalBytes);
    }

    [Fact]
    public void AdjacentRangesDoNotOverlap()
    {
        MemoryMap map = ParseOk(new MapBuilder()
            .Add(MemoryType.Conventional, 0x2000, 1)
            .Add(MemoryType.Conventional, 0x1000, 1)
            .Add(MemoryType.Reserved, 0x3000, 1));
        Assert.Equal(3, map.Count);
    }

    [Theory]
    [InlineData(0x1000UL, 4UL, 0x4000UL, 1UL, 0x4000UL)] // B starts inside A
    [InlineData(0x4000UL, 1UL, 0x1000UL, 4UL, 0x4000UL)] // A starts inside B
    [InlineData(0x1000UL, 1UL, 0x1000UL, 1UL, 0x1000UL)] // identical ranges
    [InlineData(0x0UL, 0x100UL, 0x10000UL, 0x1UL, 0x10000UL)] // B contained in A
    public void DetectsOverlapAndNamesBothEntries(ulong startA, ulong pagesA, ulong startB, ulong pagesB, ulong overlapAt)
    {
        MemoryMapError error = ParseError(new MapBuilder()
            .Add(MemoryType.Reserved, 0x200000, 1)
            .Add(MemoryType.Conventional, startA, pagesA)
            .Add(MemoryType.Reserved, 0x100000, 1)
            .Add(MemoryType.BootServicesData, startB, pagesB));

        Assert.Equal(MemoryMapErrorKind.Overlap, error.Kind);
        Assert.Equal(1, error.EntryIndex);
        Assert.Equal(3, error.OtherEntryIndex);
        Assert.Equal(overlapAt, error.Value);
    }

    [Fact]
    public void DetectsOverlapHiddenBehindContainedRegion()
    {
        // Entry 0 spans entries 1 and 2, which do not overlap each other.
        MemoryMapError error = ParseError(new MapBuilder()
            .Add(MemoryType.Reserved, 0x0, 0x100)
            .Add(MemoryType.Conventional, 0x10000, 1)
            .Add(MemoryType.Conventional, 0x20000, 1));
        Assert.Equal(MemoryMapErrorKind.Overlap, error.Kind);
        Assert.Equal((0, 1), (error.EntryIndex, error.OtherEntryIndex));
        Assert.Equal("memory map entry 0 overlaps entry 1 at 0x0000000000010000", MemoryMap.Describe(error));
    }

    [Theory]
    [InlineData(0x1001UL)]
    [InlineData(0x800UL)]
    [InlineData(0xFFFUL)]
    public void RejectsUnalignedStart(ulong start)
    {
        MemoryMapError error = ParseError(new MapBuilder()
            .Add(MemoryType.Conventional, 0x100000, 1)
            .Add(MemoryType.Conventional, start, 1));
        Assert.Equal(MemoryMapErrorKind.UnalignedStart, error.Kind);
        Assert.Equal(1, error.EntryIndex);
        Assert.Equal(start, error.Value);
    }

    [Theory]
    [InlineData(0x0UL, 0xFFFFFFFFFFFFFFFFUL)]
    [InlineData(0x0UL, 0x0010000000000001UL)]
    [InlineData(0xFFFFFFFFFFFFF000UL, 1UL)]
    [InlineData(0x0010000000000000UL, 1UL)]
    [InlineData(0x000FFFFFFFFFF000UL, 2UL)]
    [InlineData(0x1000UL, 0x000FFFFFFFFFFFFFUL)]
    public void RejectsRangesPastPhysicalAddressSpace(ulong start, ulong pages)
    {
        MemoryMapError error = ParseError(new MapBuilder().Add(MemoryType.Conventional, 0x0, 1).Add(MemoryType.Reserved, start, pages));
        Assert.Equal(MemoryMapErrorKind.RangeOverflow, error.Kind);
        Assert.Equal(1, error.EntryIndex);
        Assert.Equal(pages, error.Value);
    }

    [Fact]
    public void AcceptsRangeEndingExactlyAtPhysicalAddressLimit()
    {
        MemoryMap map = ParseOk(new MapBuilder().Add(MemoryType.Reserved, 0x000FFFFFFFFFF000, 1));
        Assert.Equal(MemoryMap.PhysicalAddressLimit, map.HighestAddressExclusive);
    }

    [Theory]
    [InlineData(39)]
    [InlineData(0)]
    [InlineData(-48)]
    public void RejectsDescriptorSizeBelowSpecMinimum(int descriptorSize)
    {
        Assert.False(MemoryMap.TryParse(new byte[480], 480, descriptorSize, out MemoryMap map, out MemoryMapError error));
        Assert.Null(map);
        Assert.Equal(MemoryMapErrorKind.DescriptorTooSmall, error.Kind);
    }

    [Theory]
    [InlineData(47)]
    [InlineData(49)]
    [InlineData(-48)]
    public void RejectsMapSizeThatIsNotWholeDescriptors(int mapSize)
    {
        Assert.False(MemoryMap.TryParse(new byte[480], mapSize, 48, out _, out MemoryMapError error));
        Assert.Equal(MemoryMapErrorKind.SizeNotMultipleOfDescriptor, error.Kind);
    }

    [Fact]
    public void RejectsMapSizeLargerThanBuffer()
    {
        MapBuilder builder = new MapBuilder(48).Add(MemoryType.Conventional, 0, 1).Add(MemoryType.Conventional, 0x1000, 1);
        byte[] buffer = builder.Build();
        Assert.False(MemoryMap.TryParse(buffer.AsSpan(0, buffer.Length - 1), builder.Size, 48, out _, out MemoryMapError error));
        Assert.Equal(MemoryMapErrorKind.BufferTooSmall, error.Kind);
        Assert.Equal((ulong)builder.Size, error.Value);
    }

    [Fact]
    public void IgnoresBufferBytesPastMapSize()
    {
        MapBuilder builder = new MapBuilder(48).Add(MemoryType.Conventional, 0, 1);
        Assert.True(MemoryMap.TryParse(builder.Build(extraBytes: 100), builder.Size, 48, out MemoryMap map, out _));
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void RejectsEmptyMap()
    {
        Assert.False(MemoryMap.TryParse(new byte[0], 0, 48, out _, out MemoryMapError error));
        Assert.Equal(MemoryMapErrorKind.Empty, error.Kind);

        MemoryMapError allEmpty = ParseError(new MapBuilder().Add(MemoryType.Conventional, 0, 0).Add(MemoryType.Conventional, 0x1000, 0));
        Assert.Equal(MemoryMapErrorKind.Empty, allEmpty.Kind);
    }

    [Fact]
    public void EnforcesEntryLimit()
    {
        MapBuilder atLimit = new MapBuilder(40);
        for (int i = 0; i < MemoryMap.MaxEntries; i++)
        {
            atLimit.Add(MemoryType.Conventional, (ulong)(MemoryMap.MaxEntries - i) * Page, 1);
        }

        MemoryMap map = ParseOk(atLimit);
        Assert.Equal(MemoryMap.MaxEntries, map.Count);
        for (int i = 1; i < map.Count; i++)
        {
            Assert.True(map[i - 1].PhysicalStart < map[i].PhysicalStart);
        }

        MemoryMapError error = ParseError(atLimit.Add(MemoryType.Conventional, 0x10000000, 1));
        Assert.Equal(MemoryMapErrorKind.TooManyEntries, error.Kind);
        Assert.Equal((ulong)MemoryMap.MaxEntries + 1, error.Value);
    }

    [Fact]
    public void CountsUndefinedTypesAndTreatsThemAsReserved()
    {
        MemoryMap map = ParseOk(new MapBuilder()
            .AddRaw(16, 0x0, 1)
            .AddRaw(0x6FFFFFFF, 0x1000, 1)
            .AddRaw(0x70000000, 0x2000, 1)
            .AddRaw(0x80000000, 0x3000, 1)
            .AddRaw(0xFFFFFFFF, 0x4000, 1)
            .Add(MemoryType.Unaccepted, 0x5000, 1));

        Assert.Equal(2, map.UnknownTypeEntries);
        Assert.Equal(MemoryType.Reserved, map[0].Type);
        Assert.Equal(16u, map[0].RawType);
        Assert.Equal(0x80000000u, map[3].RawType);
        Assert.Equal(MemoryType.Reserved, map[4].Type);
        Assert.Equal(MemoryType.Unaccepted, map[5].Type);
        Assert.Equal(0UL, map.UsableBytes);
        Assert.Equal(0UL, map.HighestUsableAddressExclusive);
        Assert.Equal(6 * Page, map.TotalBytes);
        Assert.Equal(new[] { "Unknown", "Unknown", "OemDefined", "OsvDefined", "OsvDefined", "Unaccepted" },
            Enumerable.Range(0, map.Count).Select(i => MemoryMap.RawTypeName(map[i].RawType)));
    }

    [Fact]
    public void IndexerOutOfRangeReturnsDefault()
    {
        MemoryMap map = ParseOk(new MapBuilder().Add(MemoryType.Conventional, 0x1000, 1));
        Assert.Equal(default(MemoryRegion), map[1]);
        Assert.Equal(default(MemoryRegion), map[-1]);
    }

    [Fact]
    public void TypeNameMatchesEveryEnumMember()
    {
        foreach (MemoryType type in Enum.GetValues<MemoryType>())
        {
            Assert.Equal(type.ToString(), MemoryMap.TypeName(type));
        }

        Assert.Equal(16, Enum.GetValues<MemoryType>().Length);
        Assert.Equal("Unknown", MemoryMap.TypeName((MemoryType)77));
    }

    [Fact]
    public void DescribesEachErrorWithItsDetail()
    {
        Assert.Equal("memory map ok", MemoryMap.Describe(default));
        Assert.Equal("memory map descriptor size 39 is below the minimum of 40 bytes",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.DescriptorTooSmall, -1, -1, 39)));
        Assert.Equal("memory map size 100 is not a whole number of descriptors",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.SizeNotMultipleOfDescriptor, -1, -1, 100)));
        Assert.Equal("memory map size 4800 exceeds the buffer holding it",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.BufferTooSmall, -1, -1, 4800)));
        Assert.Equal("memory map has no non-empty entries",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.Empty, -1, -1, 0)));
        Assert.Equal("memory map has 2000 entries, more than the limit of 1024",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.TooManyEntries, -1, -1, 2000)));
        Assert.Equal("memory map entry 7 starts at 0x0000000000101234, which is not 4 KiB aligned",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.UnalignedStart, 7, -1, 0x101234)));
        Assert.Equal("memory map entry 12 with 0xFFFFFFFFFFFFFFFF pages extends past the 52-bit physical address space",
            MemoryMap.Describe(new MemoryMapError(MemoryMapErrorKind.RangeOverflow, 12, -1, ulong.MaxValue)));
        Assert.Equal("unknown memory map error", MemoryMap.Describe(new MemoryMapError((MemoryMapErrorKind)99, 0, 0, 0)));
    }

    [Fact]
    public void ParsedErrorsDescribeTheOffendingEntry()
    {
        MemoryMapError error = ParseError(new MapBuilder()
            .Add(MemoryType.Conventional, 0x0, 1)
            .Add(MemoryType.Conventional, 0x1000, 1)
            .Add(MemoryType.Conventional, 0x2010, 1));
        Assert.Equal("memory map entry 2 starts at 0x0000000000002010, which is not 4 KiB aligned", MemoryMap.Describe(error));
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void NoBufferMakesTheParserThrow()
    {
        Gen.Select(Gen.Byte.Array[0, 400], Gen.Int[-8, 420], Gen.Int[-4, 90]).ForAll((buffer, mapSize, descriptorSize) =>
        {
            bool ok = MemoryMap.TryParse(buffer, mapSize, descriptorSize, out MemoryMap map, out MemoryMapError error);

            Assert.Equal(ok, map != null);
            Assert.Equal(ok, error.Kind == MemoryMapErrorKind.None);
            Assert.True(Enum.IsDefined(error.Kind));
            if (!ok)
                Assert.NotNull(MemoryMap.Describe(error));
        }, iterations: 1000, print: t => $"map size {t.Item2}, descriptor size {t.Item3}, buffer {Convert.ToHexString(t.Item1)}");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void DisjointRegionsInAnyOrderParseBackSortedAndCounted()
    {
        // Regions laid out upwards with gaps, then given to the parser in a generated order (sorted by random keys).
        Gen<(uint Type, ulong GapPages, ulong Pages, int Key)> region =
            Gen.Select(Gen.UInt[0, 14], Gen.ULong[0, 1 << 20], Gen.ULong[1, 1 << 20], Gen.Int);
        Gen.Select(region.Array[1, 60], Gen.Int[MemoryMap.MinDescriptorSize, 96]).ForAll((regions, descriptorSize) =>
        {
            var laidOut = new List<(uint Type, ulong Start, ulong Pages, int Key)>();
            ulong next = 0;
            foreach ((uint type, ulong gap, ulong pages, int key) in regions)
            {
                ulong start = next + gap * Page;
                laidOut.Add((type, start, pages, key));
                next = start + pages * Page;
            }
            var builder = new MapBuilder(descriptorSize);
            foreach (var r in laidOut.OrderBy(r => r.Key))
                builder.AddRaw(r.Type, r.Start, r.Pages);

            MemoryMap map = ParseOk(builder);

            Assert.Equal(laidOut.Count, map.Count);
            for (int i = 0; i < laidOut.Count; i++)
                Assert.Equal((laidOut[i].Type, laidOut[i].Start, laidOut[i].Pages), (map[i].RawType, map[i].PhysicalStart, map[i].PageCount));
            Assert.Equal(laidOut.Sum(r => (decimal)r.Pages * Page), map.TotalBytes);
            Assert.Equal(next, map.HighestAddressExclusive);
        }, print: t => $"descriptor size {t.Item2}, regions (type, gap pages, pages, order key) [{string.Join(", ", t.Item1)}]");
    }
}
