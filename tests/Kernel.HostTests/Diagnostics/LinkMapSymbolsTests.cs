// Tests for the build tool that turns lld-link's map into kernel.sym (scripts/SymbolTableGen/LinkMapSymbols.cs),
// and for the round trip through the kernel's reader (kernel/Platform/Diagnostics/SymbolTable.cs).
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Kernel.Boot;
using Kernel.Diagnostics;
using SymbolTableGen;
using Xunit;

namespace Kernel.HostTests.Diagnostics;

public class LinkMapSymbolsTests
{
    private const string Header = " Preferred load address is 0000000140000000\n\n  Address         Publics by Value              Rva+Base               Lib:Object\n\n";

    private static SymbolTable Read(byte[] data)
    {
        Assert.Equal(SymbolTableStatus.Ok, SymbolTable.TryParse(data, out SymbolTable table));
        return table;
    }

    [Fact]
    public void ParsesExcerptIntoTheExpectedSymbolsInAddressOrder()
    {
        List<MapSymbol> symbols = LinkMapSymbols.Parse(LinkMapExcerpt.Text);

        Assert.Equal(
            LinkMapExcerpt.Expected.Select(e => (e.Rva, e.Name, e.Kind)).ToArray(),
            symbols.Select(s => (s.Rva, s.Name, s.Kind)).ToArray());
    }

    [Fact]
    public void SkipsUnwindAbsoluteAndNonSymbolLines()
    {
        List<MapSymbol> symbols = LinkMapSymbols.Parse(LinkMapExcerpt.Text);

        Assert.DoesNotContain(symbols, s => s.Name.Contains("unwind", StringComparison.Ordinal));
        Assert.DoesNotContain(symbols, s => s.Name.Contains("absolut", StringComparison.Ordinal));
        Assert.DoesNotContain(symbols, s => s.Name.Contains("managedcode", StringComparison.Ordinal));
        Assert.DoesNotContain(symbols, s => s.Name == "point" || s.Name == "symbols");
    }

    [Fact]
    public void SkipsDoubleUnderscoreUnwindSymbols()
    {
        string map = Header
            + " 0002:00000010       __unwind$Kernel_Kernel_Boot_Panic__Halt 0000000140003010     Kernel.obj\n"
            + " 0005:00000010       Kernel_Kernel_Boot_Panic__Halt 0000000140013010     Kernel.obj\n";

        MapSymbol only = Assert.Single(LinkMapSymbols.Parse(map));

        Assert.Equal("Kernel.Boot.Panic::Halt", only.Name);
    }

    [Fact]
    public void IgnoresSymbolLikeLinesBeforeThePublicsHeader()
    {
        string map = " Preferred load address is 0000000140000000\n"
            + " 0001:00000000       early_symbol               0000000140001000     early.obj\n"
            + "  Address         Publics by Value              Rva+Base               Lib:Object\n"
            + " 0001:00000010       late_symbol                0000000140001010     late.obj\n";

        MapSymbol only = Assert.Single(LinkMapSymbols.Parse(map));

        Assert.Equal(new MapSymbol(0x1010, "late_symbol", LinkMapSymbols.Code), only);
    }

    [Fact]
    public void FindsNothingWithoutAPreferredLoadAddress()
    {
        string map = LinkMapExcerpt.Text.Replace("Preferred load address is", "Load address was", StringComparison.Ordinal);

        Assert.Empty(LinkMapSymbols.Parse(map));
    }

    [Fact]
    public void SubtractsTheMapsOwnImageBase()
    {
        string map = " Preferred load address is 0000000000400000\n"
            + "  Address         Publics by Value              Rva+Base               Lib:Object\n"
            + " 0001:00000000       start                      0000000000401000     a.obj\n";

        Assert.Equal(0x1000u, Assert.Single(LinkMapSymbols.Parse(map)).Rva);
    }

    [Fact]
    public void SkipsSymbolsBelowTheImageBase()
    {
        string map = Header
            + " 0001:00000000       below_base                 000000013fffffff     a.obj\n"
            + " 0001:00000000       at_base                    0000000140000000     a.obj\n";

        MapSymbol only = Assert.Single(LinkMapSymbols.Parse(map));

        Assert.Equal(new MapSymbol(0, "at_base", LinkMapSymbols.Code), only);
    }

