// Usage: SymbolTableGen <lld-link map> <output kernel.sym>
using System;
using System.IO;

namespace SymbolTableGen;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: SymbolTableGen <link map> <output symbol table>");
            return 2;
        }
        var symbols = LinkMapSymbols.Parse(File.ReadAllText(args[0]));
        if (symbols.Count == 0)
        {
            Console.Error.WriteLine($"SymbolTableGen: no symbols found in {args[0]}");
            return 1;
        }
        File.WriteAllBytes(args[1], LinkMapSymbols.Write(symbols));
        return 0;
    }
}
