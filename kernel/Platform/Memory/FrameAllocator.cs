// The physical frame allocator: 4 KiB frames from the UEFI memory map (UEFI 2.10 §7.2.3), tracked in two
// bitmaps: which frames the allocator owns, and which of those are free. Owning is what makes a double free or
// the free of a frame it never handed out detectable instead of silently corrupting.
using System;

namespace Kernel.Memory;

/// <summary>What went wrong with a frame request.</summary>
public enum FrameError
{
    None,
    OutOfMemory,
    Misaligned,
    InvalidCount,
    NotOwned,
    DoubleFree,
}

/// <summary>Allocates and frees physical frames, singly or as contiguous runs.</summary>
public sealed class FrameAllocator : IFrameSource
{
    /// <summary>Bytes per frame.</summary>
    public const ulong FrameSize = 4096;

    /// <summary>Frames below this address are never handed out (real-mode structures, future SMP trampolines).</summary>
    public const ulong LowMemoryLimit = 1UL << 20;

    /// <summary>The allocator tracks memory up to this address; usable memory above it is counted as ignored.</summary>
    public const ulong MaxTrackedAddress = 1UL << 40;

    private const int BitsPerWord = 64;

    private const int StandardTypeCount = (int)MemoryType.Unaccepted + 1;

    private readonly ulong[] _reservedBytesByType = new ulong[StandardTypeCount];
    private readonly ulong[] _owned;
    private readonly ulong[] _free;
    private readonly ulong _frameLimit;
    private int _searchWord;

    /// <summary>Creates an allocator able to track frames below limitAddress; it owns nothing yet.</summary>
    public FrameAllocator(ulong limitAddress)
    {
        if (limitAddress > MaxTrackedAddress)
            limitAddress = MaxTrackedAddress;
        _frameLimit = limitAddress / FrameSize;
        int words = (int)((_frameLimit + BitsPerWord - 1) / BitsPerWord);
        _owned = new ulong[words];
        _free = new ulong[words];
    }

    /// <summary>Frames owned (free or handed out).</summary>
    public ulong TotalFrames { get; private set; }

    /// <summary>Frames free now.</summary>
    public ulong FreeFrames { get; private set; }

    /// <summary>Frames handed out and not freed.</summary>
    public ulong UsedFrames => TotalFrames - FreeFrames;

    /// <summary>Usable bytes the allocator could not track (above <see cref="MaxTrackedAddress"/> or below the low limit).</summary>
    public ulong IgnoredBytes { get; private set; }

    /// <summary>
    /// Bytes of the memory map the allocator does not hand out, by type (loader, runtime, ACPI, MMIO, reserved,
    /// and boot services until they are released); OEM-defined types count as Reserved.
    /// </summary>
    public ulong ReservedBytes(MemoryType type) => (int)type < StandardTypeCount ? _reservedBytesByType[(int)type] : 0;

    /// <summary>Number of frees rejected as double frees or foreign frames.</summary>
    public ulong RejectedFrees { get; private set; }

