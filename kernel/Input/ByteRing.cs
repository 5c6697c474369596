// Single-producer/single-consumer byte ring (a bounded FIFO): how an interrupt handler hands bytes to a task
// without locks and without allocating.
using System.Runtime.CompilerServices;

namespace Kernel.Input;

/// <summary>
/// A fixed-capacity FIFO of bytes for exactly one producer and one consumer, typically an interrupt handler
/// writing and a task reading. When the ring is full, new bytes are refused and counted in
/// <see cref="DroppedCount"/>; bytes already queued are never overwritten, so the consumer sees an in-order
/// prefix of what was offered. Nothing is allocated after construction and nothing blocks.
/// </summary>
/// <remarks>
/// <para>
/// The ring keeps two free-running 64-bit counters instead of a shared "count": <c>_writeIndex</c> (bytes
/// published, written only by the producer) and <c>_readIndex</c> (bytes consumed, written only by the consumer).
/// A slot is <c>index &amp; mask</c>. Since neither side writes the other's field, no update can be lost when one
/// side interrupts the other mid-operation. 64-bit counters cannot wrap in practice (at 115200 baud, 11520 bytes a
/// second, that takes some fifty million years), so the difference of the two is always the number of queued bytes.
/// </para>
/// <para>
/// The ordering relied on: the producer stores the byte into its slot and only then stores the bumped
/// <c>_writeIndex</c> (publishing it); the consumer loads <c>_writeIndex</c>, then loads the byte, and only then
/// stores the bumped <c>_readIndex</c> (releasing the slot). The kernel runs on one CPU and the only concurrency
/// is an interrupt arriving between two instructions; a CPU always observes its own stores in program order, so
/// no fence instruction is needed, only that the compiler keeps these accesses in source order. The corelib has
/// no <c>Volatile</c>, so <see cref="TryWrite"/>, <see cref="TryRead"/> and <see cref="Count"/> are never inlined:
/// a call the optimizer cannot see into forces the fields to be re-read on every call, so a loop polling the ring
/// cannot hoist the index loads out of the loop, and the stores inside each method stay in source order (the
/// JIT does not move a store ahead of an earlier store or load to a different field of the same object in
/// practice, although ECMA-335 alone would allow it). If the corelib gains <c>Volatile</c>, the two index stores
/// should become <c>Volatile.Write</c>.
/// </para>
/// <para>
/// Either side may be the interrupt handler. If the consumer is interrupted between reading a byte and bumping
/// <c>_readIndex</c>, the producer merely sees the ring one byte fuller than it is and at worst drops a byte
/// early; it never overwrites the slot being read. If the producer is interrupted between storing a byte and
/// publishing it, the consumer just does not see that byte yet.
/// </para>
/// </remarks>
public sealed class ByteRing
{
    /// <summary>Largest capacity accepted; bigger requests are clamped. A serial or keyboard queue needs far less.</summary>
    public const int MaxCapacity = 1 << 20;

    private readonly byte[] _slots;
    private readonly ulong _mask;

    // Producer-owned: bytes published, and bytes refused because the ring was full.
    private ulong _writeIndex;
    private ulong _droppedCount;

    // Consumer-owned: bytes consumed.
    private ulong _readIndex;

    /// <summary>
    /// Creates an empty ring. <paramref name="capacityPowerOfTwo"/> should be a power of two so a slot is found
    /// by masking; any other value is rounded up to the next power of two (and clamped to 1 ..
    /// <see cref="MaxCapacity"/>) rather than failing, since the kernel has no exceptions. Read
    /// <see cref="Capacity"/> for the capacity actually used.
    /// </summary>
    public ByteRing(int capacityPowerOfTwo)
    {
        int capacity = 1;
        while (capacity < capacityPowerOfTwo && capacity < MaxCapacity)
        {
            capacity <<= 1;
        }

        _slots = new byte[capacity];
        _mask = (ulong)(capacity - 1);
    }

    /// <summary>How many bytes the ring holds when full.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Bytes queued now. Exact on either side; a snapshot that may be stale by the time it is used.</summary>
    public int Count
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get
        {
            // Each side sees its own counter exactly and the other's as of some recent moment, so the
            // difference lies in 0..Capacity; the clamps only matter for a caller that is neither side.
            ulong written = _writeIndex;
            ulong read = _readIndex;
            if (read >= written)
            {
                return 0;
            }

            ulong queued = written - read;
            return queued > (ulong)_slots.Length ? _slots.Length : (int)queued;
        }
    }

    /// <summary>Whether no byte is queued (see <see cref="Count"/> for how fresh this is).</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Bytes refused by <see cref="TryWrite"/> because the ring was full.</summary>
    public ulong DroppedCount => _droppedCount;

    /// <summary>Bytes accepted by <see cref="TryWrite"/> since construction (read or not).</summary>
    public ulong WrittenCount => _writeIndex;

    /// <summary>Bytes taken out by <see cref="TryRead"/> since construction.</summary>
    public ulong ReadCount => _readIndex;

    /// <summary>
    /// Producer side: queues <paramref name="value"/>. Returns false, and counts the byte in
    /// <see cref="DroppedCount"/>, when the ring is full.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool TryWrite(byte value)
    {
        ulong write = _writeIndex;
        if (write - _readIndex >= (ulong)_slots.Length)
        {
            _droppedCount++;
            return false;
        }

        // Fill the slot first, then publish it: the consumer never looks past _writeIndex.
        _slots[(int)(write & _mask)] = value;
        _writeIndex = write + 1;
        return true;
    }

    /// <summary>
    /// Consumer side: takes the oldest queued byte. Returns false, with <paramref name="value"/> zero, when the
    /// ring is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool TryRead(out byte value)
    {
        ulong read = _readIndex;
        if (read == _writeIndex)
        {
            value = 0;
            return false;
        }

        // Take the byte first, then release the slot: the producer may reuse it as soon as _readIndex moves.
        value = _slots[(int)(read & _mask)];
        _readIndex = read + 1;
        return true;
    }
}
