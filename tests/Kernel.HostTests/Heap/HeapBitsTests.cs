// The heap's own bit helpers (the kernel's corelib has no BitOperations) against the BCL's.
using System;
using System.Numerics;
using CsCheck;
using Kernel.Heap;
using Kernel.HostTests.PropertyTesting;
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
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void AnyNonZeroValueMatchesTheBcl()
    {
        // A random 64-bit value shifted right by a random amount: every bit length is as likely as any other.
        Gen.Select(Gen.ULong, Gen.Int[0, 63]).Select((bits, shift) => bits >> shift).Where(value => value != 0)
            .ForAll(value =>
            {
                Assert.Equal(BitOperations.TrailingZeroCount(value), HeapBits.TrailingZeroCount(value));
                Assert.Equal(BitOperations.Log2(value), HeapBits.Log2(value));
                Assert.Equal(BitOperations.LeadingZeroCount(value), HeapBits.LeadingZeroCount(value));
                if (value < ulong.MaxValue / 2)
                    Assert.Equal(BitOperations.Log2(BitOperations.RoundUpToPowerOf2(value)), HeapBits.CeilLog2(value));
            }, iterations: 20_000, print: value => $"0x{value:X}");
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