    /// <summary>
    /// An allocator owning the map's usable regions: conventional memory, and boot services memory when
    /// includeBootServices (only once nothing of the firmware's is in use any more).
    /// </summary>
    public static FrameAllocator FromMemoryMap(MemoryMap map, bool includeBootServices)
    {
        var allocator = new FrameAllocator(TrackedLimit(map));
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            bool usable = region.Type == MemoryType.Conventional
                || (includeBootServices && (region.Type == MemoryType.BootServicesCode || region.Type == MemoryType.BootServicesData));
            if (usable)
                allocator.AddFreeRange(region.PhysicalStart, region.PageCount);
            else
                allocator._reservedBytesByType[(int)region.Type] += region.SizeInBytes;
        }
        return allocator;
    }

    /// <summary>Bytes of bitmap <see cref="FromMemoryMap"/> allocates for map.</summary>
    public static ulong BitmapBytesFor(MemoryMap map)
    {
        ulong frames = TrackedLimit(map) / FrameSize;
        return 2 * ((frames + BitsPerWord - 1) / BitsPerWord) * sizeof(ulong);
    }

    // Size the bitmaps by the memory the allocator may ever own (usable memory, and loader data, which the early
    // heap gives back in part), not by an outlier above the limit.
    private static ulong TrackedLimit(MemoryMap map)
    {
        ulong limit = 0;
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            bool mayBeOwned = region.IsUsableAfterBootServices || region.Type == MemoryType.LoaderData;
            if (mayBeOwned && region.PhysicalStart < MaxTrackedAddress)
                limit = Math.Max(limit, Math.Min(region.EndExclusive, MaxTrackedAddress));
        }
        return limit;
    }

    /// <summary>
    /// Hands frames the loader kept (memory-map type LoaderData, such as the early heap's unused pages) to the
    /// allocator as free, and counts them out of the loader's reserved bytes.
    /// </summary>
    public void ReleaseLoaderPages(ulong start, ulong frameCount) => Release(start, frameCount, MemoryType.LoaderData);

    /// <summary>Hands a region of the memory map to the allocator once it is free to use (boot services memory).</summary>
    public void Release(MemoryRegion region) => Release(region.PhysicalStart, region.PageCount, region.Type);

    private void Release(ulong start, ulong frameCount, MemoryType type)
    {
        AddFreeRange(start, frameCount);
        ulong bytes = frameCount * FrameSize;
        ulong reserved = _reservedBytesByType[(int)type];
        _reservedBytesByType[(int)type] = reserved > bytes ? reserved - bytes : 0;
    }

    /// <summary>Hands the frames of [start, start + frames * 4 KiB) to the allocator as free.</summary>
    public void AddFreeRange(ulong start, ulong frameCount)
    {
        ulong first = start / FrameSize;
        ulong lowFrames = LowMemoryLimit / FrameSize;
        // Clamp to what the bitmaps cover; the rest (and anything wrapping past 2^64) is counted, not tracked.
        ulong end = frameCount > ulong.MaxValue / FrameSize - first ? ulong.MaxValue / FrameSize : first + frameCount;
        ulong trackedStart = Math.Max(first, lowFrames);
        ulong trackedEnd = Math.Min(end, _frameLimit);
        ulong tracked = trackedEnd > trackedStart ? trackedEnd - trackedStart : 0;
        IgnoredBytes += (end - first - tracked) * FrameSize;
        for (ulong frame = trackedStart; frame < trackedEnd; frame++)
        {
            if (IsSet(_owned, frame))
                continue;
            Set(_owned, frame);
            Set(_free, frame);
            TotalFrames++;
            FreeFrames++;
        }
    }

    /// <summary>Marks owned frames in [start, start + bytes) as in use, e.g. memory still used by the firmware.</summary>
    public void Reserve(ulong start, ulong bytes)
    {
        if (bytes == 0)
            return;
        ulong first = start / FrameSize;
        ulong end = (start + bytes + FrameSize - 1) / FrameSize;
        for (ulong frame = first; frame < end && frame < _frameLimit; frame++)
        {
            if (IsSet(_owned, frame) && IsSet(_free, frame))
            {
                Clear(_free, frame);
                FreeFrames--;
            }
        }
    }

    /// <summary>Whether the frame at physicalAddress is owned and free.</summary>
    public bool IsFree(ulong physicalAddress)
    {
        ulong frame = physicalAddress / FrameSize;
        return frame < _frameLimit && IsSet(_free, frame);
    }

    /// <summary>One free frame (lowest address first from the last find), or OutOfMemory.</summary>
    public FrameError TryAllocate(out ulong physicalAddress)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            int start = pass == 0 ? _searchWord : 0;
            int end = pass == 0 ? _free.Length : _searchWord;
            for (int word = start; word < end; word++)
            {
                ulong bits = _free[word];
                if (bits == 0)
                    continue;
                int bit = LowestSetBit(bits);
                ulong frame = (ulong)word * BitsPerWord + (ulong)bit;
                Clear(_free, frame);
                FreeFrames--;
                _searchWord = word;
                physicalAddress = frame * FrameSize;
                return FrameError.None;
            }
        }
        physicalAddress = 0;
        return FrameError.OutOfMemory;
    }

    /// <summary>count contiguous free frames starting at a multiple of alignmentFrames (a power of two).</summary>
    public FrameError TryAllocateContiguous(ulong count, ulong alignmentFrames, out ulong physicalAddress) =>
        TryAllocateContiguous(count, alignmentFrames, ulong.MaxValue, out physicalAddress);

    /// <summary>
    /// count contiguous free frames starting at a multiple of alignmentFrames (a power of two), the whole run
    /// below limitAddress (e.g. 4 GiB for a device that can only put 32-bit addresses on the bus); OutOfMemory
    /// when no such run is free there, even if one is free above it.
    /// </summary>
    public FrameError TryAllocateContiguous(ulong count, ulong alignmentFrames, ulong limitAddress, out ulong physicalAddress)
    {
        physicalAddress = 0;
        if (count == 0 || count > _frameLimit)
            return FrameError.InvalidCount;
        if (alignmentFrames == 0 || (alignmentFrames & (alignmentFrames - 1)) != 0)
            return FrameError.Misaligned;
        ulong frameEnd = Math.Min(_frameLimit, limitAddress / FrameSize);
        ulong frame = 0;
        while (frame + count <= frameEnd)
        {
            ulong run = 0;
            while (run < count && IsSet(_free, frame + run))
                run++;
            if (run == count)
            {
                for (ulong i = 0; i < count; i++)
                    Clear(_free, frame + i);
                FreeFrames -= count;
                physicalAddress = frame * FrameSize;
                return FrameError.None;
            }
            // Skip past the frame that broke the run, then up to the next aligned start.
            frame = (frame + run + 1 + alignmentFrames - 1) & ~(alignmentFrames - 1);
        }
        return FrameError.OutOfMemory;
    }

    /// <summary>Returns a frame; a frame not owned or already free is rejected and counted, never corrupting state.</summary>
    public FrameError Free(ulong physicalAddress) => FreeContiguous(physicalAddress, 1);

    /// <summary>Returns count frames from physicalAddress; all must be owned and in use, else nothing changes.</summary>
    public FrameError FreeContiguous(ulong physicalAddress, ulong count)
    {
        if ((physicalAddress & (FrameSize - 1)) != 0)
            return Reject(FrameError.Misaligned);
        if (count == 0)
            return Reject(FrameError.InvalidCount);
        ulong first = physicalAddress / FrameSize;
        if (count > _frameLimit || first > _frameLimit - count)
            return Reject(FrameError.NotOwned);
        for (ulong frame = first; frame < first + count; frame++)
        {
            if (!IsSet(_owned, frame))
                return Reject(FrameError.NotOwned);
            if (IsSet(_free, frame))
                return Reject(FrameError.DoubleFree);
        }
        for (ulong frame = first; frame < first + count; frame++)
            Set(_free, frame);
        FreeFrames += count;
        return FrameError.None;
    }

    bool IFrameSource.TryAllocateFrame(out ulong physicalAddress) => TryAllocate(out physicalAddress) == FrameError.None;

    /// <summary>A short description of an error, for logs and panics.</summary>
    public static string Describe(FrameError error) => error switch
    {
        FrameError.None => "ok",
        FrameError.OutOfMemory => "out of physical memory",
        FrameError.Misaligned => "address or alignment is not a whole frame",
        FrameError.InvalidCount => "invalid frame count",
        FrameError.NotOwned => "frame not owned by the allocator",
        FrameError.DoubleFree => "frame is already free (double free)",
        _ => "unknown frame error",
    };

    private FrameError Reject(FrameError error)
    {
        RejectedFrees++;
        return error;
    }

    // Frame numbers stay below MaxTrackedAddress / FrameSize (2^28), so word indices fit an int.
    private static bool IsSet(ulong[] bitmap, ulong frame) => (bitmap[(int)(frame / BitsPerWord)] & (1UL << (int)(frame % BitsPerWord))) != 0;

    private static void Set(ulong[] bitmap, ulong frame) => bitmap[(int)(frame / BitsPerWord)] |= 1UL << (int)(frame % BitsPerWord);

    private static void Clear(ulong[] bitmap, ulong frame) => bitmap[(int)(frame / BitsPerWord)] &= ~(1UL << (int)(frame % BitsPerWord));

    private static int LowestSetBit(ulong value)
    {
        int bit = 0;
        while ((value & 0xFFFF) == 0)
        {
            value >>= 16;
            bit += 16;
        }
        while ((value & 1) == 0)
        {
            value >>= 1;
            bit++;
        }
        return bit;
    }
}
