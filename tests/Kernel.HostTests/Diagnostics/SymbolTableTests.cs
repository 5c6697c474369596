// Tests for the kernel's symbol table reader (kernel/Platform/Diagnostics/SymbolTable.cs): validation of every malformed shape,
// lookups by address, and the empty table. Tables here are laid out byte by byte, independently of the writer.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using Kernel.Boot;
using Kernel.Diagnostics;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Diagnostics;

public class SymbolTableTests
{
    /// <summary>Lays out a table by hand: header, entries, then the given name bytes.</summary>
    internal static byte[] Build(string magic, uint version, uint count, uint nameBytes, (uint Rva, uint NameOffset, uint Kind)[] entries, byte[] names)
    {
        byte[] data = new byte[SymbolTable.HeaderSize + entries.Length * SymbolTable.EntrySize + names.Length];
        Encoding.ASCII.GetBytes(magic).CopyTo(data, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), version);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), count);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), nameBytes);
        for (int i = 0; i < entries.Length; i++)
        {
            int at = SymbolTable.HeaderSize + i * SymbolTable.EntrySize;
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), entries[i].Rva);
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 4), entries[i].NameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 8), entries[i].Kind);
        }

        names.CopyTo(data, SymbolTable.HeaderSize + entries.Length * SymbolTable.EntrySize);
        return data;
    }

    /// <summary>A valid table of the given symbols, names packed in order.</summary>
    internal static byte[] Build(params (uint Rva, string Name, SymbolKind Kind)[] symbols)
    {
        var names = new List<byte>();
        var entries = new (uint, uint, uint)[symbols.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            entries[i] = (symbols[i].Rva, (uint)names.Count, (uint)symbols[i].Kind);
            names.AddRange(Encoding.ASCII.GetBytes(symbols[i].Name));
            names.Add(0);
        }

        return Build("KSYM", 1, (uint)symbols.Length, (uint)names.Count, entries, names.ToArray());
    }

    private static SymbolTable Parse(byte[] data)
    {
        Assert.Equal(SymbolTableStatus.Ok, SymbolTable.TryParse(data, out SymbolTable table));
        Assert.NotNull(table);
        return table;
    }

    private static SymbolTableStatus Status(byte[] data)
    {
        SymbolTableStatus status = SymbolTable.TryParse(data, out SymbolTable table);
        if (status != SymbolTableStatus.Ok)
            Assert.Null(table);
        return status;
    }

    // Code at 0x1000, type at 0x1100, code and type sharing 0x1200, a type at 0x1300 after the last code.
    private static readonly (uint Rva, string Name, SymbolKind Kind)[] Sample =
    {
        (0x1000, "Kernel.Boot.KernelMain::Start", SymbolKind.Code),
        (0x1100, "System.String", SymbolKind.Type),
        (0x1200, "Kernel.Boot.Panic::Halt", SymbolKind.Code),
        (0x1200, "System.Exception", SymbolKind.Type),
        (0x1300, "Kernel.Console.PsfFont", SymbolKind.Type),
    };

    [Fact]
    public void ReadsEveryFieldOfAWellFormedTable()
    {
        SymbolTable table = Parse(Build(Sample));

        Assert.Equal(Sample.Length, table.Count);
        for (int i = 0; i < Sample.Length; i++)
        {
            Assert.Equal(Sample[i].Rva, table.RvaAt(i));
            Assert.Equal(Sample[i].Name, table.NameAt(i));
            Assert.Equal(Sample[i].Kind, table.KindAt(i));
        }
    }

    [Fact]
    public void ReadsNamesThatShareBytesThroughOverlappingOffsets()
    {
        // Both entries point into "Kernel.Boot.Panic::Halt\0"; the second at the "Halt" suffix.
        byte[] names = Encoding.ASCII.GetBytes("Kernel.Boot.Panic::Halt\0");
        byte[] data = Build("KSYM", 1, 2, (uint)names.Length, new[] { (0x10u, 0u, 0u), (0x20u, 19u, 0u) }, names);

        SymbolTable table = Parse(data);

        Assert.Equal("Kernel.Boot.Panic::Halt", table.NameAt(0));
        Assert.Equal("Halt", table.NameAt(1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SymbolTable.HeaderSize - 1)]
    public void RejectsDataShorterThanTheHeader(int length)
    {
        byte[] data = Build(Sample).AsSpan(0, length).ToArray();

        Assert.Equal(SymbolTableStatus.TooShort, Status(data));
    }

    [Theory]
    [InlineData("KSYN")]
    [InlineData("ksym")]
    [InlineData("MYSK")]
    [InlineData("\0\0\0\0")]
    public void RejectsWrongMagic(string magic)
    {
        byte[] data = Build(magic, 1, 0, 0, Array.Empty<(uint, uint, uint)>(), Array.Empty<byte>());

        Assert.Equal(SymbolTableStatus.BadMagic, Status(data));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    [InlineData(0x01000000u)]
    [InlineData(uint.MaxValue)]
    public void RejectsVersionsOtherThanOne(uint version)
    {
        byte[] data = Build("KSYM", version, 0, 0, Array.Empty<(uint, uint, uint)>(), Array.Empty<byte>());

        Assert.Equal(SymbolTableStatus.UnsupportedVersion, Status(data));
    }

    [Fact]
    public void RejectsTableWhoseEntriesRunPastTheEnd()
    {
        // Header claims two entries; only one is present and no names follow.
        byte[] data = Build("KSYM", 1, 2, 0, new[] { (0x10u, 0u, 0u) }, Array.Empty<byte>());

        Assert.Equal(SymbolTableStatus.Truncated, Status(data));
    }

    [Fact]
    public void RejectsTableMissingItsLastNameByte()
    {
        byte[] whole = Build(Sample);

        Assert.Equal(SymbolTableStatus.Truncated, Status(whole.AsSpan(0, whole.Length - 1).ToArray()));
    }

    [Fact]
    public void RejectsNameByteCountLargerThanTheData()
    {
        byte[] names = Encoding.ASCII.GetBytes("a\0");
        byte[] data = Build("KSYM", 1, 1, 3, new[] { (0x10u, 0u, 0u) }, names);

        Assert.Equal(SymbolTableStatus.Truncated, Status(data));
    }

    [Theory]
    [InlineData(uint.MaxValue, 0u)]
    [InlineData(0u, uint.MaxValue)]
    [InlineData(uint.MaxValue, uint.MaxValue)]
    [InlineData(0x15555556u, 0u)] // count * 12 wraps a 32-bit product to 8
    public void RejectsHugeCountsWithoutOverflowing(uint count, uint nameBytes)
    {
        byte[] data = Build("KSYM", 1, count, nameBytes, new[] { (0x10u, 0u, 0u) }, Encoding.ASCII.GetBytes("abc\0"));

        Assert.Equal(SymbolTableStatus.Truncated, Status(data));
    }

    [Fact]
    public void RejectsNameOffsetEqualToTheNameByteCount()
    {
        byte[] names = Encoding.ASCII.GetBytes("a\0");
        byte[] data = Build("KSYM", 1, 1, 2, new[] { (0x10u, 2u, 0u) }, names);

        Assert.Equal(SymbolTableStatus.NameOutOfRange, Status(data));
    }

    [Fact]
    public void RejectsNameOffsetPastTheNames()
    {
        byte[] names = Encoding.ASCII.GetBytes("a\0");
        byte[] data = Build("KSYM", 1, 2, 2, new[] { (0x10u, 0u, 0u), (0x20u, 1000u, 0u) }, names);

        Assert.Equal(SymbolTableStatus.NameOutOfRange, Status(data));
    }

    [Fact]
    public void RejectsNameOffsetWhenThereAreNoNameBytes()
    {
        byte[] data = Build("KSYM", 1, 1, 0, new[] { (0x10u, 0u, 0u) }, Array.Empty<byte>());

        Assert.Equal(SymbolTableStatus.NameOutOfRange, Status(data));
    }

    [Fact]
    public void RejectsLastNameWithoutTerminatingNul()
    {
        byte[] names = Encoding.ASCII.GetBytes("first\0second");
        byte[] data = Build("KSYM", 1, 2, (uint)names.Length, new[] { (0x10u, 0u, 0u), (0x20u, 6u, 0u) }, names);

        Assert.Equal(SymbolTableStatus.NameOutOfRange, Status(data));
    }

    [Fact]
    public void RejectsNameWhoseNulLiesOnlyInBytesAfterTheNames()
    {
        // The NUL that would end "ab" sits outside the declared name bytes; it must not count.
        byte[] names = Encoding.ASCII.GetBytes("ab\0");
        byte[] data = Build("KSYM", 1, 1, 2, new[] { (0x10u, 0u, 0u) }, names);

        Assert.Equal(SymbolTableStatus.NameOutOfRange, Status(data));
    }

    [Fact]
    public void RejectsTableWithUnsortedEntries()
    {
        byte[] data = Build((0x2000, "b", SymbolKind.Code), (0x1000, "a", SymbolKind.Code));

        Assert.Equal(SymbolTableStatus.NotSorted, Status(data));
    }

    [Fact]
    public void RejectsTableWhoseLastEntryIsOutOfOrder()
    {
        byte[] data = Build((0x1000, "a", SymbolKind.Code), (0x2000, "b", SymbolKind.Code), (0x3000, "c", SymbolKind.Code), (0x2fff, "d", SymbolKind.Code));

        Assert.Equal(SymbolTableStatus.NotSorted, Status(data));
    }

    [Fact]
    public void AcceptsEntriesThatShareAnAddress()
    {
        byte[] data = Build((0x1000, "a", SymbolKind.Code), (0x1000, "A", SymbolKind.Type), (0x1000, "b", SymbolKind.Code));

        Assert.Equal(3, Parse(data).Count);
    }

    [Fact]
    public void AcceptsTrailingBytesAfterTheNames()
    {
        // The file is read whole from the ESP; padding after the declared names is harmless.
        byte[] table = Build(Sample);
        byte[] padded = new byte[table.Length + 100];
        table.CopyTo(padded, 0);
        padded.AsSpan(table.Length).Fill(0xCC);

        SymbolTable parsed = Parse(padded);

        Assert.Equal(Sample.Length, parsed.Count);
        Assert.Equal("Kernel.Console.PsfFont", parsed.NameAt(Sample.Length - 1));
    }

    [Fact]
    public void ParsedTableDoesNotDependOnTheSourceBuffer()
    {
        byte[] data = Build(Sample);
        SymbolTable table = Parse(data);

        Array.Clear(data);

        Assert.Equal(0x1200u, table.RvaAt(2));
        Assert.Equal("Kernel.Boot.Panic::Halt", table.NameAt(2));
    }

    [Fact]
    public void EmptyTableParsesAndFindsNothing()
    {
        SymbolTable table = Parse(Build());

        Assert.Equal(0, table.Count);
        Assert.Equal(-1, table.FindCode(0));
        Assert.Equal(-1, table.FindCode(0x1000));
        Assert.Equal(-1, table.FindCode(uint.MaxValue));
        Assert.Equal(-1, table.FindType(0));
        Assert.Equal(-1, table.FindType(uint.MaxValue));
    }

    [Fact]
    public void TableOfOnlyTypesHasNoCodeSymbols()
    {
        SymbolTable table = Parse(Build((0x100, "A", SymbolKind.Type), (0x200, "B", SymbolKind.Type)));

        Assert.Equal(-1, table.FindCode(0x100));
        Assert.Equal(-1, table.FindCode(0x250));
        Assert.Equal(1, table.FindType(0x200));
    }

    [Theory]
    [InlineData(0x0000u, -1)]
    [InlineData(0x0fffu, -1)]
    [InlineData(0x1000u, 0)]
    [InlineData(0x1001u, 0)]
    [InlineData(0x10ffu, 0)]
    [InlineData(0x1100u, 0)] // a type symbol starts here; the code before it still contains the address
    [InlineData(0x11ffu, 0)]
    [InlineData(0x1200u, 2)]
    [InlineData(0x1250u, 2)]
    [InlineData(0x1300u, 2)] // only a type at 0x1300
    [InlineData(0xffffffffu, 2)]
    public void FindCodeReturnsNearestCodeSymbolAtOrBelow(uint rva, int expected)
    {
        SymbolTable table = Parse(Build(Sample));

        Assert.Equal(expected, table.FindCode(rva));
    }

    [Theory]
    [InlineData(0x1100u, 1)]
    [InlineData(0x1200u, 3)]
    [InlineData(0x1300u, 4)]
    [InlineData(0x1000u, -1)] // code only
    [InlineData(0x1101u, -1)] // inside a type, not at it
    [InlineData(0x10ffu, -1)]
    [InlineData(0x1301u, -1)]
    [InlineData(0x0000u, -1)]
    [InlineData(0xffffffffu, -1)]
    public void FindTypeMatchesOnlyTheExactAddress(uint rva, int expected)
    {
        SymbolTable table = Parse(Build(Sample));

        Assert.Equal(expected, table.FindType(rva));
    }

    [Fact]
    public void FindTypeFindsTypeListedBeforeCodeAtTheSameAddress()
    {
        SymbolTable table = Parse(Build(
            (0x100, "before", SymbolKind.Code),
            (0x200, "T", SymbolKind.Type),
            (0x200, "f", SymbolKind.Code),
            (0x200, "g", SymbolKind.Code),
            (0x300, "after", SymbolKind.Code)));

        Assert.Equal(1, table.FindType(0x200));
        Assert.Equal(3, table.FindCode(0x200));
        Assert.Equal(3, table.FindCode(0x2ff));
    }

    [Fact]
    public void FindCodeAgreesWithALinearScanOverManySymbols()
    {
        // Every third symbol is a type; RVAs step by 16 with some repeats, so the binary search sees every shape.
        var symbols = new List<(uint Rva, string Name, SymbolKind Kind)>();
        uint rva = 0x400;
        for (int i = 0; i < 1000; i++)
        {
            if (i % 7 != 0)
                rva += 16;
            symbols.Add((rva, "s" + i, i % 3 == 0 ? SymbolKind.Type : SymbolKind.Code));
        }

        SymbolTable table = Parse(Build(symbols.ToArray()));

        for (uint probe = 0x3f0; probe <= rva + 0x20; probe += 5)
        {
            int expectedCode = -1;
            int expectedType = -1;
            for (int i = 0; i < symbols.Count; i++)
            {
                if (symbols[i].Rva <= probe && symbols[i].Kind == SymbolKind.Code)
                    expectedCode = i;
                if (symbols[i].Rva == probe && symbols[i].Kind == SymbolKind.Type)
                    expectedType = i;
            }

            Assert.Equal(expectedCode, table.FindCode(probe));
            Assert.Equal(expectedType, table.FindType(probe));
        }
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedTablesNeverThrowAndAParsedTableAnswersEveryLookup()
    {
        byte[] original = Build(Sample);
        Gen.Select(ByteMutation.Of(original.Length, maxEdits: 6), Gen.UInt.Array[6]).ForAll((mutation, rvas) =>
        {
            SymbolTableStatus status = SymbolTable.TryParse(mutation.Apply(original), out SymbolTable table);

            Assert.True(Enum.IsDefined(status), $"status {status}");
            Assert.NotNull(SymbolTable.StatusName(status));
            if (status != SymbolTableStatus.Ok)
                return;
            for (int i = 0; i < table.Count; i++)
                Assert.NotNull(table.NameAt(i));
            foreach (uint rva in rvas)
            {
                foreach (int found in new[] { table.FindNearest(rva), table.FindCode(rva), table.FindType(rva) })
                    Assert.True(found >= -1 && found < table.Count, $"0x{rva:X} found {found} of {table.Count}");
            }
        }, iterations: 500, print: t => $"{t.Item1}; lookups {string.Join(", ", t.Item2.Select(r => $"0x{r:X}"))}");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void GeneratedTablesParseBackAsWritten()
    {
        Gen<(uint, string, SymbolKind)> symbol = Gen.Select(Gen.UInt, Gen.Char.AlphaNumeric.Array[1, 40].Select(chars => new string(chars)),
            Gen.Int[0, 2].Select(k => (SymbolKind)k));
        symbol.Array[0, 50].Select(s => s.DistinctBy(x => x.Item1).OrderBy(x => x.Item1).ToArray()).ForAll(symbols =>
        {
            SymbolTable table = Parse(Build(symbols));

            Assert.Equal(symbols.Length, table.Count);
            for (int i = 0; i < symbols.Length; i++)
                Assert.Equal(symbols[i], (table.RvaAt(i), table.NameAt(i), table.KindAt(i)));
        }, print: s => string.Join(", ", s.Select(x => $"0x{x.Item1:X} {x.Item2} {x.Item3}")));
    }
}
