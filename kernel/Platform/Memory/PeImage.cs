// The kernel's own PE32+ headers (Microsoft PE/COFF specification, "Section Table"), read from the loaded image
// so each section can be mapped with the protection it asks for: code read + execute, read-only data
// read-only, data read + write; never write and execute together.
using System;

namespace Kernel.Memory;

/// <summary>Why PE headers were rejected.</summary>
public enum PeImageStatus
{
    Ok,
    TooShort,
    BadDosSignature,
    BadPeSignature,
    NotPe32Plus,
    TruncatedSectionTable,
    TooManySections,
    SectionOutsideImage,
}

/// <summary>One section of the loaded image.</summary>
public readonly struct PeSection
{
    /// <summary>Describes a section.</summary>
    public PeSection(string name, uint virtualAddress, uint virtualSize, bool executable, bool writable)
    {
        Name = name;
        VirtualAddress = virtualAddress;
        VirtualSize = virtualSize;
        IsExecutable = executable;
        IsWritable = writable;
    }

    /// <summary>The section name, e.g. ".text".</summary>
    public string Name { get; }

    /// <summary>Offset from the image base (RVA).</summary>
    public uint VirtualAddress { get; }

    /// <summary>Size in memory.</summary>
    public uint VirtualSize { get; }

    /// <summary>IMAGE_SCN_MEM_EXECUTE.</summary>
    public bool IsExecutable { get; }

    /// <summary>IMAGE_SCN_MEM_WRITE.</summary>
    public bool IsWritable { get; }
}

/// <summary>Section layout of a PE32+ image as loaded in memory.</summary>
public sealed class PeImage
{
    /// <summary>At most this many sections are accepted.</summary>
    public const int MaxSections = 96;

    private const int DosLfanewOffset = 0x3C;
    private const uint PeSignature = 0x00004550; // "PE\0\0"
    private const ushort Pe32PlusMagic = 0x20B;
    private const int FileHeaderSize = 20;
    private const int SectionHeaderSize = 40;
    private const uint ScnMemExecute = 0x20000000;
    private const uint ScnMemWrite = 0x80000000;

    // PE32+ optional header: NumberOfRvaAndSizes, then the data directories (8 bytes each); 3 is the exception table.
    private const int NumberOfRvaAndSizesOffset = 108;
    private const int DataDirectoriesOffset = 112;
    private const int ExceptionDirectory = 3;

    private readonly PeSection[] _sections;

    private PeImage(PeSection[] sections, uint sizeOfImage, uint sizeOfHeaders, uint exceptionTableRva, uint exceptionTableSize)
    {
        _sections = sections;
        SizeOfImage = sizeOfImage;
        SizeOfHeaders = sizeOfHeaders;
        ExceptionTableRva = exceptionTableRva;
        ExceptionTableSize = exceptionTableSize;
    }

    /// <summary>Number of sections.</summary>
    public int SectionCount => _sections.Length;

    /// <summary>SizeOfImage from the optional header.</summary>
    public uint SizeOfImage { get; }

    /// <summary>SizeOfHeaders from the optional header (the headers are mapped read-only).</summary>
    public uint SizeOfHeaders { get; }

    /// <summary>RVA of the exception directory (.pdata: the functions' unwind records), or 0.</summary>
    public uint ExceptionTableRva { get; }

    /// <summary>Size of the exception directory in bytes.</summary>
    public uint ExceptionTableSize { get; }

    /// <summary>The first section named name, or false.</summary>
    public bool TryFindSection(string name, out PeSection section)
    {
        for (int i = 0; i < _sections.Length; i++)
        {
            if (_sections[i].Name == name)
            {
                section = _sections[i];
                return true;
            }
        }
        section = default;
        return false;
    }

    /// <summary>The section at index.</summary>
    public PeSection Section(int index) => _sections[index];

    /// <summary>Reads the headers of an image loaded in memory (image holds at least the headers).</summary>
    public static PeImageStatus TryParse(ReadOnlySpan<byte> image, out PeImage result)
    {
        result = null;
        if (image.Length < DosLfanewOffset + 4)
            return PeImageStatus.TooShort;
        if (image[0] != (byte)'M' || image[1] != (byte)'Z')
            return PeImageStatus.BadDosSignature;
        uint peOffset = ReadUInt32(image, DosLfanewOffset);
        if (peOffset > (uint)image.Length - 4 - FileHeaderSize)
            return PeImageStatus.TooShort;
        if (ReadUInt32(image, (int)peOffset) != PeSignature)
            return PeImageStatus.BadPeSignature;
        int fileHeader = (int)peOffset + 4;
        int sectionCount = ReadUInt16(image, fileHeader + 2);
        int optionalHeaderSize = ReadUInt16(image, fileHeader + 16);
        int optionalHeader = fileHeader + FileHeaderSize;
        if (optionalHeaderSize < 64 || optionalHeader + optionalHeaderSize > image.Length)
            return PeImageStatus.TooShort;
        if (ReadUInt16(image, optionalHeader) != Pe32PlusMagic)
            return PeImageStatus.NotPe32Plus;
        uint sizeOfImage = ReadUInt32(image, optionalHeader + 56);
        uint sizeOfHeaders = ReadUInt32(image, optionalHeader + 60);
        if (sectionCount > MaxSections)
            return PeImageStatus.TooManySections;
        int sectionTable = optionalHeader + optionalHeaderSize;
        if (sectionTable + (long)sectionCount * SectionHeaderSize > image.Length)
            return PeImageStatus.TruncatedSectionTable;
        var sections = new PeSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            int header = sectionTable + i * SectionHeaderSize;
            uint virtualSize = ReadUInt32(image, header + 8);
            uint virtualAddress = ReadUInt32(image, header + 12);
            uint characteristics = ReadUInt32(image, header + 36);
            if ((ulong)virtualAddress + virtualSize > sizeOfImage)
                return PeImageStatus.SectionOutsideImage;
            sections[i] = new PeSection(ReadName(image.Slice(header, 8)), virtualAddress, virtualSize,
                (characteristics & ScnMemExecute) != 0, (characteristics & ScnMemWrite) != 0);
        }
        uint exceptionRva = 0;
        uint exceptionSize = 0;
        int exceptionEntry = DataDirectoriesOffset + ExceptionDirectory * 8;
        if (optionalHeaderSize >= exceptionEntry + 8 && ReadUInt32(image, optionalHeader + NumberOfRvaAndSizesOffset) > ExceptionDirectory)
        {
            exceptionRva = ReadUInt32(image, optionalHeader + exceptionEntry);
            exceptionSize = ReadUInt32(image, optionalHeader + exceptionEntry + 4);
            // A directory outside the image is treated as absent: only stack walks need it, not the mapping.
            if ((ulong)exceptionRva + exceptionSize > sizeOfImage)
                exceptionRva = exceptionSize = 0;
        }
        result = new PeImage(sections, sizeOfImage, sizeOfHeaders, exceptionRva, exceptionSize);
        return PeImageStatus.Ok;
    }

    private static string ReadName(ReadOnlySpan<byte> raw)
    {
        int length = 0;
        while (length < raw.Length && raw[length] != 0)
            length++;
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
            chars[i] = (char)raw[i];
        return new string(chars);
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) => (ushort)(data[offset] | data[offset + 1] << 8);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        data[offset] | (uint)data[offset + 1] << 8 | (uint)data[offset + 2] << 16 | (uint)data[offset + 3] << 24;
}
