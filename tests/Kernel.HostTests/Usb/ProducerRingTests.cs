// Tests for ProducerRing (xHCI 1.2 §4.9.2, §4.11.5.1 and §6.4.4.1): the link TRB at the end of the segment, the
// producer cycle state (1 in the first lap, flipped when the enqueue pointer passes the link, whose own cycle bit is
// handed over in the lap's state), the full check, and a property against a model of the ring.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class ProducerRingTests
{
    private const ulong Base = 0x0000_0001_0004_2000;

    private static (ProducerRing Ring, ArrayDmaMemory Memory) NewRing(int trbs)
    {
        var memory = new ArrayDmaMemory(trbs * Trb.Size, Base);
        return (new ProducerRing(memory), memory);
    }

    [Fact]
    public void FreshRingEndsWithALinkToItsBaseWithToggleCycle()
    {
        (ProducerRing ring, _) = NewRing(8);
        Trb link = ring.Read(7);
        // §6.4.4.1: Link TRB, parameter = segment base, TC bit 1, type 6; cycle 0 so the controller (CCS 1) stops there.
        Assert.Equal((Base, 0u, 0x0000_1802u), (link.Parameter, link.Status, link.Control));
        Assert.Equal((7, 0, true, Base), (ring.Capacity, ring.Outstanding, ring.Cycle, ring.EnqueuePointer));
        Assert.True(ring.InitialCycle);
        Assert.Equal(Base, ring.PhysicalAddress);
        for (int i = 0; i < 7; i++)
            Assert.Equal(0u, ring.Read(i).Control);
    }

    [Fact]
    public void EnqueueReturnsConsecutiveAddressesWithCycle1InTheFirstLap()
    {
        (ProducerRing ring, _) = NewRing(8);
        for (int i = 0; i < 6; i++)
        {
            ulong address = ring.Enqueue(Trb.Normal(0x9000 + (ulong)i, i));
            Assert.Equal(Base + (ulong)(16 * i), address);
            Trb written = ring.Read(i);
            // The given TRB's fields, plus C = 1 (§4.9.2: the producer cycle state starts at 1).
            Assert.Equal((0x9000 + (ulong)i, (uint)i, 0x0000_0425u), (written.Parameter, written.Status, written.Control));
        }
        Assert.Equal(Base + 6 * 16, ring.EnqueuePointer);
        Assert.Equal(6, ring.Outstanding);
        Assert.False(ring.Read(7).Cycle); // Link not handed over yet.
    }

    [Fact]
    public void EnqueueOverridesTheCycleBitOfTheGivenTrb()
    {
        (ProducerRing ring, _) = NewRing(4);
        ring.Enqueue(new Trb(1, 2, 0x0000_0401));
        ring.Enqueue(new Trb(1, 2, 0x0000_0400));
        Assert.Equal(0x0000_0401u, ring.Read(0).Control);
        Assert.Equal(0x0000_0401u, ring.Read(1).Control);
    }

    [Fact]
    public void PassingTheLinkHandsItOverInTheLapsStateAndFlipsTheCycle()
    {
        (ProducerRing ring, _) = NewRing(4); // 3 TRBs + link.
        for (int i = 0; i < 3; i++)
            ring.Enqueue(Trb.Normal(0x100, 1));
        // §4.11.5.1: the link gets the cycle bit of the lap that reaches it (1), keeping TC; the producer flips to 0.
        Assert.Equal((Base, 0x0000_1803u), (ring.Read(3).Parameter, ring.Read(3).Control));
        Assert.False(ring.Cycle);
        Assert.Equal(Base, ring.EnqueuePointer);

        ring.Retire(3);
        Assert.Equal(Base, ring.Enqueue(Trb.Normal(0x200, 2)));
        Assert.Equal(0x0000_0424u, ring.Read(0).Control); // Second lap: C = 0.
        Assert.Equal(0x0000_0425u, ring.Read(1).Control); // Still the first lap's TRB: C = 1 (stale to the controller).
        Assert.Equal(Base + 16, ring.Enqueue(Trb.Normal(0x201, 2)));
        Assert.Equal(Base + 32, ring.Enqueue(Trb.Normal(0x202, 2)));
        // End of the second lap: the link goes to C = 0, and the third lap is back at 1.
        Assert.Equal(0x0000_1802u, ring.Read(3).Control);
        Assert.True(ring.Cycle);
        ring.Retire(3);
        ring.Enqueue(Trb.Normal(0x300, 3));
        Assert.Equal(0x0000_0425u, ring.Read(0).Control);
    }

    [Fact]
    public void FullRingReturnsZeroAndWritesNothingUntilRetired()
    {
        (ProducerRing ring, ArrayDmaMemory memory) = NewRing(4);
        ring.Enqueue(Trb.Normal(1, 1));
        ring.Enqueue(Trb.Normal(2, 1));
        ring.Enqueue(Trb.Normal(3, 1));
        Assert.Equal(ring.Capacity, ring.Outstanding);
        byte[] before = memory.Array.ToArray();
        Assert.Equal(0UL, ring.Enqueue(Trb.Normal(4, 1)));
        Assert.Equal(before, memory.Array);
        Assert.Equal(3, ring.Outstanding);

        ring.Retire(1);
        Assert.Equal(2, ring.Outstanding);
        Assert.Equal(Base, ring.Enqueue(Trb.Normal(4, 1)));
        Assert.Equal(0UL, ring.Enqueue(Trb.Normal(5, 1)));
        ring.Retire(10); // More than outstanding: everything free, never negative.
        Assert.Equal(0, ring.Outstanding);
    }

    [Fact]
    public void ContainsCoversTheSegmentIncludingTheLink()
    {
        (ProducerRing ring, _) = NewRing(4);
        Assert.True(ring.Contains(Base));
        Assert.True(ring.Contains(Base + 63));
        Assert.False(ring.Contains(Base + 64));
        Assert.False(ring.Contains(Base - 1));
    }

    public sealed record RingOp(bool Enqueue, int RetireCount, ulong Parameter, uint Status, uint Control)
    {
        public override string ToString() => Enqueue ? $"enq(0x{Control:X})" : $"retire({RetireCount})";
    }

    private static readonly Gen<RingOp> GenOp =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 6], Gen.ULong, Gen.UInt, Gen.UInt)
            .Select(t => new RingOp(t.Item1 != 0, t.Item2, t.Item3, t.Item4, t.Item5));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void RandomEnqueueRetireSequencesMatchTheModel()
    {
        Gen.Select(Gen.Int[2, 12], GenOp.Array[0, 120]).ForAll((trbs, ops) =>
        {
            (ProducerRing ring, ArrayDmaMemory memory) = NewRing(trbs);
            int capacity = trbs - 1;
            int position = 0, outstanding = 0;
            bool cycle = true;
            var live = new Queue<int>(); // Slots the controller may still be reading.
            foreach (RingOp op in ops)
            {
                if (!op.Enqueue)
                {
                    ring.Retire(op.RetireCount);
                    for (int i = 0; i < op.RetireCount && live.Count > 0; i++)
                        live.Dequeue();
                    outstanding = live.Count;
                }
                else
                {
                    byte[] before = memory.Array.ToArray();
                    ulong address = ring.Enqueue(new Trb(op.Parameter, op.Status, op.Control));
                    if (outstanding == capacity)
                    {
                        Assert.Equal(0UL, address);
                        Assert.Equal(before, memory.Array);
                    }
                    else
                    {
                        Assert.Equal(Base + (ulong)(position * Trb.Size), address);
                        Assert.DoesNotContain(position, live);
                        Trb written = ring.Read(position);
                        uint expectedControl = (op.Control & ~1u) | (cycle ? 1u : 0);
                        Assert.Equal((op.Parameter, op.Status, expectedControl), (written.Parameter, written.Status, written.Control));
                        live.Enqueue(position);
                        outstanding++;
                        position++;
                        if (position == capacity)
                        {
                            Trb link = ring.Read(capacity);
                            Assert.Equal((Base, 0x0000_1802u | (cycle ? 1u : 0)), (link.Parameter, link.Control));
                            cycle = !cycle;
                            position = 0;
                        }
                        // Nothing but the written slot and (at a wrap) the link changed.
                        for (int b = 0; b < before.Length; b++)
                        {
                            int slot = b / Trb.Size;
                            if (slot != (int)((address - Base) / Trb.Size) && slot != capacity)
                                Assert.Equal(before[b], memory.Array[b]);
                        }
                    }
                }
                Assert.InRange(ring.Outstanding, 0, ring.Capacity);
                Assert.Equal((outstanding, cycle, Base + (ulong)(position * Trb.Size)), (ring.Outstanding, ring.Cycle, ring.EnqueuePointer));
                Assert.Equal(TrbType.Link, ring.Read(capacity).Type);
            }
        }, print: t => $"{t.Item1} TRBs: {string.Join(", ", t.Item2.Select(o => o.ToString()))}");
    }
}
