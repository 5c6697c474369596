// A method's GC info, format version 4 as ILC 10 writes it behind each root .xdata record (dotnet/runtime
// src/coreclr/inc/gcinfo.h and gcinfotypes.h for the AMD64 encoding bases, src/coreclr/vm/gcinfodecoder.cpp for
// the reader): a slim or fat header, the safe points (return addresses, no -1 adjustment since v4), the fully
// interruptible code ranges, the slot table (registers, tracked stack slots, untracked stack slots), then which
// tracked slots are live: one bit vector per safe point (possibly indirect and run-length coded), and for the
// interruptible ranges chunks of 64 code bytes, each with the slots that change in it, their state at the chunk's
// start and their transitions. Untracked slots are live everywhere. Nothing here allocates: a collection runs it.
using System;

namespace Kernel.Gc;

/// <summary>Why GC info could not be used.</summary>
public enum GcInfoStatus
{
    Ok,

    /// <summary>The blob ends early or holds an impossible value.</summary>
    Corrupt,

    /// <summary>A header feature ILC does not emit for x64 (edit-and-continue, a PSP symbol, varargs).</summary>
    Unsupported,

    /// <summary>The code offset is neither a safe point nor inside an interruptible range: liveness is unknown there.</summary>
    NotAtSafePoint,
}

/// <summary>Receives the live slots of a frame, in slot-table order.</summary>
public interface IGcSlotVisitor
{
    /// <summary>Slot number index (tracked slots first, then untracked) is live.</summary>
    void Visit(int index, in GcSlot slot);
}

