// Validated UEFI memory map (UEFI 2.10 §7.2.3 GetMemoryMap, EFI_MEMORY_DESCRIPTOR) sorted by address.
using System;

namespace Kernel.Memory;

/// <summary>
/// The UEFI memory map, validated and sorted by ascending physical address. Zero-length entries are dropped
/// (counted in <see cref="SkippedEmptyEntries"/>); undefined type values are counted in
/// <see cref="UnknownTypeEntries"/> and treated as reserved.
/// </summary>
public sealed class MemoryMap
{
    /// <summary>Size of EFI_MEMORY_DESCRIPTOR version 1; firmware may report a larger DescriptorSize.</summary>
    public const int MinDescriptorSize = 40;

    /// <summary>Most entries accepted; real maps have well under 200.</summary>
    public const int MaxEntries = 1024;

    /// <summary>
    /// Physical addresses are at most 52 bits wide on x86-64 (Intel SDM Vol. 3A §4.1.4, MAXPHYADDR),
    /// so no valid range ends above this.
    /// </summary>
    public const ulong PhysicalAddressLimit = 1UL << 52;

    // EFI_MEMORY_DESCRIPTOR: UINT32 Type, 4 bytes padding, then UINT64 fields.
    private const int TypeOffset = 0;
    private const int PhysicalStartOffset = 8;
    private const int NumberOfPagesOffset = 24;
    private const int AttributeOffset = 32;
    private const ulong PageOffsetMask = MemoryRegion.PageSize - 1;
    private const uint FirstOemType = 0x70000000;
    private const uint FirstOsvType = 0x80000000;

    private readonly MemoryRegion[] _regions;

    private MemoryMap(MemoryRegion[] regions, int count)
    {
        _regions = regions;
        Count = count;
        for (int i = 0; i < count; i++)
        {
            MemoryRegion region = regions[i];
            ulong size = region.SizeInBytes;
            TotalBytes += size;
            HighestAddressExclusive = Math.Max(HighestAddressExclusive, region.EndExclusive);
            if (region.Type == MemoryType.Conventional)
            {
                ConventionalBytes += size;
            }
            else if (region.Type == MemoryType.BootServicesCode || region.Type == MemoryType.BootServicesData)
            {
                BootServicesBytes += size;
            }
            else if (region.Type == MemoryType.LoaderCode || region.Type == MemoryType.LoaderData)
            {
                LoaderBytes += size;
            }

            if (region.IsUsableAfterBootServices)
            {
                HighestUsableAddressExclusive = Math.Max(HighestUsableAddressExclusive, region.EndExclusive);
            }
        }
    }

    /// <summary>Number of non-empty regions.</summary>
    public int Count { get; }

    /// <summary>Region <paramref name="index"/> in ascending address order; a default region when out of range.</summary>
    public MemoryRegion this[int index] => index >= 0 && index < Count ? _regions[index] : default;

    /// <summary>Bytes of conventional (free) memory.</summary>
    public ulong ConventionalBytes { get; }

    /// <summary>Bytes of boot services code and data, free after ExitBootServices.</summary>
    public ulong BootServicesBytes { get; }

    /// <summary>Bytes of loader code and data: the kernel image and what it allocated through boot services.</summary>
    public ulong LoaderBytes { get; }

    /// <summary>Bytes the kernel may use freely after ExitBootServices: conventional plus boot services memory.</summary>
    public ulong UsableBytes => ConventionalBytes + BootServicesBytes;

    /// <summary>Bytes covered by all regions of every type, MMIO included.</summary>
    public ulong TotalBytes { get; }

    /// <summary>End (exclusive) of the highest region of any type.</summary>
    public ulong HighestAddressExclusive { get; }

    /// <summary>End (exclusive) of the highest region that is usable after ExitBootServices, or 0 if none.</summary>
    public ulong HighestUsableAddressExclusive { get; }

    /// <summary>Number of zero-page descriptors that were skipped.</summary>
    public int SkippedEmptyEntries { get; private set; }

    /// <summary>Number of descriptors with an undefined type outside the OEM and OS ranges.</summary>
    public int UnknownTypeEntries { get; private set; }

