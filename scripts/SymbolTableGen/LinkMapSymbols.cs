// Reads the "Publics by Value" part of an lld-link /map file and writes the kernel's symbol table format
// (see kernel/Platform/Diagnostics/SymbolTable.cs for the layout).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SymbolTableGen;

/// <summary>One named address from the link map.</summary>
public readonly record struct MapSymbol(uint Rva, string Name, uint Kind);

/// <summary>Link map parsing and symbol table writing.</summary>
public static class LinkMapSymbols
{
    /// <summary>Kind value for code.</summary>
    public const uint Code = 0;

    /// <summary>Kind value for a MethodTable.</summary>
    public const uint Type = 1;

    /// <summary>Kind value for other data (statics, tables, constants).</summary>
    public const uint Data = 2;

    /// <summary>Parses the map: every public with a non-zero address, named for people.</summary>
    public static List<MapSymbol> Parse(string mapText)
    {
        var symbols = new List<MapSymbol>();
        var codeSections = new HashSet<string>();
        ulong imageBase = 0;
        bool inPublics = false;
        foreach (string rawLine in mapText.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("Preferred load address is ", StringComparison.Ordinal))
                imageBase = ulong.Parse(line.Substring("Preferred load address is ".Length), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (line.StartsWith("Address", StringComparison.Ordinal) && line.Contains("Publics by Value", StringComparison.Ordinal))
            {
                inPublics = true;
                continue;
            }
            if (line.Length == 0)
                continue;
            if (!inPublics)
            {
                // Section table: "0001:00000000 00001175H .text CODE"; the class says whether it holds code.
                string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length == 4 && columns[0].IndexOf(':') == 4 && columns[3] == "CODE")
                    codeSections.Add(columns[0].Substring(0, 4));
                continue;
            }
            // "0005:000004b0       Name       00000001400094b0     Kernel.obj"
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0].IndexOf(':') != 4)
                continue;
            if (!ulong.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address) || address < imageBase || imageBase == 0)
                continue;
            string name = parts[1];
            if (name.StartsWith("_unwind", StringComparison.Ordinal) || name.StartsWith("__unwind", StringComparison.Ordinal) || name == ".absolut")
                continue;
            (string pretty, uint kind) = Prettify(name);
            // Without a section table (hand-written maps) everything that is not a type counts as code.
            if (kind == Code && codeSections.Count > 0 && !codeSections.Contains(parts[0].Substring(0, 4)))
                kind = Data;
            symbols.Add(new MapSymbol((uint)(address - imageBase), pretty, kind));
        }
        symbols.Sort((a, b) => a.Rva != b.Rva ? a.Rva.CompareTo(b.Rva) : a.Kind.CompareTo(b.Kind));
        return symbols;
    }

    /// <summary>
    /// ILC names methods Module_Namespace_Type__Method and MethodTables with the MSVC vftable mangling
    /// ??_7Module_Namespace_Type@@6B@; drop the module prefix and mark the method separator with "::".
    /// </summary>
    public static (string Name, uint Kind) Prettify(string symbol)
    {
        uint kind = Code;
        string name = symbol;
        // Static field blocks: "?::NONGCSTATICS@Kernel_Kernel_Memory_MemoryTests@@".
        if (name.StartsWith("?::", StringComparison.Ordinal) && name.EndsWith("@@", StringComparison.Ordinal) && name.IndexOf('@') > 3)
        {
            int at = name.IndexOf('@');
            string owner = WithoutModule(name.Substring(at + 1, name.Length - at - 3)).Replace('_', '.');
            return (owner + " " + name.Substring(3, at - 3).ToLowerInvariant(), Data);
        }
        if (name.StartsWith("??_7", StringComparison.Ordinal) && name.EndsWith("@@6B@", StringComparison.Ordinal))
        {
            kind = Type;
            name = name.Substring(4, name.Length - 4 - 5);
        }
        name = WithoutModule(name);
        if (kind == Type)
            return (name.Replace('_', '.'), kind);
        // "Kernel_Boot_Panic__Halt" reads as "Kernel.Boot.Panic::Halt"; the method part keeps its underscores.
        int separator = name.IndexOf("__", StringComparison.Ordinal);
        if (separator > 0)
            name = name.Substring(0, separator).Replace('_', '.') + "::" + name.Substring(separator + 2);
        return (name, kind);
    }

    private static string WithoutModule(string name)
    {
        foreach (string module in new[] { "Kernel_", "Corelib_" })
        {
            if (name.StartsWith(module, StringComparison.Ordinal))
                return name.Substring(module.Length);
        }
        return name;
    }

    /// <summary>Writes the symbol table bytes.</summary>
    public static byte[] Write(IReadOnlyList<MapSymbol> symbols)
    {
        var names = new MemoryStream();
        var nameOffsets = new uint[symbols.Count];
        for (int i = 0; i < symbols.Count; i++)
        {
            nameOffsets[i] = (uint)names.Length;
            byte[] ascii = Encoding.ASCII.GetBytes(symbols[i].Name);
            names.Write(ascii);
            names.WriteByte(0);
        }
        var output = new MemoryStream();
        var writer = new BinaryWriter(output);
        writer.Write(Encoding.ASCII.GetBytes("KSYM"));
        writer.Write(1u);
        writer.Write((uint)symbols.Count);
        writer.Write((uint)names.Length);
        for (int i = 0; i < symbols.Count; i++)
        {
            writer.Write(symbols[i].Rva);
            writer.Write(nameOffsets[i]);
            writer.Write(symbols[i].Kind);
        }
        writer.Write(names.ToArray());
        return output.ToArray();
    }
}
