// GCDesc decoding (kernel/Platform/Gc/GcDesc.cs) on MethodTables from the built kernel image (ImageGcDescData): each
// type's reference slots and object size, worked out from its C# fields (ILC lays out references first within a
// class, and a derived class's fields after its base's).
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Gc;
using Xunit;

namespace Kernel.HostTests.Gc;

public sealed unsafe class GcDescImageTests : IDisposable
{
    private readonly List<IntPtr> _blocks = new List<IntPtr>();

    public void Dispose()
    {
        foreach (IntPtr block in _blocks)
            NativeMemory.AlignedFree((void*)block);
    }

    [Fact]
    public void AClassWithOneReferenceHasOneSlotAfterTheMethodTable()
    {
        ulong obj = NewObject(ImageGcDescData.Holder, ImageGcDescData.HolderBefore);
        Assert.Equal(24UL, GcDesc.ObjectSize(obj));
        Assert.True(GcDesc.HasPointers(obj));
        Assert.Equal(new ulong[] { 8 }, SlotOffsets(obj));
    }

    [Fact]
    public void AClassWithThreeReferencesHasThreeConsecutiveSlots()
    {
        ulong obj = NewObject(ImageGcDescData.Node, ImageGcDescData.NodeBefore);
        Assert.Equal(40UL, GcDesc.ObjectSize(obj));
        Assert.Equal(new ulong[] { 8, 16, 24 }, SlotOffsets(obj));
    }

    [Fact]
    public void AnIntFieldAfterTheReferenceIsNotASlot()
    {
        ulong obj = NewObject(ImageGcDescData.Link, ImageGcDescData.LinkBefore);
        Assert.Equal(32UL, GcDesc.ObjectSize(obj));
        Assert.Equal(new ulong[] { 8 }, SlotOffsets(obj));
    }

    [Fact]
    public void ADerivedClassAddsASecondSeriesAfterTheBasesValueFields()
    {
        // Exception: _message, _frames, InnerException (8, 16, 24), then _frameCount and _keepFramesOnThrow (32);
        // PayloadException's Payload at 40.
        ulong obj = NewObject(ImageGcDescData.PayloadException, ImageGcDescData.PayloadExceptionBefore);
        Assert.Equal(56UL, GcDesc.ObjectSize(obj));
        ulong[] slots = SlotOffsets(obj);
        Array.Sort(slots);
        Assert.Equal(new ulong[] { 8, 16, 24, 40 }, slots);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void AnObjectArrayHasOneSlotPerElement(int length)
    {
        ulong obj = NewObject(ImageGcDescData.ObjectArray, ImageGcDescData.ObjectArrayBefore, length);
        Assert.Equal(24UL + 8 * (ulong)length, GcDesc.ObjectSize(obj));
        var expected = new List<ulong>();
        for (int i = 0; i < length; i++)
            expected.Add(16 + 8 * (ulong)i);
        Assert.Equal(expected.ToArray(), SlotOffsets(obj));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void AnArrayOfStructsRepeatsTheElementsReferencesAndSkipsItsInts(int length)
    {
        // 32-byte elements from offset 16: Name, Usage, Help (0, 8, 16), then the two ints (24, 28).
        ulong obj = NewObject(ImageGcDescData.CommandSpecArray, ImageGcDescData.CommandSpecArrayBefore, length);
        Assert.Equal(24UL + 32 * (ulong)length, GcDesc.ObjectSize(obj));
        var expected = new List<ulong>();
        for (int i = 0; i < length; i++)
        {
            for (ulong field = 0; field < 24; field += 8)
                expected.Add(16 + 32 * (ulong)i + field);
        }
        Assert.Equal(expected.ToArray(), SlotOffsets(obj));
    }

    [Fact]
    public void AnIntArrayHasNoPointersAndNoSlots()
    {
        ulong obj = NewObject(ImageGcDescData.Int32Array, ImageGcDescData.Int32ArrayBefore, 7);
        Assert.False(GcDesc.HasPointers(obj));
        Assert.Equal(24UL + 28 + 4, GcDesc.ObjectSize(obj));
        Assert.Empty(SlotOffsets(obj));
    }

    // Copies the cut bytes into native memory and makes a zeroed object of that type (length for arrays): the
    // object's first word points at the copied MethodTable.
    private ulong NewObject(string hex, int before, int length = -1)
    {
        byte[] bytes = Convert.FromHexString(hex);
        ulong copy = Aligned((ulong)bytes.Length);
        Marshal.Copy(bytes, 0, (IntPtr)copy, bytes.Length);
        ulong mt = copy + (ulong)before;
        ulong obj = Aligned(4096) + 8;
        *(ulong*)obj = mt;
        if (length >= 0)
            *(int*)(obj + 8) = length;
        return obj;
    }

    private static ulong[] SlotOffsets(ulong obj)
    {
        var visitor = new SlotList { Found = new List<ulong>() };
        GcDesc.VisitReferences(obj, ref visitor);
        var offsets = new ulong[visitor.Found.Count];
        for (int i = 0; i < offsets.Length; i++)
            offsets[i] = visitor.Found[i] - obj;
        return offsets;
    }

    private ulong Aligned(ulong bytes)
    {
        void* block = NativeMemory.AlignedAlloc((nuint)bytes, 16);
        NativeMemory.Clear(block, (nuint)bytes);
        _blocks.Add((IntPtr)block);
        return (ulong)block;
    }

    private struct SlotList : IReferenceVisitor
    {
        public List<ulong> Found;

        public void Visit(ulong* slot) => Found.Add((ulong)slot);
    }
}