    /// <summary>
    /// Parses the first <paramref name="mapSizeInBytes"/> bytes of <paramref name="buffer"/> as descriptors
    /// <paramref name="descriptorSize"/> bytes apart, as returned by GetMemoryMap. On failure
    /// <paramref name="map"/> is null and <paramref name="error"/> says why and where.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> buffer, int mapSizeInBytes, int descriptorSize, out MemoryMap map, out MemoryMapError error)
    {
        map = null;
        error = default;
        if (descriptorSize < MinDescriptorSize)
        {
            return Fail(MemoryMapErrorKind.DescriptorTooSmall, -1, -1, (ulong)Math.Max(descriptorSize, 0), out error);
        }

        if (mapSizeInBytes < 0 || mapSizeInBytes % descriptorSize != 0)
        {
            return Fail(MemoryMapErrorKind.SizeNotMultipleOfDescriptor, -1, -1, (ulong)Math.Max(mapSizeInBytes, 0), out error);
        }

        if (mapSizeInBytes > buffer.Length)
        {
            return Fail(MemoryMapErrorKind.BufferTooSmall, -1, -1, (ulong)mapSizeInBytes, out error);
        }

        int entryCount = mapSizeInBytes / descriptorSize;
        if (entryCount > MaxEntries)
        {
            return Fail(MemoryMapErrorKind.TooManyEntries, -1, -1, (ulong)entryCount, out error);
        }

        MemoryRegion[] regions = new MemoryRegion[entryCount];
        int[] firmwareIndices = new int[entryCount];
        int count = 0;
        int skipped = 0;
        int unknown = 0;
        for (int i = 0; i < entryCount; i++)
        {
            ReadOnlySpan<byte> descriptor = buffer.Slice(i * descriptorSize, MinDescriptorSize);
            uint type = ReadUInt32(descriptor, TypeOffset);
            ulong start = ReadUInt64(descriptor, PhysicalStartOffset);
            ulong pages = ReadUInt64(descriptor, NumberOfPagesOffset);
            if (pages == 0)
            {
                skipped++;
                continue;
            }

            if ((start & PageOffsetMask) != 0)
            {
                return Fail(MemoryMapErrorKind.UnalignedStart, i, -1, start, out error);
            }

            // Dividing instead of multiplying keeps the check itself from overflowing.
            if (start >= PhysicalAddressLimit || pages > (PhysicalAddressLimit - start) / MemoryRegion.PageSize)
            {
                return Fail(MemoryMapErrorKind.RangeOverflow, i, -1, pages, out error);
            }

            if (!MemoryRegion.IsStandardType(type) && type < FirstOemType)
            {
                unknown++;
            }

            regions[count] = new MemoryRegion(type, start, pages, ReadUInt64(descriptor, AttributeOffset));
            firmwareIndices[count] = i;
            count++;
        }

        if (count == 0)
        {
            return Fail(MemoryMapErrorKind.Empty, -1, -1, (ulong)entryCount, out error);
        }

        SortByStart(regions, firmwareIndices, count);

        // In a sorted list any overlap shows up between neighbours.
        for (int i = 1; i < count; i++)
        {
            if (regions[i - 1].EndExclusive > regions[i].PhysicalStart)
            {
                int first = Math.Min(firmwareIndices[i - 1], firmwareIndices[i]);
                int second = Math.Max(firmwareIndices[i - 1], firmwareIndices[i]);
                return Fail(MemoryMapErrorKind.Overlap, first, second, regions[i].PhysicalStart, out error);
            }
        }

        map = new MemoryMap(regions, count);
        map.SkippedEmptyEntries = skipped;
        map.UnknownTypeEntries = unknown;
        return true;
    }

    /// <summary>The boot log's line: usable memory and what the whole map describes.</summary>
    public string Summary() =>
        "memory: " + (UsableBytes >> 20).ToString() + " MiB usable (the firmware's map describes "
        + (TotalBytes >> 20).ToString() + " MiB in " + Count.ToString() + " regions, device memory included)";

    /// <summary>Returns the short name of a memory type, e.g. "Conventional".</summary>
    public static string TypeName(MemoryType type)
    {
        switch (type)
        {
            case MemoryType.Reserved: return "Reserved";
            case MemoryType.LoaderCode: return "LoaderCode";
            case MemoryType.LoaderData: return "LoaderData";
            case MemoryType.BootServicesCode: return "BootServicesCode";
            case MemoryType.BootServicesData: return "BootServicesData";
            case MemoryType.RuntimeServicesCode: return "RuntimeServicesCode";
            case MemoryType.RuntimeServicesData: return "RuntimeServicesData";
            case MemoryType.Conventional: return "Conventional";
            case MemoryType.Unusable: return "Unusable";
            case MemoryType.AcpiReclaim: return "AcpiReclaim";
            case MemoryType.AcpiNvs: return "AcpiNvs";
            case MemoryType.MemoryMappedIo: return "MemoryMappedIo";
            case MemoryType.MemoryMappedIoPortSpace: return "MemoryMappedIoPortSpace";
            case MemoryType.PalCode: return "PalCode";
            case MemoryType.Persistent: return "Persistent";
            case MemoryType.Unaccepted: return "Unaccepted";
            default: return "Unknown";
        }
    }

