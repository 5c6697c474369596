// The ring the controller fills and the driver consumes (xHCI 1.2 §4.9.4): one segment described by a one-entry
// Event Ring Segment Table. The consumer cycle state starts at 1; a TRB whose cycle bit equals it is new; at the end
// of the segment the driver wraps to the start and flips its state (event rings have no link TRB). After taking
// events the driver writes the dequeue pointer to ERDP, with the Event Handler Busy bit to clear it.
using System;
using System.Buffers.Binary;

namespace Kernel.Usb;

/// <summary>An event ring segment and its segment table.</summary>
public sealed class EventRing
{
    /// <summary>The size of one segment table entry.</summary>
    public const int SegmentTableEntrySize = 16;

    private readonly IDmaMemory _segment;
    private readonly int _capacity;
    private int _dequeue;
    private bool _cycle = true;

    /// <summary>
    /// An event ring over segment (zeroed, 64-byte aligned, 16 to 4096 TRBs), described in segmentTable (one entry,
    /// 64-byte aligned), which this writes.
    /// </summary>
    public EventRing(IDmaMemory segment, IDmaMemory segmentTable)
    {
        _segment = segment;
        _capacity = segment.Bytes.Length / Trb.Size;
        SegmentTable = segmentTable;
        Span<byte> entry = segmentTable.Bytes;
        BinaryPrimitives.WriteUInt64LittleEndian(entry, segment.PhysicalAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(8), (uint)_capacity);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.Slice(12), 0);
    }

    /// <summary>The segment table (for ERSTBA; ERSTSZ is 1).</summary>
    public IDmaMemory SegmentTable { get; }

    /// <summary>TRBs in the segment.</summary>
    public int Capacity => _capacity;

    /// <summary>The consumer cycle state.</summary>
    public bool Cycle => _cycle;

    /// <summary>What to write to ERDP after taking events: the next TRB to look at.</summary>
    public ulong DequeuePointer => _segment.PhysicalAddress + (ulong)(_dequeue * Trb.Size);

    /// <summary>Takes the next event if the controller has written one.</summary>
    public bool TryDequeue(out Trb trb)
    {
        Trb next = Trb.Read(_segment.Bytes.Slice(_dequeue * Trb.Size, Trb.Size));
        if (next.Cycle != _cycle)
        {
            trb = default;
            return false;
        }
        trb = next;
        _dequeue++;
        if (_dequeue == _capacity)
        {
            _dequeue = 0;
            _cycle = !_cycle;
        }
        return true;
    }
}
