// Liveness in a method's GC info: which tracked slots hold references at a code offset, from the safe point's bit
// vector (plain, indirect or run-length coded) or from the interruptible ranges' chunk transitions; untracked slots
// are always live. The header, safe points, ranges and slot table are in GcInfo.cs.
namespace Kernel.Gc;

/// <summary>A method's GC info: the live-slot queries.</summary>
public readonly ref partial struct GcInfo
{
    /// <summary>
    /// Reports the slots live at code offset (from the start of the method body): at a safe point its bit vector,
    /// in an interruptible range the chunk transitions, and always the untracked slots. A method with neither safe
    /// points nor ranges reports its untracked slots anywhere; a method without slots reports nothing anywhere.
    /// </summary>
    public GcInfoStatus EnumerateLiveSlots<TVisitor>(uint offset, ref TVisitor visitor) where TVisitor : struct, IGcSlotVisitor
    {
        if (SlotCount == 0)
            return GcInfoStatus.Ok;
        int tracked = TrackedSlotCount;
        int safePoint = SafePointCount > 0 ? FindSafePoint(offset) : -1;
        int pseudoOffset = -1;
        if (safePoint < 0 && InterruptibleRangeCount > 0)
        {
            pseudoOffset = InterruptibleOffset(offset);
            if (pseudoOffset < 0)
                return GcInfoStatus.NotAtSafePoint;
        }
        else if (safePoint < 0 && SafePointCount > 0 && tracked > 0)
        {
            return GcInfoStatus.NotAtSafePoint;
        }

        SlotCursor cursor = Slots();
        if (tracked > 0 && (safePoint >= 0 || pseudoOffset >= 0))
        {
            var reader = new GcInfoBitReader(_blob, _livenessBit);
            GcInfoStatus status = safePoint >= 0
                ? ReportSafePoint(ref reader, safePoint, tracked, ref cursor, ref visitor)
                : ReportInterruptible(ref reader, pseudoOffset, tracked, ref cursor, ref visitor);
            if (status != GcInfoStatus.Ok)
                return status;
        }
        for (int index = tracked; index < SlotCount; index++)
            visitor.Visit(index, cursor.MoveTo(index));
        return cursor.Overrun ? GcInfoStatus.Corrupt : GcInfoStatus.Ok;
    }

    private SlotCursor Slots()
    {
        var reader = new GcInfoBitReader(_blob, _slotTableBit);
        if (reader.ReadBit())
            reader.ReadVarUnsigned(RegisterCountBase);
        if (reader.ReadBit())
        {
            reader.ReadVarUnsigned(StackSlotCountBase);
            reader.ReadVarUnsigned(UntrackedCountBase);
        }
        return new SlotCursor(reader, RegisterSlotCount, StackSlotCount, UntrackedSlotCount);
    }

    // The offset counted through the interruptible ranges only (their lengths laid end to end), or -1 outside them.
    private int InterruptibleOffset(uint offset)
    {
        var reader = new GcInfoBitReader(_blob, _rangesBit);
        uint end = 0, before = 0;
        for (int i = 0; i < InterruptibleRangeCount; i++)
        {
            uint start = end + reader.ReadVarUnsigned(RangeStartDeltaBase);
            uint length = reader.ReadVarUnsigned(RangeLengthDeltaBase) + 1;
            end = start + length;
            if (offset >= start && offset < end)
                return (int)(before + offset - start);
            before += length;
        }
        return -1;
    }

    private uint InterruptibleLength()
    {
        var reader = new GcInfoBitReader(_blob, _rangesBit);
        uint total = 0;
        for (int i = 0; i < InterruptibleRangeCount; i++)
        {
            reader.ReadVarUnsigned(RangeStartDeltaBase);
            total += reader.ReadVarUnsigned(RangeLengthDeltaBase) + 1;
        }
        return total;
    }

    private GcInfoStatus ReportSafePoint<TVisitor>(ref GcInfoBitReader reader, int safePoint, int tracked, ref SlotCursor cursor,
        ref TVisitor visitor) where TVisitor : struct, IGcSlotVisitor
    {
        // The encoder may store the vectors once each and index them through a table of bit offsets.
        int offsetBits = reader.ReadBit() ? (int)reader.ReadVarUnsigned(PointerSizeBase) + 1 : 0;
        if (offsetBits != 0)
        {
            int table = reader.Position;
            reader.Position = table + safePoint * offsetBits;
            int vector = (int)reader.Read(offsetBits);
            reader.Position = ((table + SafePointCount * offsetBits + 7) & ~7) + vector;
            if (reader.ReadBit())
                return ReportRuns(ref reader, tracked, ref cursor, ref visitor);
        }
        else
        {
            reader.Skip(safePoint * tracked);
        }
        for (int index = 0; index < tracked; index++)
        {
            if (reader.ReadBit())
                visitor.Visit(index, cursor.MoveTo(index));
        }
        return reader.Overrun ? GcInfoStatus.Corrupt : GcInfoStatus.Ok;
    }

    // A run-length coded vector: alternating runs of dead (skip) and live slots, which comes first given by a bit.
    private static GcInfoStatus ReportRuns<TVisitor>(ref GcInfoBitReader reader, int tracked, ref SlotCursor cursor, ref TVisitor visitor)
        where TVisitor : struct, IGcSlotVisitor
    {
        bool skip = !reader.ReadBit();
        bool live = true;
        int index = (int)reader.ReadVarUnsigned(skip ? RunLengthSkipBase : RunLengthRunBase);
        skip = !skip;
        while (index < tracked && !reader.Overrun)
        {
            int count = (int)reader.ReadVarUnsigned(skip ? RunLengthSkipBase : RunLengthRunBase) + 1;
            if (live)
            {
                for (int i = index; i < index + count && i < tracked; i++)
                    visitor.Visit(i, cursor.MoveTo(i));
            }
            index += count;
            skip = !skip;
            live = !live;
        }
        return reader.Overrun ? GcInfoStatus.Corrupt : GcInfoStatus.Ok;
    }

    private GcInfoStatus ReportInterruptible<TVisitor>(ref GcInfoBitReader reader, int pseudoOffset, int tracked, ref SlotCursor cursor,
        ref TVisitor visitor) where TVisitor : struct, IGcSlotVisitor
    {
        // Past the safe-point vectors (none are indirect when the method has no safe points).
        if (SafePointCount > 0)
        {
            if (reader.ReadBit())
                reader.ReadVarUnsigned(PointerSizeBase);
            reader.Skip(SafePointCount * tracked);
        }
        uint length = InterruptibleLength();
        int chunkCount = (int)((length + ChunkBytes - 1) / ChunkBytes);
        int breakChunk = pseudoOffset / ChunkBytes;
        int pointerBits = (int)reader.ReadVarUnsigned(PointerSizeBase);
        if (pointerBits == 0)
            return GcInfoStatus.Ok;
        int pointerTable = reader.Position;
        // A chunk where nothing changes has no record: the state is that of the nearest earlier recorded chunk's end,
        // which its final states give; an empty prefix means nothing is live.
        int chunk = breakChunk;
        uint chunkPointer;
        while (true)
        {
            reader.Position = pointerTable + chunk * pointerBits;
            chunkPointer = reader.Read(pointerBits);
            if (chunkPointer != 0)
                break;
            if (chunk-- == 0)
                return GcInfoStatus.Ok;
        }
        int chunksStart = (pointerTable + chunkCount * pointerBits + 7) & ~7;
        reader.Position = chunksStart + (int)chunkPointer - 1;

        // Which slots change in the chunk: a plain or run-length coded bit vector.
        var couldBeLive = new GcInfoBitReader(_blob, reader.Position);
        int changing = 0;
        if (reader.ReadBit())
        {
            bool skip = !reader.ReadBit();
            bool live = true;
            int read = (int)reader.ReadVarUnsigned(skip ? RunLengthSkipBase : RunLengthRunBase);
            skip = !skip;
            while (read < tracked && !reader.Overrun)
            {
                int count = (int)reader.ReadVarUnsigned(skip ? RunLengthSkipBase : RunLengthRunBase) + 1;
                if (live)
                    changing += count;
                read += count;
                skip = !skip;
                live = !live;
            }
        }
        else
        {
            for (int i = 0; i < tracked; i++)
            {
                if (reader.ReadBit())
                    changing++;
            }
        }
        // Then each such slot's state at the chunk's end, then (for the break chunk) each one's transitions.
        var finalState = new GcInfoBitReader(_blob, reader.Position);
        reader.Skip(changing);
        bool simple = !couldBeLive.ReadBit();
        bool skipFirst = false;
        int slotIndex = 0;
        int run = 0;
        if (!simple)
        {
            skipFirst = !couldBeLive.ReadBit();
            slotIndex = -1;
        }
        int breakDelta = pseudoOffset % ChunkBytes;
        for (int i = 0; i < changing; i++)
        {
            if (simple)
            {
                while (!couldBeLive.ReadBit() && !couldBeLive.Overrun)
                    slotIndex++;
            }
            else if (run > 0)
            {
                run--;
            }
            else if (skipFirst)
            {
                slotIndex += (int)couldBeLive.ReadVarUnsigned(RunLengthSkipBase) + 1;
                run = (int)couldBeLive.ReadVarUnsigned(RunLengthRunBase);
            }
            else
            {
                slotIndex += (int)couldBeLive.ReadVarUnsigned(RunLengthRunBase) + 1;
                run = (int)couldBeLive.ReadVarUnsigned(RunLengthSkipBase);
            }
            bool isLive = finalState.ReadBit();
            if (chunk == breakChunk)
            {
                // Transitions at or before the break offset already happened; the final state undoes the later ones.
                while (reader.ReadBit() && !reader.Overrun)
                {
                    int transition = (int)reader.Read(ChunkBytesLog2);
                    if (transition > breakDelta)
                        isLive = !isLive;
                }
            }
            if (slotIndex < 0 || slotIndex >= tracked || couldBeLive.Overrun || finalState.Overrun || reader.Overrun)
                return GcInfoStatus.Corrupt;
            if (isLive)
                visitor.Visit(slotIndex, cursor.MoveTo(slotIndex));
            slotIndex++;
        }
        return GcInfoStatus.Ok;
    }
}