    /// <summary>Names a raw descriptor type, distinguishing OEM-defined, OS-defined and undefined values.</summary>
    public static string RawTypeName(uint rawType)
    {
        if (MemoryRegion.IsStandardType(rawType))
        {
            return TypeName((MemoryType)rawType);
        }

        return rawType >= FirstOsvType ? "OsvDefined" : rawType >= FirstOemType ? "OemDefined" : "Unknown";
    }

    /// <summary>Returns a one-line message for the boot log describing <paramref name="error"/>.</summary>
    public static string Describe(MemoryMapError error)
    {
        string entry = "memory map entry " + FormatDecimal((ulong)Math.Max(error.EntryIndex, 0));
        switch (error.Kind)
        {
            case MemoryMapErrorKind.None:
                return "memory map ok";
            case MemoryMapErrorKind.DescriptorTooSmall:
                return "memory map descriptor size " + FormatDecimal(error.Value) + " is below the minimum of " + FormatDecimal(MinDescriptorSize) + " bytes";
            case MemoryMapErrorKind.SizeNotMultipleOfDescriptor:
                return "memory map size " + FormatDecimal(error.Value) + " is not a whole number of descriptors";
            case MemoryMapErrorKind.BufferTooSmall:
                return "memory map size " + FormatDecimal(error.Value) + " exceeds the buffer holding it";
            case MemoryMapErrorKind.Empty:
                return "memory map has no non-empty entries";
            case MemoryMapErrorKind.TooManyEntries:
                return "memory map has " + FormatDecimal(error.Value) + " entries, more than the limit of " + FormatDecimal(MaxEntries);
            case MemoryMapErrorKind.UnalignedStart:
                return entry + " starts at " + FormatHex(error.Value) + ", which is not 4 KiB aligned";
            case MemoryMapErrorKind.RangeOverflow:
                return entry + " with " + FormatHex(error.Value) + " pages extends past the 52-bit physical address space";
            case MemoryMapErrorKind.Overlap:
                return entry + " overlaps entry " + FormatDecimal((ulong)Math.Max(error.OtherEntryIndex, 0)) + " at " + FormatHex(error.Value);
            default:
                return "unknown memory map error";
        }
    }

    private static bool Fail(MemoryMapErrorKind kind, int entryIndex, int otherEntryIndex, ulong value, out MemoryMapError error)
    {
        error = new MemoryMapError(kind, entryIndex, otherEntryIndex, value);
        return false;
    }

    // Insertion sort: firmware maps are usually already sorted, making this linear, and it is stable.
    private static void SortByStart(MemoryRegion[] regions, int[] firmwareIndices, int count)
    {
        for (int i = 1; i < count; i++)
        {
            MemoryRegion region = regions[i];
            int firmwareIndex = firmwareIndices[i];
            int j = i - 1;
            while (j >= 0 && regions[j].PhysicalStart > region.PhysicalStart)
            {
                regions[j + 1] = regions[j];
                firmwareIndices[j + 1] = firmwareIndices[j];
                j--;
            }

            regions[j + 1] = region;
            firmwareIndices[j + 1] = firmwareIndex;
        }
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset)
    {
        return (uint)data[offset]
            | ((uint)data[offset + 1] << 8)
            | ((uint)data[offset + 2] << 16)
            | ((uint)data[offset + 3] << 24);
    }

    private static ulong ReadUInt64(ReadOnlySpan<byte> data, int offset)
    {
        return ReadUInt32(data, offset) | ((ulong)ReadUInt32(data, offset + 4) << 32);
    }

    private static string FormatDecimal(ulong value)
    {
        const int MaxDigits = 20;
        const ulong DecimalBase = 10;
        char[] digits = new char[MaxDigits];
        int start = MaxDigits;
        do
        {
            digits[--start] = (char)('0' + (int)(value % DecimalBase));
            value /= DecimalBase;
        }
        while (value != 0);

        return new string(new ReadOnlySpan<char>(digits, start, MaxDigits - start));
    }

    private static string FormatHex(ulong value)
    {
        const int MaxNibbles = 16;
        const int NibbleBits = 4;
        const int NibbleMask = 0xF;
        char[] text = new char[2 + MaxNibbles];
        text[0] = '0';
        text[1] = 'x';
        for (int i = 0; i < MaxNibbles; i++)
        {
            int nibble = (int)(value >> ((MaxNibbles - 1 - i) * NibbleBits)) & NibbleMask;
            text[2 + i] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
        }

        return new string(new ReadOnlySpan<char>(text));
    }
}