    [Fact]
    public void ReadsMapsWithWindowsLineEndings()
    {
        List<MapSymbol> symbols = LinkMapSymbols.Parse(LinkMapExcerpt.Text.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(LinkMapExcerpt.Expected.Length, symbols.Count);
        Assert.Equal("Kernel.Boot.SymbolTable::FindCode", symbols[^1].Name);
    }

    [Fact]
    public void SortsByAddressThenPutsCodeBeforeTypeAtTheSameAddress()
    {
        string map = Header
            + " 0002:00000300       ??_7Kernel_Kernel_Foo_Bar@@6B@ 0000000140003300     Kernel.obj\n"
            + " 0002:00000300       Kernel_Kernel_Foo_Bar__Baz 0000000140003300     Kernel.obj\n"
            + " 0002:00000100       first                      0000000140003100     a.obj\n";

        List<MapSymbol> symbols = LinkMapSymbols.Parse(map);

        Assert.Equal(
            new[] { new MapSymbol(0x3100, "first", 0), new MapSymbol(0x3300, "Kernel.Foo.Bar::Baz", 0), new MapSymbol(0x3300, "Kernel.Foo.Bar", 1) },
            symbols.ToArray());
    }

    [Theory]
    [InlineData("Kernel_Kernel_Boot_Panic__Halt", "Kernel.Boot.Panic::Halt", 0u)]
    [InlineData("Kernel_Kernel_Boot_Panic__Halt_0", "Kernel.Boot.Panic::Halt_0", 0u)]
    [InlineData("Kernel_Kernel_Boot_KernelMain__Symbol_Table_Status_Name", "Kernel.Boot.KernelMain::Symbol_Table_Status_Name", 0u)]
    [InlineData("Corelib_System_Number__WriteHex", "System.Number::WriteHex", 0u)]
    [InlineData("Corelib_System_Number__Format_1", "System.Number::Format_1", 0u)]
    [InlineData("Kernel_Foo__Bar", "Foo::Bar", 0u)]
    [InlineData("??_7Kernel_Kernel_Foo_Bar@@6B@", "Kernel.Foo.Bar", 1u)]
    [InlineData("??_7Kernel_Foo_Bar@@6B@", "Foo.Bar", 1u)]
    [InlineData("??_7Corelib_System_String@@6B@", "System.String", 1u)]
    [InlineData("??_7Corelib_System_NullReferenceException@@6B@", "System.NullReferenceException", 1u)]
    [InlineData("cpu_halt_forever", "cpu_halt_forever", 0u)]
    [InlineData("interrupt_stub_14", "interrupt_stub_14", 0u)]
    [InlineData("RhpInitialDynamicInterfaceDispatch.resolve", "RhpInitialDynamicInterfaceDispatch.resolve", 0u)]
    [InlineData("__GetNonGCStaticBase_Kernel_Kernel_Foo", "__GetNonGCStaticBase_Kernel_Kernel_Foo", 0u)]
    [InlineData("Other_Module_Type__Method", "Other.Module.Type::Method", 0u)]
    [InlineData("??_7Kernel_Foo_Bar", "??_7Kernel_Foo_Bar", 0u)] // no "@@6B@" suffix: not a MethodTable, left alone
    public void PrettifiesIlcNames(string symbol, string expectedName, uint expectedKind)
    {
        (string name, uint kind) = LinkMapSymbols.Prettify(symbol);

        Assert.Equal(expectedName, name);
        Assert.Equal(expectedKind, kind);
    }

    [Fact]
    public void PrettifyStripsOnlyOneModulePrefix()
    {
        Assert.Equal("Corelib.System.Foo::Bar", LinkMapSymbols.Prettify("Kernel_Corelib_System_Foo__Bar").Name);
        Assert.Equal("Kernel.Boot.Foo::Bar", LinkMapSymbols.Prettify("Corelib_Kernel_Boot_Foo__Bar").Name);
    }

    [Fact]
    public void WritesTheDocumentedLayout()
    {
        byte[] data = LinkMapSymbols.Write(new[] { new MapSymbol(0x1234, "ab", 0), new MapSymbol(0x5678, "T", 1) });

        byte[] expected =
        {
            (byte)'K', (byte)'S', (byte)'Y', (byte)'M',
            1, 0, 0, 0, // version
            2, 0, 0, 0, // entry count
            5, 0, 0, 0, // name bytes: "ab\0T\0"
            0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // { 0x1234, name 0, code }
            0x78, 0x56, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, // { 0x5678, name 3, type }
            (byte)'a', (byte)'b', 0, (byte)'T', 0,
        };
        Assert.Equal(expected, data);
    }

    [Fact]
    public void WritesAnEmptyListAsAHeaderThatReadsBackEmpty()
    {
        byte[] data = LinkMapSymbols.Write(Array.Empty<MapSymbol>());

        Assert.Equal(SymbolTable.HeaderSize, data.Length);
        Assert.Equal(0, Read(data).Count);
    }

    [Fact]
    public void ExcerptRoundTripsThroughTheKernelReader()
    {
        List<MapSymbol> symbols = LinkMapSymbols.Parse(LinkMapExcerpt.Text);

        SymbolTable table = Read(LinkMapSymbols.Write(symbols));

        Assert.Equal(symbols.Count, table.Count);
        for (int i = 0; i < symbols.Count; i++)
        {
            Assert.Equal(symbols[i].Rva, table.RvaAt(i));
            Assert.Equal(symbols[i].Name, table.NameAt(i));
            Assert.Equal((SymbolKind)symbols[i].Kind, table.KindAt(i));
        }
    }

    [Fact]
    public void ExcerptTableNamesFaultAddressesAndMethodTables()
    {
        SymbolTable table = Read(LinkMapSymbols.Write(LinkMapSymbols.Parse(LinkMapExcerpt.Text)));

        // A RIP 0x37 bytes into Panic.Halt_0 (address 0x14001cc97).
        Assert.Equal("Kernel.Boot.Panic::Halt_0", table.NameAt(table.FindCode((uint)(0x14001cc97 - LinkMapExcerpt.ImageBase))));
        // A RIP after the last symbol still belongs to the last method.
        Assert.Equal("Kernel.Boot.SymbolTable::FindCode", table.NameAt(table.FindCode(0x1d6ff)));
        // A RIP in a native stub.
        Assert.Equal("cpu_halt_forever.again", table.NameAt(table.FindCode(0x1243)));
        // Addresses among data (here the MethodTables) are never named after a data symbol or a type by FindCode:
        // it falls back to the code symbol before them.
        Assert.Equal("interrupt_common", table.NameAt(table.FindCode(0x31e8)));
        Assert.Equal(SymbolKind.Data, table.KindAt(table.FindCode(0x30bc) + 1));
        Assert.Equal("System.Exception", table.NameAt(table.FindType(0x31e8)));
        Assert.Equal("Kernel.Boot.SymbolTable", table.NameAt(table.FindType(0x38b0)));
        Assert.Equal(-1, table.FindType(0x31e9));
        Assert.Equal(-1, table.FindType(0x1d440));
        Assert.Equal(-1, table.FindCode(0x123f));
    }

    /// <summary>
    /// The checked-in excerpt always; the kernel builds' real maps too when a build has produced them (a kernel map
    /// sits next to Kernel.obj; other images linked by the same targets, such as null-efi, are not the kernel).
    /// </summary>
    public static IEnumerable<object[]> MapSources()
    {
        yield return new object[] { "excerpt" };
        string root = RepoRoot();
        string native = root == null ? null : Path.Combine(root, "artifacts", "native");
        if (native != null && Directory.Exists(native))
        {
            foreach (string map in Directory.GetFiles(native, "BOOTX64.map", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(Path.GetDirectoryName(map), "Kernel.obj")))
                    yield return new object[] { Path.GetRelativePath(root, map) };
            }
        }
    }

