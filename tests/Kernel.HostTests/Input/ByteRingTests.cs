// Tests for ByteRing: FIFO order, wrap-around of the slot index, refusing (never overwriting) when full, and
// random producer/consumer interleavings checked against a plain queue.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Input;
using Kernel.Tasks;
using Xunit;

namespace Kernel.HostTests.Input;

public class ByteRingTests
{
    [Fact]
    public void NewRingIsEmpty()
    {
        ByteRing ring = new ByteRing(8);

        Assert.True(ring.IsEmpty);
        Assert.Equal(0, ring.Count);
        Assert.False(ring.TryRead(out byte value));
        Assert.Equal(0, value);
        Assert.Equal(0UL, ring.WrittenCount);
        Assert.Equal(0UL, ring.DroppedCount);
    }

    [Fact]
    public void ReadsBytesInTheOrderWritten()
    {
        ByteRing ring = new ByteRing(8);
        foreach (byte b in new byte[] { 3, 1, 4, 1, 5 })
        {
            Assert.True(ring.TryWrite(b));
        }

        Assert.Equal(5, ring.Count);
        Assert.False(ring.IsEmpty);
        Assert.Equal(new byte[] { 3, 1, 4, 1, 5 }, Drain(ring));
        Assert.True(ring.IsEmpty);
        Assert.Equal(5UL, ring.ReadCount);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(int.MaxValue, ByteRing.MaxCapacity)]
    public void CapacityIsRoundedUpToAPowerOfTwo(int requested, int expected)
    {
        ByteRing ring = new ByteRing(requested);

        Assert.Equal(expected, ring.Capacity);
        for (int i = 0; i < expected; i++)
        {
            Assert.True(ring.TryWrite((byte)i));
        }

        Assert.False(ring.TryWrite(0xFF));
    }

    [Fact]
    public void FullRingRefusesNewBytesAndCountsThem()
    {
        ByteRing ring = new ByteRing(4);
        int accepted = 0;
        for (int i = 0; i < 10; i++)
        {
            accepted += ring.TryWrite((byte)(i + 1)) ? 1 : 0;
        }

        Assert.Equal(4, accepted);
        Assert.Equal(4, ring.Count);
        Assert.Equal(6UL, ring.DroppedCount);
        Assert.Equal(4UL, ring.WrittenCount);

        // The queued bytes are the oldest ones, untouched by the refused writes.
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Drain(ring));
    }

    [Fact]
    public void ReadingFromAFullRingMakesRoomForExactlyOneByte()
    {
        ByteRing ring = new ByteRing(2);
        ring.TryWrite(10);
        ring.TryWrite(11);
        Assert.True(ring.TryRead(out byte first));

        Assert.True(ring.TryWrite(12));
        Assert.False(ring.TryWrite(13));
        Assert.Equal(10, first);
        Assert.Equal(new byte[] { 11, 12 }, Drain(ring));
        Assert.Equal(1UL, ring.DroppedCount);
    }

    [Fact]
    public void WrapsAroundTheSlotsOverManyCycles()
    {
        // Bursts of 1..8 bytes into an 8-slot ring, so the read and write positions cross the end of the array
        // at every possible offset.
        ByteRing ring = new ByteRing(8);
        byte next = 0;
        byte expected = 0;
        ulong total = 0;
        for (int cycle = 0; cycle < 10_000; cycle++)
        {
            int burst = cycle % 8 + 1;
            for (int i = 0; i < burst; i++)
            {
                Assert.True(ring.TryWrite(next++));
            }

            Assert.Equal(burst, ring.Count);
            while (ring.TryRead(out byte value))
            {
                Assert.Equal(expected++, value);
            }

            total += (ulong)burst;
        }

        Assert.Equal(total, ring.WrittenCount);
        Assert.Equal(total, ring.ReadCount);
        Assert.Equal(0UL, ring.DroppedCount);
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void InterleavedWritesAndReadsBehaveLikeABoundedQueue()
    {
        // A capacity (any requested size; the ring rounds it up to a power of two), then writes (a value) and
        // reads (null), biased towards writing so the ring fills up often.
        Gen<byte?> operations = Gen.Frequency((3, Gen.Byte.Select(b => (byte?)b)), (2, Gen.Const((byte?)null)));
        Gen.Select(Gen.Int[1, 64], operations.Array[0, 400]).ForAll((requested, steps) =>
        {
            ByteRing ring = new ByteRing(requested);
            int capacity = ring.Capacity;
            Queue<byte> model = new Queue<byte>();
            ulong dropped = 0;
            ulong written = 0;
            foreach (byte? step in steps)
            {
                if (step is byte value)
                {
                    bool fits = model.Count < capacity;
                    Assert.Equal(fits, ring.TryWrite(value));
                    if (fits)
                    {
                        model.Enqueue(value);
                        written++;
                    }
                    else
                    {
                        dropped++;
                    }
                }
                else
                {
                    bool any = model.Count > 0;
                    Assert.Equal(any, ring.TryRead(out byte read));
                    if (any)
                    {
                        Assert.Equal(model.Dequeue(), read);
                    }
                }

                Assert.Equal(model.Count, ring.Count);
            }

            Assert.Equal(dropped, ring.DroppedCount);
            Assert.Equal(written, ring.WrittenCount);
        }, iterations: 500, print: t => "capacity " + t.Item1 + ": " + string.Join(" ", t.Item2.Select(b => b is byte v ? "w" + v : "r")));
    }

    [Fact]
    public void ConcurrentProducerAndConsumerThreadsKeepOrder()
    {
        // Stronger than the kernel needs (one CPU, where the only concurrency is an interrupt): two host
        // threads on different cores. The producer retries refused bytes, so the consumer must see 0, 1, 2, ...
        const int Total = 500_000;
        ByteRing ring = new ByteRing(64);
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Total;)
            {
                if (ring.TryWrite((byte)i))
                {
                    i++;
                }
                else
                {
                    // Yield rather than spin so the test also finishes on a single-core machine.
                    Thread.Yield();
                }
            }
        });

        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        int received = 0;
        while (received < Total && DateTime.UtcNow < deadline)
        {
            if (ring.TryRead(out byte value))
            {
                Assert.Equal((byte)received, value);
                received++;
            }
            else
            {
                Thread.Yield();
            }
        }

        Assert.True(producer.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(Total, received);
        Assert.Equal((ulong)Total, ring.WrittenCount);
    }

    private static byte[] Drain(ByteRing ring)
    {
        List<byte> bytes = new List<byte>();
        while (ring.TryRead(out byte value))
        {
            bytes.Add(value);
        }

        return bytes.ToArray();
    }
}
