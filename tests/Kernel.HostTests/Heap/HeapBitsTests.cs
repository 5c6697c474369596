// The heap's own bit helpers (the kernel's corelib has no BitOperations) against the BCL's.
using System;
using System.Numerics;
using Kernel.Heap;
using Xunit;

namespace Kernel.HostTests.Heap;

public class HeapBitsTests
{
    [Fact]
    public void SingleBits()
    {
        for (int i = 0; i < 64; i++)
        {
            ulong bit = 1UL << i;
            Assert.Equal(i, HeapBits.TrailingZeroCount(bit));
            Assert.Equal(i, HeapBits.Log2(bit));
            Assert.Equal(63 - i, HeapBits.LeadingZeroCount(bit));
            Assert.Equal(i, HeapBits.CeilLog2(bit));
            if (i >= 2)
                Assert.Equal(i, HeapBits.CeilLog2(bit - 1));
            if (i >= 1 && i < 63)
                Assert.Equal(i + 1, HeapBits.CeilLog2(bit + 1));
        }
        Assert.Equal(64, HeapBits.LeadingZeroCount(0));
    }

    [Fact]
    public void RandomValuesMatchTheBcl()
    {
        var random = new Random(5);
        for (int n = 0; n < 100000; n++)
        {
            ulong value = (ulong)random.NextInt64() >> random.Next(0, 63) | (ulong)random.Next(0, 2) << 63;
            if (value == 0)
                continue;
            Assert.Equal(BitOperations.TrailingZeroCount(value), HeapBits.TrailingZeroCount(value));
            Assert.Equal(BitOperations.Log2(value), HeapBits.Log2(value));
            Assert.Equal(BitOperations.LeadingZeroCount(value), HeapBits.LeadingZeroCount(value));
            if (value < ulong.MaxValue / 2)
                Assert.Equal(BitOperations.Log2(BitOperations.RoundUpToPowerOf2(value)), HeapBits.CeilLog2(value));
        }
    }

    [Fact]
    public void Alignments()
    {
        for (int i = 0; i <= 12; i++)
            Assert.True(HeapBits.IsValidAlignment(1UL << i));
        foreach (ulong bad in new ulong[] { 0, 3, 5, 6, 12, 24, 8192, 1UL << 40, ulong.MaxValue, 4095, 4097 })
            Assert.False(HeapBits.IsValidAlignment(bad), bad.ToString());
        Assert.Equal(4096UL, HeapBits.AlignUp(1, 4096));
        Assert.Equal(4096UL, HeapBits.AlignUp(4096, 4096));
        Assert.Equal(0UL, HeapBits.AlignDown(4095, 4096));
    }

    [Fact]
    public void MixDependsOnEveryWordBitAndTheAddress()
    {
        ulong baseline = HeapBits.Mix(0x1000, 0x240, 0x1234);
        for (int i = 0; i < 64; i++)
            Assert.NotEqual(baseline, HeapBits.Mix(0x1000, 0x240 ^ (1UL << i), 0x1234));
        Assert.NotEqual(baseline, HeapBits.Mix(0x1010, 0x240, 0x1234));
        Assert.NotEqual(baseline, HeapBits.Mix(0x1000, 0x240, 0x1235));
    }
}