    [Theory]
    [MemberData(nameof(MapSources))]
    public void WholeMapRoundTripsAndEveryRealSymbolIsFoundByAddress(string source)
    {
        string text = source == "excerpt" ? LinkMapExcerpt.Text : File.ReadAllText(Path.Combine(RepoRoot(), source));

        List<MapSymbol> symbols = LinkMapSymbols.Parse(text);
        SymbolTable table = Read(LinkMapSymbols.Write(symbols));

        Assert.True(symbols.Count >= LinkMapExcerpt.Expected.Length, $"{source}: only {symbols.Count} symbols");
        Assert.Equal(symbols.Count, table.Count);
        Assert.DoesNotContain(symbols, s => s.Name.StartsWith("_unwind", StringComparison.Ordinal) || s.Name == ".absolut");
        // Every MethodTable is recognised as a type (other "@@" names, e.g. ?::GCSTATICS@...@@, are data).
        Assert.DoesNotContain(symbols, s => s.Name.StartsWith("??_7", StringComparison.Ordinal));
        Assert.DoesNotContain(symbols, s => s.Kind == LinkMapSymbols.Type && s.Name.Contains('@'));
        Assert.Contains(symbols, s => s.Name == "Kernel.Boot.SymbolTable::TryParse" && s.Kind == LinkMapSymbols.Code);
        Assert.Contains(symbols, s => s.Name == "System.Exception" && s.Kind == LinkMapSymbols.Type);
        for (int i = 0; i < symbols.Count; i++)
        {
            MapSymbol symbol = symbols[i];
            Assert.Equal(symbol.Name, table.NameAt(i));
            if (symbol.Kind == LinkMapSymbols.Data)
            {
                Assert.Equal(SymbolKind.Data, table.KindAt(i));
            }
            else if (symbol.Kind == LinkMapSymbols.Code)
            {
                int found = table.FindCode(symbol.Rva);
                Assert.True(found >= 0, $"{source}: {symbol.Name} not found");
                Assert.Equal(symbol.Rva, table.RvaAt(found));
                Assert.Equal(SymbolKind.Code, table.KindAt(found));
            }
            else
            {
                int found = table.FindType(symbol.Rva);
                Assert.True(found >= 0, $"{source}: {symbol.Name} not found");
                Assert.Equal(symbol.Rva, table.RvaAt(found));
                Assert.Equal(SymbolKind.Type, table.KindAt(found));
            }
        }
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "kernel", "Boot", "SymbolTable.cs")))
                return dir.FullName;
        }

        return null;
    }
}