/// <summary>A decoded GC info header with positions of its tables; the tables are read on demand.</summary>
public readonly ref partial struct GcInfo
{
    /// <summary>Header flags of the fat header (GcInfoHeaderFlags in gcinfo.h).</summary>
    [Flags]
    public enum HeaderFlags
    {
        None = 0,
        IsVarArg = 0x1,
        HasGsCookie = 0x4,
        HasPspSymbol = 0x8,
        GenericsContextMask = 0x30,
        HasStackBaseRegister = 0x40,
        WantsReportOnlyLeaf = 0x80,
        HasEditAndContinueInfo = 0x100,
        ReversePInvokeFrame = 0x200,
    }

    /// <summary>Value of the slot offsets the method does not have (the header's NO_* values).</summary>
    public const int NoSlot = -1;

    /// <summary>Value of StackBaseRegister when the method has no frame register.</summary>
    public const int NoRegister = -1;

    // AMD64GcInfoEncoding (gcinfotypes.h): the variable-length bases of each field.
    private const int FatFlagBits = 10;
    private const int CodeLengthBase = 8;
    private const int PrologSizeBase = 5;
    private const int EpilogSizeBase = 3;
    private const int GsCookieSlotBase = 6;
    private const int GenericsContextSlotBase = 6;
    private const int StackBaseRegisterBase = 3;
    private const int ReversePInvokeSlotBase = 6;
    private const int StackAreaBase = 3;
    private const int SafePointCountBase = 2;
    private const int RangeCountBase = 1;
    private const int RangeStartDeltaBase = 6;
    private const int RangeLengthDeltaBase = 6;
    private const int RegisterCountBase = 2;
    private const int StackSlotCountBase = 2;
    private const int UntrackedCountBase = 1;
    private const int RegisterBase = 3;
    private const int RegisterDeltaBase = 2;
    private const int StackSlotBase = 6;
    private const int StackSlotDeltaBase = 4;
    private const int PointerSizeBase = 3;
    private const int RunLengthRunBase = 2;
    private const int RunLengthSkipBase = 4;
    private const int ChunkBytesLog2 = 6;
    private const int ChunkBytes = 1 << ChunkBytesLog2;

    // rbp is stored as 0 (NORMALIZE_STACK_BASE_REGISTER: x ^ 5); stack quantities count 8-byte units.
    private const int StackBaseRegisterXor = 5;
    private const int StackUnitShift = 3;

    private readonly ReadOnlySpan<byte> _blob;
    private readonly int _safePointsBit;
    private readonly int _rangesBit;
    private readonly int _slotTableBit;
    private readonly int _livenessBit;

    private GcInfo(ReadOnlySpan<byte> blob, bool slim, HeaderFlags flags, uint codeLength, uint validStart, uint validEnd,
        int gsCookie, int genericsContext, int stackBase, int reversePInvoke, uint stackArea, int safePoints, int ranges,
        int registers, int stackSlots, int untracked, int safePointsBit, int rangesBit, int slotTableBit, int livenessBit)
    {
        _blob = blob;
        IsSlimHeader = slim;
        Flags = flags;
        CodeLength = codeLength;
        ValidRangeStart = validStart;
        ValidRangeEnd = validEnd;
        GsCookieSlot = gsCookie;
        GenericsContextSlot = genericsContext;
        StackBaseRegister = stackBase;
        ReversePInvokeFrameSlot = reversePInvoke;
        SizeOfStackParameterArea = stackArea;
        SafePointCount = safePoints;
        InterruptibleRangeCount = ranges;
        RegisterSlotCount = registers;
        StackSlotCount = stackSlots;
        UntrackedSlotCount = untracked;
        _safePointsBit = safePointsBit;
        _rangesBit = rangesBit;
        _slotTableBit = slotTableBit;
        _livenessBit = livenessBit;
    }

    /// <summary>Whether the header is the slim form (only code length, rbp or not, and safe points).</summary>
    public bool IsSlimHeader { get; }

    /// <summary>The fat header's flags (slim headers: at most HasStackBaseRegister).</summary>
    public HeaderFlags Flags { get; }

    /// <summary>Length of the method body in bytes (funclets included: they follow the body and share this info).</summary>
    public uint CodeLength { get; }

    /// <summary>Start of the code where the GS cookie or generics context is valid (after the prolog), or 0.</summary>
    public uint ValidRangeStart { get; }

    /// <summary>End of that code (before the epilog), or 0.</summary>
    public uint ValidRangeEnd { get; }

    /// <summary>Caller-SP-relative offset of the GS cookie, or NoSlot.</summary>
    public int GsCookieSlot { get; }

    /// <summary>Caller-SP-relative offset of the generics context, or NoSlot.</summary>
    public int GenericsContextSlot { get; }

    /// <summary>The frame register frame-relative slots count from (5 = rbp), or NoRegister.</summary>
    public int StackBaseRegister { get; }

    /// <summary>Offset of the reverse P/Invoke frame (the method is entered from native code), or NoSlot.</summary>
    public int ReversePInvokeFrameSlot { get; }

    /// <summary>Bytes of outgoing argument and scratch area at the bottom of the frame (SP-relative slots below it are scratch).</summary>
    public uint SizeOfStackParameterArea { get; }

    /// <summary>Number of safe points (call return addresses).</summary>
    public int SafePointCount { get; }

    /// <summary>Number of fully interruptible code ranges.</summary>
    public int InterruptibleRangeCount { get; }

    /// <summary>Register slots in the table.</summary>
    public int RegisterSlotCount { get; }

    /// <summary>Tracked stack slots in the table.</summary>
    public int StackSlotCount { get; }

    /// <summary>Untracked stack slots (always live).</summary>
    public int UntrackedSlotCount { get; }

    /// <summary>Slots whose liveness is recorded: registers and tracked stack slots.</summary>
    public int TrackedSlotCount => RegisterSlotCount + StackSlotCount;

    /// <summary>All slots.</summary>
    public int SlotCount => TrackedSlotCount + UntrackedSlotCount;

    /// <summary>Whether the method is entered from native code.</summary>
    public bool IsReversePInvoke => ReversePInvokeFrameSlot != NoSlot;

    /// <summary>Decodes the header of the blob starting at blob[0] (the blob may run on past its end).</summary>
    public static GcInfoStatus TryDecode(ReadOnlySpan<byte> blob, out GcInfo info)
    {
        info = default;
        var reader = new GcInfoBitReader(blob, 0);
        bool slim = !reader.ReadBit();
        HeaderFlags flags;
        uint validStart = 0, validEnd = 0, stackArea = 0;
        int gsCookie = NoSlot, generics = NoSlot, stackBase = NoRegister, reversePInvoke = NoSlot, ranges = 0;
        uint codeLength;
        if (slim)
        {
            flags = reader.ReadBit() ? HeaderFlags.HasStackBaseRegister : HeaderFlags.None;
            if (flags != HeaderFlags.None)
                stackBase = StackBaseRegisterXor;
            codeLength = reader.ReadVarUnsigned(CodeLengthBase);
        }
        else
        {
            flags = (HeaderFlags)reader.Read(FatFlagBits);
            if ((flags & (HeaderFlags.HasPspSymbol | HeaderFlags.HasEditAndContinueInfo | HeaderFlags.IsVarArg)) != 0)
                return GcInfoStatus.Unsupported;
            codeLength = reader.ReadVarUnsigned(CodeLengthBase);
            bool hasGenerics = (flags & HeaderFlags.GenericsContextMask) != 0;
            if ((flags & HeaderFlags.HasGsCookie) != 0)
            {
                validStart = reader.ReadVarUnsigned(PrologSizeBase) + 1;
                validEnd = codeLength - reader.ReadVarUnsigned(EpilogSizeBase);
            }
            else if (hasGenerics)
            {
                validStart = reader.ReadVarUnsigned(PrologSizeBase) + 1;
                validEnd = validStart + 1;
            }
            if ((flags & HeaderFlags.HasGsCookie) != 0)
                gsCookie = reader.ReadVarSigned(GsCookieSlotBase) << StackUnitShift;
            if (hasGenerics)
                generics = reader.ReadVarSigned(GenericsContextSlotBase) << StackUnitShift;
            if ((flags & HeaderFlags.HasStackBaseRegister) != 0)
                stackBase = (int)reader.ReadVarUnsigned(StackBaseRegisterBase) ^ StackBaseRegisterXor;
            if ((flags & HeaderFlags.ReversePInvokeFrame) != 0)
                reversePInvoke = reader.ReadVarSigned(ReversePInvokeSlotBase) << StackUnitShift;
            stackArea = reader.ReadVarUnsigned(StackAreaBase) << StackUnitShift;
        }
        int safePoints = (int)reader.ReadVarUnsigned(SafePointCountBase);
        if (!slim)
            ranges = (int)reader.ReadVarUnsigned(RangeCountBase);
        if (reader.Overrun || codeLength == 0 || safePoints > (int)codeLength || ranges > (int)codeLength)
            return GcInfoStatus.Corrupt;

        int safePointsBit = reader.Position;
        reader.Skip(safePoints * GcInfoBitReader.BitsFor(codeLength));
        int rangesBit = reader.Position;
        for (int i = 0; i < ranges; i++)
        {
            reader.ReadVarUnsigned(RangeStartDeltaBase);
            reader.ReadVarUnsigned(RangeLengthDeltaBase);
        }
        int slotTableBit = reader.Position;
        int registers = 0, stackSlots = 0, untracked = 0;
        if (reader.ReadBit())
            registers = (int)reader.ReadVarUnsigned(RegisterCountBase);
        if (reader.ReadBit())
        {
            stackSlots = (int)reader.ReadVarUnsigned(StackSlotCountBase);
            untracked = (int)reader.ReadVarUnsigned(UntrackedCountBase);
        }
        if (reader.Overrun || registers > 16 || stackSlots > 1 << 20 || untracked > 1 << 20)
            return GcInfoStatus.Corrupt;
        var cursor = new SlotCursor(reader, registers, stackSlots, untracked);
        for (int i = 0; i < registers + stackSlots + untracked; i++)
            cursor.Next();
        if (cursor.Overrun)
            return GcInfoStatus.Corrupt;
        info = new GcInfo(blob, slim, flags, codeLength, validStart, validEnd, gsCookie, generics, stackBase, reversePInvoke,
            stackArea, safePoints, ranges, registers, stackSlots, untracked, safePointsBit, rangesBit, slotTableBit, cursor.Position);
        return GcInfoStatus.Ok;
    }

    /// <summary>The code offset of safe point index (a call's return address, from the start of the method).</summary>
    public uint SafePointAt(int index)
    {
        int bits = GcInfoBitReader.BitsFor(CodeLength);
        var reader = new GcInfoBitReader(_blob, _safePointsBit + index * bits);
        return reader.Read(bits);
    }

    /// <summary>The index of the safe point at offset, or -1.</summary>
    public int FindSafePoint(uint offset)
    {
        int low = 0, high = SafePointCount - 1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            uint at = SafePointAt(middle);
            if (at == offset)
                return middle;
            if (at < offset)
                low = middle + 1;
            else
                high = middle - 1;
        }
        return -1;
    }

    /// <summary>Interruptible range index as [start, end) code offsets.</summary>
    public void GetInterruptibleRange(int index, out uint start, out uint end)
    {
        var reader = new GcInfoBitReader(_blob, _rangesBit);
        start = end = 0;
        for (int i = 0; i <= index; i++)
        {
            start = end + reader.ReadVarUnsigned(RangeStartDeltaBase);
            end = start + reader.ReadVarUnsigned(RangeLengthDeltaBase) + 1;
        }
    }

    /// <summary>Whether offset lies in a fully interruptible range.</summary>
    public bool IsInterruptible(uint offset) => InterruptibleOffset(offset) >= 0;

    /// <summary>Slot number index of the table.</summary>
    public GcSlot SlotAt(int index)
    {
        SlotCursor cursor = Slots();
        GcSlot slot = default;
        for (int i = 0; i <= index && i < SlotCount; i++)
            slot = cursor.Next();
        return slot;
    }

    /// <summary>Reads the slot table one slot after the other (each slot may be a delta from the one before).</summary>
    public ref struct SlotCursor
    {
        private GcInfoBitReader _reader;
        private readonly int _registers;
        private readonly int _stackSlots;
        private readonly int _total;
        private int _next;
        private GcSlot _current;
        private int _normalizedOffset;

        /// <summary>A cursor at the first slot description (reader just past the counts).</summary>
        public SlotCursor(GcInfoBitReader reader, int registers, int stackSlots, int untracked)
        {
            _reader = reader;
            _registers = registers;
            _stackSlots = stackSlots;
            _total = registers + stackSlots + untracked;
            _next = 0;
            _current = default;
            _normalizedOffset = 0;
        }

        /// <summary>Whether the table ran past the blob's end.</summary>
        public bool Overrun => _reader.Overrun;

        /// <summary>The bit just after the slots read so far.</summary>
        public int Position => _reader.Position;

        /// <summary>Advances to slot index (not before the current one) and returns it.</summary>
        public GcSlot MoveTo(int index)
        {
            while (_next <= index && _next < _total)
                Next();
            return _current;
        }

        /// <summary>Decodes the next slot.</summary>
        public GcSlot Next()
        {
            int index = _next++;
            bool first = index == 0 || index == _registers || index == _registers + _stackSlots;
            GcSlotFlags previousFlags = _current.Flags & (GcSlotFlags.Interior | GcSlotFlags.Pinned);
            GcSlotFlags untracked = index >= _registers + _stackSlots ? GcSlotFlags.Untracked : GcSlotFlags.None;
            if (index < _registers)
            {
                int register;
                GcSlotFlags flags;
                // After a slot with flags the next is written whole; after a plain one only as a delta.
                if (first || previousFlags != 0)
                {
                    register = (int)_reader.ReadVarUnsigned(RegisterBase);
                    flags = (GcSlotFlags)_reader.Read(2);
                }
                else
                {
                    register = _current.Register + (int)_reader.ReadVarUnsigned(RegisterDeltaBase) + 1;
                    flags = GcSlotFlags.None;
                }
                _current = new GcSlot(true, register, GcStackBase.CallerSp, 0, flags);
                return _current;
            }
            var stackBase = (GcStackBase)_reader.Read(2);
            GcSlotFlags slotFlags;
            if (first || previousFlags != 0)
            {
                _normalizedOffset = _reader.ReadVarSigned(StackSlotBase);
                slotFlags = (GcSlotFlags)_reader.Read(2);
            }
            else
            {
                _normalizedOffset += (int)_reader.ReadVarUnsigned(StackSlotDeltaBase);
                slotFlags = GcSlotFlags.None;
            }
            _current = new GcSlot(false, 0, stackBase, _normalizedOffset << StackUnitShift, slotFlags | untracked);
            return _current;
        }
    }
}
