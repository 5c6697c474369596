// The five counters every heap design keeps (bytes in use, its peak, allocations, frees, rejected frees), in one place.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>Bookkeeping shared by the heap designs; each design decides what its requested bytes are.</summary>
public struct HeapCounters
{
    private ulong _bytesInUse;
    private ulong _peakBytesInUse;
    private ulong _allocationCount;
    private ulong _freeCount;
    private ulong _rejectedFreeCount;

    /// <summary>Bytes in live allocations (as requested).</summary>
    public ulong BytesInUse => _bytesInUse;

    /// <summary>Highest BytesInUse seen.</summary>
    public ulong PeakBytesInUse => _peakBytesInUse;

    /// <summary>Successful allocations.</summary>
    public ulong AllocationCount => _allocationCount;

    /// <summary>Successful frees.</summary>
    public ulong FreeCount => _freeCount;

    /// <summary>Rejected frees (foreign pointer, double free, corrupt header).</summary>
    public ulong RejectedFreeCount => _rejectedFreeCount;

    /// <summary>Counts a successful allocation of requestedBytes and updates the peak.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Allocated(ulong requestedBytes)
    {
        _allocationCount++;
        ulong inUse = _bytesInUse + requestedBytes;
        _bytesInUse = inUse;
        if (inUse > _peakBytesInUse)
            _peakBytesInUse = inUse;
    }

    /// <summary>Counts a successful free of a block that was requested as requestedBytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Freed(ulong requestedBytes)
    {
        _bytesInUse -= requestedBytes;
        _freeCount++;
    }

    /// <summary>Counts an in-place resize from oldBytes to newBytes (requested sizes) and updates the peak.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Resized(ulong oldBytes, ulong newBytes)
    {
        ulong inUse = _bytesInUse - oldBytes + newBytes;
        _bytesInUse = inUse;
        if (inUse > _peakBytesInUse)
            _peakBytesInUse = inUse;
    }

    /// <summary>Counts a rejected free (or rejected reallocation of a bad address).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rejected() => _rejectedFreeCount++;

    /// <summary>Fills the five counter fields of statistics; the design fills the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyTo(ref HeapStatistics statistics)
    {
        statistics.BytesInUse = _bytesInUse;
        statistics.PeakBytesInUse = _peakBytesInUse;
        statistics.AllocationCount = _allocationCount;
        statistics.FreeCount = _freeCount;
        statistics.RejectedFreeCount = _rejectedFreeCount;
    }
}
