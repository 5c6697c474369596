// A ring the driver fills and the controller consumes: the command ring, or a transfer ring of one endpoint (xHCI
// 1.2 §4.9.2). One segment of TRBs whose last entry is a Link TRB back to the first with Toggle Cycle set. The
// producer writes each TRB with its current cycle state (control word last, so the controller never sees a
// half-written TRB as new); passing the link flips the state, which is how the controller tells this lap's TRBs
// from the last lap's.
using System;

namespace Kernel.Usb;

/// <summary>A single-segment producer ring.</summary>
public sealed class ProducerRing
{
    private readonly IDmaMemory _memory;
    private readonly int _capacity;
    private int _enqueue;
    private bool _cycle = true;
    private int _outstanding;

    /// <summary>A ring over memory (zeroed, at least 2 TRBs, 16-byte aligned); the last TRB becomes the link.</summary>
    public ProducerRing(IDmaMemory memory)
    {
        _memory = memory;
        _capacity = memory.Bytes.Length / Trb.Size;
        Trb.Link(memory.PhysicalAddress).Write(Slot(_capacity - 1));
    }

    /// <summary>The ring's first TRB: what CRCR or an endpoint context's dequeue pointer starts at.</summary>
    public ulong PhysicalAddress => _memory.PhysicalAddress;

    /// <summary>The cycle state the controller must start with (the dequeue cycle state): always 1 for a new ring.</summary>
    public bool InitialCycle => true;

    /// <summary>TRBs the ring holds, not counting the link.</summary>
    public int Capacity => _capacity - 1;

    /// <summary>TRBs enqueued and not yet reported done with <see cref="Retire"/>.</summary>
    public int Outstanding => _outstanding;

    /// <summary>Where the next TRB goes, and its cycle state (for Set TR Dequeue Pointer after an error).</summary>
    public ulong EnqueuePointer => _memory.PhysicalAddress + (ulong)(_enqueue * Trb.Size);

    /// <summary>The producer cycle state.</summary>
    public bool Cycle => _cycle;

    /// <summary>
    /// Writes trb at the enqueue position with the producer's cycle bit and returns its physical address (what the
    /// completion event will point at), or 0 when the ring is full (every slot outstanding).
    /// </summary>
    public ulong Enqueue(Trb trb)
    {
        if (_outstanding >= Capacity)
            return 0;
        ulong address = EnqueuePointer;
        trb.WithCycle(_cycle).Write(Slot(_enqueue));
        _outstanding++;
        _enqueue++;
        if (_enqueue == _capacity - 1)
        {
            // Hand the link to the controller in this lap's state, then start the next lap.
            Span<byte> link = Slot(_capacity - 1);
            Trb.Read(link).WithCycle(_cycle).Write(link);
            _cycle = !_cycle;
            _enqueue = 0;
        }
        return address;
    }

    /// <summary>count TRBs the controller has finished with may be reused.</summary>
    public void Retire(int count) => _outstanding = count > _outstanding ? 0 : _outstanding - count;

    /// <summary>Whether address is one of this ring's TRBs.</summary>
    public bool Contains(ulong address) =>
        address >= _memory.PhysicalAddress && address < _memory.PhysicalAddress + (ulong)(_capacity * Trb.Size);

    /// <summary>
    /// The TRB at physical address (what a transfer event points at), false when address is not one of this ring's
    /// TRBs (outside it, or not on a TRB boundary).
    /// </summary>
    public bool TryReadAt(ulong address, out Trb trb)
    {
        trb = default;
        if (!Contains(address) || (address - _memory.PhysicalAddress) % Trb.Size != 0)
            return false;
        trb = Read((int)((address - _memory.PhysicalAddress) / Trb.Size));
        return true;
    }

    /// <summary>The TRB at index (for tests and diagnostics).</summary>
    public Trb Read(int index) => Trb.Read(Slot(index));

    private Span<byte> Slot(int index) => _memory.Bytes.Slice(index * Trb.Size, Trb.Size);
}
