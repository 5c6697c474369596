// The GC info v4 decoder (kernel/Platform/Gc/GcInfo.cs): golden blobs from the built kernel and synthetic bit streams.
using System;
using System.Collections.Generic;
using Kernel.Gc;
using Xunit;

namespace Kernel.HostTests.Gc;

public sealed class GcInfoTests
{
    private struct Collect : IGcSlotVisitor
    {
        public List<(int Index, GcSlot Slot)> Live;

        public void Visit(int index, in GcSlot slot) => (Live ??= new List<(int, GcSlot)>()).Add((index, slot));
    }

    private static GcInfoStatus Live(GcInfo info, uint offset, out List<(int Index, GcSlot Slot)> live)
    {
        var visitor = new Collect();
        GcInfoStatus status = info.EnumerateLiveSlots(offset, ref visitor);
        live = visitor.Live ?? new List<(int, GcSlot)>();
        return status;
    }

    [Fact]
    public void ResolveSafePointsAreTheReturnAddressesOfItsCalls()
    {
        Assert.Equal(GcInfoStatus.Ok, GcInfo.TryDecode(Convert.FromHexString(ImageGcInfoData.InterfaceDispatchResolve), out GcInfo info));
        Assert.True(info.IsSlimHeader);
        Assert.Equal(0xCFu, info.CodeLength);
        Assert.Equal(4, info.SafePointCount);
        Assert.Equal(new uint[] { 0x3D, 0x6E, 0x87, 0x91 }, new[] { info.SafePointAt(0), info.SafePointAt(1), info.SafePointAt(2), info.SafePointAt(3) });
        Assert.Equal(2, info.FindSafePoint(0x87));
        Assert.Equal(-1, info.FindSafePoint(0x86));
        Assert.Equal(0, info.SlotCount);
        Assert.Equal(GcInfoStatus.Ok, Live(info, 0x10, out var live));
        Assert.Empty(live);
    }

    [Fact]
    public void AllocateHasAFatHeaderRangesAndAFrameRegisterSlotTable()
    {
        Assert.Equal(GcInfoStatus.Ok, GcInfo.TryDecode(Convert.FromHexString(ImageGcInfoData.KernelHeapAllocate), out GcInfo info));
        Assert.False(info.IsSlimHeader);
        Assert.Equal(0x154u, info.CodeLength);
        Assert.Equal(5, info.StackBaseRegister);
        Assert.Equal(32u, info.SizeOfStackParameterArea);
        Assert.False(info.IsReversePInvoke);
        Assert.Equal(0, info.SafePointCount);
        Assert.Equal(2, info.InterruptibleRangeCount);
        info.GetInterruptibleRange(0, out uint start, out uint end);
        Assert.Equal((0x22u, 0x128u), (start, end));
        info.GetInterruptibleRange(1, out start, out end);
        Assert.Equal((0x133u, 0x153u), (start, end));
        Assert.Equal((7, 1, 1), (info.RegisterSlotCount, info.StackSlotCount, info.UntrackedSlotCount));
        int[] registers = { 1, 0, 1, 2, 3, 8, 14 };
        for (int i = 0; i < registers.Length; i++)
        {
            Assert.True(info.SlotAt(i).IsRegister);
            Assert.Equal(registers[i], info.SlotAt(i).Register);
        }
        Assert.True(info.SlotAt(0).IsInterior);
        GcSlot tracked = info.SlotAt(7);
        Assert.Equal((GcStackBase.FrameRegister, -72, GcSlotFlags.None), (tracked.StackBase, tracked.Offset, tracked.Flags));
        GcSlot untracked = info.SlotAt(8);
        Assert.Equal((GcStackBase.FrameRegister, -56, GcSlotFlags.Untracked), (untracked.StackBase, untracked.Offset, untracked.Flags));
    }

