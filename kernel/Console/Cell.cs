// One text console cell (code point plus colors), the unit stored by TextGrid and drawn by GlyphRenderer.
namespace Kernel.Console;

/// <summary>One character cell: a Unicode code point with its foreground and background colors (0xRRGGBB).</summary>
public readonly struct Cell
{
    /// <summary>Creates a cell.</summary>
    public Cell(int codePoint, uint foreground, uint background)
    {
        CodePoint = codePoint;
        Foreground = foreground;
        Background = background;
    }

    /// <summary>Unicode code point shown in the cell; blank cells hold a space.</summary>
    public int CodePoint { get; }

    /// <summary>Foreground color as 0xRRGGBB.</summary>
    public uint Foreground { get; }

    /// <summary>Background color as 0xRRGGBB.</summary>
    public uint Background { get; }
}
