// Turns code and type addresses into names with the loaded symbol table (see SymbolTable.cs).
using Internal.Runtime;

namespace Kernel.Diagnostics;

/// <summary>Symbolization for panics and exception type names.</summary>
public static class Symbols
{
    private static SymbolTable s_table;
    private static ulong s_imageBase;
    private static ulong s_imageSize;

    /// <summary>Uses table to name addresses in the image loaded at imageBase.</summary>
    /// <remarks>Safety: imageBase and imageSize must describe the loaded image the table was made for, or names will be wrong (never unsafe memory access: lookups are bounds-checked).</remarks>
    public static unsafe void Initialize(SymbolTable table, ulong imageBase, ulong imageSize)
    {
        s_table = table;
        s_imageBase = imageBase;
        s_imageSize = imageSize;
        RuntimeHooks.InstallTypeNames(&TypeName);
    }

    /// <summary>Whether a symbol table is loaded.</summary>
    public static bool IsLoaded => s_table != null;

    /// <summary>"0x... (image+0x1234, Kernel.Boot.Foo::Bar+0x12)", as much as is known.</summary>
    public static string Describe(ulong address)
    {
        string text = "0x" + address.ToString("x");
        if (s_imageBase == 0 || address < s_imageBase || address >= s_imageBase + s_imageSize)
            return text + " (outside the kernel image)";
        uint rva = (uint)(address - s_imageBase);
        text = text + " (image+0x" + rva.ToString("x");
        int index = s_table == null ? -1 : s_table.FindNearest(rva);
        if (index >= 0)
        {
            // Between data symbols an address is data, not the tail of whatever method came before.
            string place = s_table.KindAt(index) == SymbolKind.Code ? ", in " : ", in data after ";
            text = text + place + s_table.NameAt(index) + "+0x" + (rva - s_table.RvaAt(index)).ToString("x");
        }
        return text + ")";
    }

    /// <summary>"Namespace.Type::Method+0x1a" for code in the image, else the bare address.</summary>
    public static string NameWithOffset(ulong address)
    {
        if (s_table != null && address >= s_imageBase && address < s_imageBase + s_imageSize)
        {
            uint rva = (uint)(address - s_imageBase);
            int index = s_table.FindCode(rva);
            if (index >= 0)
                return s_table.NameAt(index) + "+0x" + (rva - s_table.RvaAt(index)).ToString("x");
        }
        return "0x" + address.ToString("x");
    }

    /// <summary>The name of the method containing address, or null.</summary>
    public static string MethodAt(ulong address)
    {
        if (s_table == null || address < s_imageBase || address >= s_imageBase + s_imageSize)
            return null;
        int index = s_table.FindCode((uint)(address - s_imageBase));
        return index < 0 ? null : s_table.NameAt(index);
    }

    private static unsafe string TypeName(MethodTable* type)
    {
        ulong address = (ulong)type;
        if (s_table == null || address < s_imageBase || address >= s_imageBase + s_imageSize)
            return null;
        int index = s_table.FindType((uint)(address - s_imageBase));
        return index < 0 ? null : s_table.NameAt(index);
    }
}
