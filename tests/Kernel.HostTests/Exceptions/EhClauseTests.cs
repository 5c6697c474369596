// The EH clause decoder: on the clause tables of two methods of the built kernel, cross-checked against the .pdata
// entries of their funclets, and on hand-encoded tables and numbers.
using System.Collections.Generic;
using Kernel.Diagnostics;
using Kernel.Exceptions;
using Xunit;

namespace Kernel.HostTests.Exceptions;

public sealed class EhClauseTests
{
    // RVA of System.Exception's MethodTable in the image the data came from (link map: ??_7Corelib_System_Exception@@6B@).
    private const uint ExceptionMethodTableRva = 0x43a8;

    [Fact]
    public void GoldenFinallyClausePointsAtTheFinallyFunclet()
    {
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.KernelHeapAllocateTable, ImageUnwindData.KernelHeapAllocateEntries);
        List<EhClause> clauses = Decode(image, table);
        RuntimeFunction method = table.At(image, 0);
        EhClause clause = Assert.Single(clauses);
        Assert.Equal(EhClauseKind.Fault, clause.Kind);
        Assert.True(clause.TryStart < clause.TryEnd && clause.TryEnd <= method.End - method.Begin, "the try lies in the method body");
        Assert.Equal(table.At(image, 1).Begin - method.Begin, clause.HandlerOffset);
    }

    [Fact]
    public void GoldenFiltersAndCatchesMatchTheSource()
    {
        // FiltersDecideInTheFirstPass: try { try { try {...} finally {...} } catch when (no) catch when (throws)
        // catch when (yes) } catch (Exception): innermost first.
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.FiltersDecideInTheFirstPassTable, ImageUnwindData.FiltersDecideInTheFirstPassEntries);
        List<EhClause> clauses = Decode(image, table);
        RuntimeFunction method = table.At(image, 0);
        Assert.Equal(new[] { EhClauseKind.Fault, EhClauseKind.Filter, EhClauseKind.Filter, EhClauseKind.Filter, EhClauseKind.Typed },
            clauses.ConvertAll(c => c.Kind).ToArray());
        Assert.True(clauses[1].SameTry(clauses[2]) && clauses[2].SameTry(clauses[3]), "the three filters guard one try");
        Assert.True(clauses[4].TryStart <= clauses[1].TryStart && clauses[4].TryEnd >= clauses[1].TryEnd, "the outer try encloses the inner");
        Assert.Equal(ExceptionMethodTableRva, clauses[4].TypeRva);
        var funclets = new Dictionary<uint, FunctionKind>();
        for (int i = 1; i < table.Count; i++)
        {
            RuntimeFunction funclet = table.At(image, i);
            UnwindRecord.TryReadManaged(image, funclet.UnwindRva, out UnwindRecord record);
            funclets[funclet.Begin - method.Begin] = record.Kind;
        }
        foreach (EhClause clause in clauses)
        {
            Assert.Equal(FunctionKind.Handler, funclets[clause.HandlerOffset]);
            if (clause.Kind == EhClauseKind.Filter)
                Assert.Equal(FunctionKind.Filter, funclets[clause.FilterOffset]);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u, 1)]
    [InlineData(new byte[] { 0xFE }, 127u, 1)]
    [InlineData(new byte[] { 0x01, 0x02 }, 128u, 2)]
    [InlineData(new byte[] { 0xFD, 0xFF }, 16383u, 2)]
    [InlineData(new byte[] { 0x03, 0x00, 0x01 }, 1u << 13, 3)]
    [InlineData(new byte[] { 0x07, 0x00, 0x00, 0x01 }, 1u << 20, 4)]
    [InlineData(new byte[] { 0x0F, 0x78, 0x56, 0x34, 0x12 }, 0x12345678u, 5)]
    public void UnsignedNumbersUseTheLowBitsForTheirLength(byte[] encoded, uint value, int length)
    {
        uint at = 0;
        Assert.True(EhClauseReader.ReadUnsigned(encoded, ref at, out uint decoded));
        Assert.Equal(value, decoded);
        Assert.Equal((uint)length, at);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x0F, 0x78, 0x56 })]
    [InlineData(new byte[0])]
    public void MalformedNumbersAreRefused(byte[] encoded)
    {
        uint at = 0;
        Assert.False(EhClauseReader.ReadUnsigned(encoded, ref at, out _));
    }

    [Fact]
    public void SyntheticTableHasEveryKind()
    {
        // 3 clauses: typed [4, 20) -> 0x40 type 0x1234; finally [4, 30) -> 0x50; filter [2, 200) -> 0x60 filter 0x70.
        byte[] blob =
        {
            3 << 1,
            4 << 1, (16 << 2 | 0) << 1, 0x40 << 1, 0x34, 0x12, 0, 0,
            4 << 1, (26 << 2 | 1) << 1, 0x50 << 1,
            2 << 1, 0x69, 0x0C, 0x60 << 1, 0x70 << 1,
        };
        Assert.True(EhClauseReader.TryOpen(blob, 0, out EhClauseReader reader));
        Assert.Equal(3, reader.Count);
        Assert.True(reader.Next(out EhClause typed));
        Assert.Equal(new EhClause(EhClauseKind.Typed, 4, 20, 0x40, 0x1234, 0), typed);
        Assert.True(reader.Next(out EhClause fault));
        Assert.Equal(new EhClause(EhClauseKind.Fault, 4, 30, 0x50, 0, 0), fault);
        Assert.True(reader.Next(out EhClause filter));
        Assert.Equal(new EhClause(EhClauseKind.Filter, 2, 200, 0x60, 0, 0x70), filter);
        Assert.True(filter.Contains(2) && filter.Contains(199) && !filter.Contains(200));
        Assert.False(reader.Next(out _));
        Assert.False(reader.Failed);
    }

    [Fact]
    public void TruncatedTableFails()
    {
        byte[] blob = { 2 << 1, 4 << 1, (16 << 2) << 1, 0x40 << 1, 0x34 };
        Assert.True(EhClauseReader.TryOpen(blob, 0, out EhClauseReader reader));
        Assert.False(reader.Next(out _));
        Assert.True(reader.Failed);
    }

    private static List<EhClause> Decode(byte[] image, FunctionTable table)
    {
        Assert.Equal(UnwindStatus.Ok, UnwindRecord.TryReadManaged(image, table.At(image, 0).UnwindRva, out UnwindRecord record));
        Assert.True(EhClauseReader.TryOpen(image, record.EhInfoRva, out EhClauseReader reader));
        var clauses = new List<EhClause>();
        while (reader.Next(out EhClause clause))
            clauses.Add(clause);
        Assert.False(reader.Failed);
        Assert.Equal(reader.Count, clauses.Count);
        return clauses;
    }
}