    [Fact]
    public void OutsideSafePointsAndRangesLivenessIsUnknownButUntrackedSlotsAreAlwaysLive()
    {
        GcInfo.TryDecode(Convert.FromHexString(ImageGcInfoData.KernelHeapAllocate), out GcInfo info);
        Assert.Equal(GcInfoStatus.NotAtSafePoint, Live(info, 0x10, out _));
        Assert.Equal(GcInfoStatus.NotAtSafePoint, Live(info, 0x128, out _));
        for (uint offset = 0x22; offset < 0x153; offset++)
        {
            if (!info.IsInterruptible(offset))
                continue;
            Assert.Equal(GcInfoStatus.Ok, Live(info, offset, out var live));
            Assert.Contains(live, l => l.Index == 8);
            Assert.All(live, l => Assert.InRange(l.Index, 0, 8));
        }
    }

    [Fact]
    public void SafePointVectorsSayWhichRegistersAreLive()
    {
        // Disassembly: rax holds the new Marker at the return from the allocator (0x12); rbx keeps it across the calls
        // returning at 0x22 and 0x47; after the last use (0x56, 0xB1) nothing is live.
        Assert.Equal(GcInfoStatus.Ok, GcInfo.TryDecode(Convert.FromHexString(ImageGcInfoData.RegisterAcrossCall), out GcInfo info));
        Assert.Equal(new uint[] { 0x12, 0x22, 0x47, 0x56, 0xB1 }, new[] { info.SafePointAt(0), info.SafePointAt(1), info.SafePointAt(2), info.SafePointAt(3), info.SafePointAt(4) });
        Live(info, 0x12, out var atAllocation);
        Assert.Equal(0, Assert.Single(atAllocation).Slot.Register);
        Live(info, 0x22, out var acrossCall);
        Assert.Equal(3, Assert.Single(acrossCall).Slot.Register);
        Live(info, 0x47, out var acrossSecond);
        Assert.Equal(3, Assert.Single(acrossSecond).Slot.Register);
        Live(info, 0x56, out var after);
        Assert.Empty(after);
        Assert.Equal(GcInfoStatus.NotAtSafePoint, Live(info, 0x20, out _));
    }

    [Theory]
    [InlineData("00", 3, 0u)]
    [InlineData("05", 3, 5u)]
    [InlineData("1F00", 3, 15u)]
    public void VariableLengthUnsignedNumbersChainChunks(string hex, int encodingBase, uint expected)
    {
        // 0x1F = 0b11111: chunk 0111 with the continuation bit set (7), then chunk 0001 (1 << 3): 7 + 8 = 15.
        var reader = new GcInfoBitReader(Convert.FromHexString(hex), 0);
        Assert.Equal(expected, reader.ReadVarUnsigned(encodingBase));
    }

    [Fact]
    public void VariableLengthSignedNumbersExtendTheirSign()
    {
        // base 2: chunk 0b011 is 3 with no continuation, sign bit (bit 1) set: -1.
        var reader = new GcInfoBitReader(new byte[] { 0b011 }, 0);
        Assert.Equal(-1, reader.ReadVarSigned(2));
        reader = new GcInfoBitReader(new byte[] { 0b001 }, 0);
        Assert.Equal(1, reader.ReadVarSigned(2));
    }

    [Fact]
    public void TruncatedBlobsAreCorruptNotMisread()
    {
        byte[] blob = Convert.FromHexString(ImageGcInfoData.KernelHeapAllocate);
        Assert.Equal(GcInfoStatus.Corrupt, GcInfo.TryDecode(blob.AsSpan(0, 6), out _));
        Assert.Equal(GcInfoStatus.Corrupt, GcInfo.TryDecode(ReadOnlySpan<byte>.Empty, out _));
    }

    [Fact]
    public void BitsForCodeOffsetsIsTheCeilingOfLog2()
    {
        Assert.Equal(0, GcInfoBitReader.BitsFor(1));
        Assert.Equal(1, GcInfoBitReader.BitsFor(2));
        Assert.Equal(8, GcInfoBitReader.BitsFor(0xCF));
        Assert.Equal(8, GcInfoBitReader.BitsFor(256));
        Assert.Equal(9, GcInfoBitReader.BitsFor(257));
    }
}
