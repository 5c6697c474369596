// A byte array standing in for RAM, so the page-table code can be run on the host: page tables are read and
// written through IPhysicalMemory, new table frames come from IFrameSource, and TLB invalidations are recorded.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Memory;

namespace Kernel.HostTests.Memory;

/// <summary>
/// Simulated physical memory: frames are handed out upwards from <see cref="FirstFrame"/>, filled with garbage
/// (IFrameSource promises nothing about their contents), and the supply can be limited to make it run out.
/// </summary>
public sealed class SimulatedPhysicalMemory : IPhysicalMemory, IFrameSource
{
    public const ulong FrameSize = 4096;
    public const int EntriesPerTable = 512;

    /// <summary>The byte every handed-out frame is filled with; odd, so garbage "entries" look present.</summary>
    public const byte Garbage = 0xA5;

    private readonly byte[] _ram;
    private readonly List<ulong> _handedOut = new();
    private ulong _next;
    private int? _remaining;

    /// <summary>RAM of the given size; frames are handed out from firstFrame up (frame 0 is kept back by default).</summary>
    public SimulatedPhysicalMemory(int bytes = 8 << 20, ulong firstFrame = 0x10000)
    {
        if (bytes <= 0 || bytes % (int)FrameSize != 0)
            throw new ArgumentOutOfRangeException(nameof(bytes));
        if (firstFrame % FrameSize != 0 || firstFrame >= (ulong)bytes)
            throw new ArgumentOutOfRangeException(nameof(firstFrame));
        _ram = new byte[bytes];
        FirstFrame = firstFrame;
        _next = firstFrame;
    }

    /// <summary>Size of the simulated RAM in bytes.</summary>
    public ulong Size => (ulong)_ram.Length;

    /// <summary>Address of the first frame handed out.</summary>
    public ulong FirstFrame { get; }

    /// <summary>Frames handed out so far through <see cref="TryAllocateFrame"/>.</summary>
    public int FramesHandedOut => _handedOut.Count;

    /// <summary>The frames handed out, in order.</summary>
    public IReadOnlyList<ulong> HandedOut => _handedOut;

    /// <summary>Requests refused because the supply ran out.</summary>
    public int RefusedRequests { get; private set; }

    /// <summary>From now on hand out at most frames more frames.</summary>
    public void RunOutAfter(int frames) => _remaining = frames;

    /// <summary>Hand out no frame at all from now on.</summary>
    public void RunOut() => RunOutAfter(0);

    /// <summary>Lift any limit set by <see cref="RunOutAfter"/>.</summary>
    public void Refill() => _remaining = null;

    public bool TryAllocateFrame(out ulong physicalAddress)
    {
        if (_remaining == 0 || _next + FrameSize > Size)
        {
            RefusedRequests++;
            physicalAddress = 0;
            return false;
        }

        if (_remaining.HasValue)
            _remaining--;
        physicalAddress = _next;
        _next += FrameSize;
        _ram.AsSpan((int)physicalAddress, (int)FrameSize).Fill(Garbage);
        _handedOut.Add(physicalAddress);
        return true;
    }

    /// <summary>A frame zeroed and ready to be a PML4, not counted as handed out (as if the kernel made it).</summary>
    public ulong CreateRoot()
    {
        if (_next + FrameSize > Size)
            throw new InvalidOperationException("simulated RAM is full");
        ulong root = _next;
        _next += FrameSize;
        _ram.AsSpan((int)root, (int)FrameSize).Clear();
        return root;
    }

    public Span<ulong> Table(ulong physicalAddress)
    {
        // A walk that follows a garbage or truncated pointer lands here: fail loudly instead of reading junk.
        if (physicalAddress % FrameSize != 0)
            throw new ArgumentException($"table address 0x{physicalAddress:X} is not frame aligned", nameof(physicalAddress));
        if (physicalAddress >= Size)
            throw new ArgumentOutOfRangeException(nameof(physicalAddress), $"table address 0x{physicalAddress:X} is outside simulated RAM");
        return MemoryMarshal.Cast<byte, ulong>(_ram.AsSpan((int)physicalAddress, (int)FrameSize));
    }

    /// <summary>The raw entry index of the table at tablePhysical.</summary>
    public ulong Entry(ulong tablePhysical, int index) => Table(tablePhysical)[index];

    /// <summary>Whether all 512 entries of the table at tablePhysical are zero.</summary>
    public bool IsZeroTable(ulong tablePhysical)
    {
        foreach (ulong entry in Table(tablePhysical))
        {
            if (entry != 0)
                return false;
        }

        return true;
    }
}

/// <summary>A TLB that remembers which addresses were invalidated, in order.</summary>
public sealed class RecordingTranslationCache : ITranslationCache
{
    public List<ulong> Invalidated { get; } = new();

    public void Invalidate(ulong virtualAddress) => Invalidated.Add(virtualAddress);
}
