// Tests for EventRing (xHCI 1.2 §4.9.4 and §6.5): the one-entry Event Ring Segment Table, and the consumer against a
// simulated controller that writes events with its producer cycle state and flips it at the end of the segment.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class EventRingTests
{
    private const ulong SegmentBase = 0x0000_0002_3000_0040;
    private const ulong TableBase = 0x0000_0000_7FFF_F000;

    /// <summary>The controller's side of the event ring (§4.9.4): PCS starts at 1 and flips when it wraps.</summary>
    private sealed class SimulatedController
    {
        private readonly ArrayDmaMemory _segment;
        private int _enqueue;
        private bool _cycle = true;

        public SimulatedController(ArrayDmaMemory segment) => _segment = segment;

        public void Produce(Trb trb)
        {
            trb.WithCycle(_cycle).Write(_segment.Bytes.Slice(_enqueue * Trb.Size, Trb.Size));
            if (++_enqueue == _segment.Bytes.Length / Trb.Size)
            {
                _enqueue = 0;
                _cycle = !_cycle;
            }
        }
    }

    private static (EventRing Ring, ArrayDmaMemory Segment, ArrayDmaMemory Table, SimulatedController Controller) NewRing(int trbs)
    {
        var segment = new ArrayDmaMemory(trbs * Trb.Size, SegmentBase);
        var table = new ArrayDmaMemory(EventRing.SegmentTableEntrySize, TableBase);
        return (new EventRing(segment, table), segment, table, new SimulatedController(segment));
    }

    private static Trb Event(int n) => new Trb(0x1000 + (ulong)n * 16, 0x0100_0000u | (uint)n, 32u << 10 | (uint)(n & 0xFF) << 24);

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(4096)]
    public void SegmentTableEntryHoldsTheBaseAndSize(int trbs)
    {
        (EventRing ring, _, ArrayDmaMemory table, _) = NewRing(trbs);
        // §6.5: Ring Segment Base Address (bytes 0-7, 64-byte aligned), Ring Segment Size (bytes 8-9, in TRBs), rest reserved.
        byte[] expected = new byte[16];
        BitConverter.TryWriteBytes(expected.AsSpan(0), SegmentBase);
        BitConverter.TryWriteBytes(expected.AsSpan(8), (uint)trbs);
        Assert.Equal(expected, table.Array);
        Assert.Same(table, ring.SegmentTable);
        Assert.Equal(trbs, ring.Capacity);
        Assert.Equal(SegmentBase, ring.DequeuePointer);
        Assert.True(ring.Cycle);
    }

    [Fact]
    public void EmptyRingHasNothing()
    {
        (EventRing ring, _, _, _) = NewRing(16);
        Assert.False(ring.TryDequeue(out Trb trb));
        Assert.Equal(0u, trb.Control);
        Assert.Equal(SegmentBase, ring.DequeuePointer);
    }

    [Fact]
    public void EventsComeInOrderAndStopAtTheStaleCycle()
    {
        (EventRing ring, _, _, SimulatedController controller) = NewRing(16);
        for (int n = 0; n < 3; n++)
            controller.Produce(Event(n));
        for (int n = 0; n < 3; n++)
        {
            Assert.True(ring.TryDequeue(out Trb trb));
            Assert.Equal((Event(n).Parameter, Event(n).Status, Event(n).Control | 1), (trb.Parameter, trb.Status, trb.Control));
            Assert.Equal(SegmentBase + (ulong)(n + 1) * 16, ring.DequeuePointer);
        }
        Assert.False(ring.TryDequeue(out _));
        Assert.Equal(SegmentBase + 48, ring.DequeuePointer);
    }

    [Fact]
    public void WrapsAtTheEndOfTheSegmentAndFlipsTheCycle()
    {
        (EventRing ring, _, _, SimulatedController controller) = NewRing(16);
        for (int n = 0; n < 10; n++)
            controller.Produce(Event(n));
        for (int n = 0; n < 10; n++)
            Assert.True(ring.TryDequeue(out _));
        // 6 more in the first lap (C = 1), then 4 at the start of the second (C = 0).
        for (int n = 10; n < 20; n++)
            controller.Produce(Event(n));
        for (int n = 10; n < 20; n++)
        {
            Assert.True(ring.TryDequeue(out Trb trb));
            Assert.Equal(Event(n).Parameter, trb.Parameter);
            Assert.Equal(n < 16, trb.Cycle);
            if (n == 15)
                Assert.Equal((SegmentBase, false), (ring.DequeuePointer, ring.Cycle));
        }
        Assert.Equal(SegmentBase + 4 * 16, ring.DequeuePointer);
        Assert.False(ring.Cycle);
        // Slot 4 still holds event 4 of the first lap, with C = 1: stale for the consumer's state 0.
        Assert.False(ring.TryDequeue(out _));
        Assert.Equal(SegmentBase + 4 * 16, ring.DequeuePointer);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void RandomBatchesComeOutInOrderWithTheRightPointer()
    {
        // Batches of (events the controller writes, events the driver asks for); the controller never overruns the
        // consumer (an event ring is full one TRB short of its size, §4.9.4).
        Gen.Select(Gen.Int[16, 40], Gen.Select(Gen.Int[0, 50], Gen.Int[0, 50]).Array[1, 40]).ForAll((trbs, batches) =>
        {
            (EventRing ring, _, _, SimulatedController controller) = NewRing(trbs);
            var pending = new Queue<Trb>();
            int produced = 0, consumed = 0;
            foreach ((int produce, int consume) in batches)
            {
                for (int i = 0; i < produce && pending.Count < trbs - 1; i++)
                {
                    Trb trb = Event(produced++);
                    controller.Produce(trb);
                    pending.Enqueue(trb);
                }
                for (int i = 0; i < consume; i++)
                {
                    bool got = ring.TryDequeue(out Trb trb);
                    if (pending.Count == 0)
                    {
                        Assert.False(got);
                        continue;
                    }
                    Assert.True(got);
                    Trb expected = pending.Dequeue();
                    Assert.Equal((expected.Parameter, expected.Status), (trb.Parameter, trb.Status));
                    Assert.Equal(expected.Control & ~1u, trb.Control & ~1u);
                    consumed++;
                }
                Assert.Equal(SegmentBase + (ulong)(consumed % trbs * Trb.Size), ring.DequeuePointer);
                Assert.Equal(consumed / trbs % 2 == 0, ring.Cycle);
            }
        }, print: t => $"{t.Item1} TRBs: {string.Join(" ", t.Item2.Select(b => $"+{b.Item1}-{b.Item2}"))}");
    }
}
