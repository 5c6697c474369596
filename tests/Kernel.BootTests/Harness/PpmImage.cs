// A reader for the PPM images that QEMU's screendump writes.
using System;
using System.IO;
using System.Text;

namespace Kernel.BootTests.Harness;

/// <summary>A binary PPM (P6, maxval 255) image, as written by QEMU's screendump.</summary>
internal sealed class PpmImage
{
    private readonly byte[] _data;
    private readonly int _pixelsStart;

    private PpmImage(byte[] data, int pixelsStart, int width, int height)
    {
        _data = data;
        _pixelsStart = pixelsStart;
        Width = width;
        Height = height;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Parses a P6 file; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static PpmImage Parse(byte[] data)
    {
        int position = 0;
        string magic = NextToken(data, ref position);
        if (magic != "P6")
            throw new InvalidDataException("Not a binary PPM: magic '" + magic + "'.");
        int width = int.Parse(NextToken(data, ref position));
        int height = int.Parse(NextToken(data, ref position));
        int maxValue = int.Parse(NextToken(data, ref position));
        if (maxValue != 255)
            throw new InvalidDataException("PPM maxval " + maxValue + ", expected 255.");
        position++; // the single whitespace byte that ends the header
        long expected = (long)width * height * 3;
        if (width <= 0 || height <= 0 || data.Length - position < expected)
            throw new InvalidDataException("PPM of " + width + "x" + height + " has " + (data.Length - position) + " pixel bytes, expected " + expected + ".");
        return new PpmImage(data, position, width, height);
    }

    /// <summary>The pixel at (<paramref name="x"/>, <paramref name="y"/>) as 0xRRGGBB.</summary>
    public uint GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), "(" + x + ", " + y + ") is outside " + Width + "x" + Height + ".");
        int i = _pixelsStart + ((y * Width) + x) * 3;
        return ((uint)_data[i] << 16) | ((uint)_data[i + 1] << 8) | _data[i + 2];
    }

    private static string NextToken(byte[] data, ref int position)
    {
        while (position < data.Length)
        {
            if (data[position] == (byte)'#')
            {
                while (position < data.Length && data[position] != (byte)'\n')
                    position++;
            }
            else if (char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }
            else
            {
                break;
            }
        }

        int start = position;
        while (position < data.Length && !char.IsWhiteSpace((char)data[position]))
            position++;
        if (start == position)
            throw new InvalidDataException("PPM header ends early.");
        return Encoding.ASCII.GetString(data, start, position - start);
    }
}
