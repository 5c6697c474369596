// Test fixtures: installed Terminus console fonts and synthetic PSF1/PSF2 images.
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using Kernel.Console;
using Xunit;

namespace Kernel.HostTests.Console;

/// <summary>Loads real fonts from the console-setup package and builds synthetic font images.</summary>
internal static class PsfTestData
{
    public const string FontDirectory = "/usr/share/consolefonts";
    public const string Terminus16 = "Uni2-Terminus16.psf.gz";
    public const string Terminus32x16 = "Uni2-Terminus32x16.psf.gz";
    public const string Terminus20x10 = "Lat15-Terminus20x10.psf.gz";

    public static byte[] LoadFontFile(string name)
    {
        string path = Path.Combine(FontDirectory, name);
        Assert.True(File.Exists(path), "missing " + path + " (install the Debian package console-setup-linux)");
        using FileStream file = File.OpenRead(path);
        using GZipStream gzip = new GZipStream(file, CompressionMode.Decompress);
        using MemoryStream memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    public static PsfFont LoadFont(string name)
    {
        PsfParseStatus status = PsfFont.TryParse(LoadFontFile(name), out PsfFont font);
        Assert.Equal(PsfParseStatus.Ok, status);
        return font;
    }

    /// <summary>Deterministic, glyph-specific bitmap bytes so tests can tell glyphs apart.</summary>
    public static byte GlyphByte(int glyph, int offset) => (byte)(glyph * 31 + offset * 7 + 1);

    public static byte[] Glyphs(int count, int bytesPerGlyph)
    {
        byte[] data = new byte[count * bytesPerGlyph];
        for (int g = 0; g < count; g++)
        {
            for (int i = 0; i < bytesPerGlyph; i++)
            {
                data[g * bytesPerGlyph + i] = GlyphByte(g, i);
            }
        }

        return data;
    }

    /// <summary>PSF1 image: header, glyphs, then the raw table bytes (may be null).</summary>
    public static byte[] Psf1(byte mode, byte charSize, byte[] table = null)
    {
        int count = (mode & 0x01) != 0 ? 512 : 256;
        List<byte> bytes = new List<byte> { 0x36, 0x04, mode, charSize };
        bytes.AddRange(Glyphs(count, charSize));
        if (table != null)
        {
            bytes.AddRange(table);
        }

        return bytes.ToArray();
    }

    /// <summary>PSF1 unicode table from per-glyph lists of UCS-2 units (0xFFFE sequences included); glyphs beyond the lists get empty entries.</summary>
    public static byte[] Psf1Table(int glyphCount, params ushort[][] perGlyph)
    {
        List<byte> bytes = new List<byte>();
        for (int g = 0; g < glyphCount; g++)
        {
            if (g < perGlyph.Length)
            {
                foreach (ushort unit in perGlyph[g])
                {
                    bytes.Add((byte)unit);
                    bytes.Add((byte)(unit >> 8));
                }
            }

            bytes.Add(0xFF);
            bytes.Add(0xFF);
        }

        return bytes.ToArray();
    }

    /// <summary>PSF2 header with every field explicit.</summary>
    public static byte[] Psf2Header(uint version, uint headerSize, uint flags, uint length, uint charSize, uint height, uint width)
    {
        byte[] header = new byte[32];
        header[0] = 0x72;
        header[1] = 0xB5;
        header[2] = 0x4A;
        header[3] = 0x86;
        uint[] fields = { version, headerSize, flags, length, charSize, height, width };
        for (int i = 0; i < fields.Length; i++)
        {
            BitConverter.GetBytes(fields[i]).CopyTo(header, 4 + i * 4);
        }

        return header;
    }

    /// <summary>Well-formed PSF2 image; <paramref name="table"/> (raw bytes) sets the unicode flag when not null.</summary>
    public static byte[] Psf2(int width, int height, int glyphCount, byte[] table = null, int headerSize = 32)
    {
        int charSize = height * ((width + 7) / 8);
        List<byte> bytes = new List<byte>(Psf2Header(0, (uint)headerSize, table != null ? 1u : 0u, (uint)glyphCount, (uint)charSize, (uint)height, (uint)width));
        while (bytes.Count < headerSize)
        {
            bytes.Add(0xEE);
        }

        bytes.AddRange(Glyphs(glyphCount, charSize));
        if (table != null)
        {
            bytes.AddRange(table);
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// PSF2 unicode table: per glyph, a string whose '\uFFFE' marks a sequence start (written as 0xFE); other
    /// text is UTF-8 encoded. Glyphs beyond the array get empty entries.
    /// </summary>
    public static byte[] Psf2Table(int glyphCount, params string[] perGlyph)
    {
        List<byte> bytes = new List<byte>();
        for (int g = 0; g < glyphCount; g++)
        {
            if (g < perGlyph.Length && perGlyph[g] != null)
            {
                string[] parts = perGlyph[g].Split('\uFFFE');
                for (int p = 0; p < parts.Length; p++)
                {
                    if (p > 0)
                    {
                        bytes.Add(0xFE);
                    }

                    bytes.AddRange(Encoding.UTF8.GetBytes(parts[p]));
                }
            }

            bytes.Add(0xFF);
        }

        return bytes.ToArray();
    }

    public static byte[] Concat(params byte[][] parts)
    {
        List<byte> bytes = new List<byte>();
        foreach (byte[] part in parts)
        {
            bytes.AddRange(part);
        }

        return bytes.ToArray();
    }
}
