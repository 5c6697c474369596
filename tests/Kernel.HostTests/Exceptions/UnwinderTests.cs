// The unwind-code interpreter: on records taken from the built kernel (checked against llvm-readobj's decoding of
// the same image) and on hand-made records that use every unwind operation.
using System;
using Kernel.Diagnostics;
using Xunit;

namespace Kernel.HostTests.Exceptions;

public sealed class UnwinderTests
{
    private const ulong Base = ImageUnwindData.ImageBase;
    private const ulong Stack = 0xFFFF_FF00_0004_0000;
    private const ulong ReturnAddress = 0x1_4000_1234;

    [Fact]
    public void GoldenManagedMethodPopsItsPushesAndFrame()
    {
        // llvm-readobj: KernelHeap.Allocate prolog 10: ALLOC_SMALL 80; PUSH rbx, rsi, rdi, r14, rbp (last push first).
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.KernelHeapAllocateTable, ImageUnwindData.KernelHeapAllocateEntries);
        RuntimeFunction method = table.At(image, 0);
        Assert.Equal(0, table.IndexOf(image, method.Begin + 0x20));
        Assert.Equal(UnwindStatus.Ok, UnwindRecord.TryReadManaged(image, method.UnwindRva, out UnwindRecord record));
        Assert.Equal(FunctionKind.Root, record.Kind);
        Assert.NotEqual(0u, record.EhInfoRva);
        Assert.False(record.IsReversePInvoke);
        Assert.Equal(10, record.PrologBytes);

        var stack = new FakeStack();
        stack[Stack + 80] = 0xB0B;
        stack[Stack + 88] = 0x515;
        stack[Stack + 96] = 0xD1D;
        stack[Stack + 104] = 0x1414;
        stack[Stack + 112] = 0xBBBB;
        stack[Stack + 120] = ReturnAddress;
        var context = new RegisterContext { Rip = Base + method.Begin + 0x20, Rsp = Stack };
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, Base, method, ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(Stack + 128, context.Rsp);
        Assert.Equal(0xB0BUL, context.Get(RegisterContext.Rbx));
        Assert.Equal(0x515UL, context.Get(RegisterContext.Rsi));
        Assert.Equal(0xD1DUL, context.Get(RegisterContext.Rdi));
        Assert.Equal(0x1414UL, context.R14);
        Assert.Equal(0xBBBBUL, context.Get(RegisterContext.Rbp));
    }

    [Fact]
    public void InsideThePrologOnlyTheExecutedCodesAreUndone()
    {
        // At offset 3 only `push rbp` (ends at 1) and `push r14` (ends at 3) have run.
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.KernelHeapAllocateTable, ImageUnwindData.KernelHeapAllocateEntries);
        RuntimeFunction method = table.At(image, 0);
        var stack = new FakeStack();
        stack[Stack] = 0x1414;
        stack[Stack + 8] = 0xBBBB;
        stack[Stack + 16] = ReturnAddress;
        var context = new RegisterContext { Rip = Base + method.Begin + 3, Rsp = Stack };
        context.Set(RegisterContext.Rbx, 0xB0B);
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, Base, method, ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(Stack + 24, context.Rsp);
        Assert.Equal(0x1414UL, context.R14);
        Assert.Equal(0xBBBBUL, context.Get(RegisterContext.Rbp));
        Assert.Equal(0xB0BUL, context.Get(RegisterContext.Rbx));
    }

    [Fact]
    public void GoldenFuncletsLeadBackToTheirMethod()
    {
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.FiltersDecideInTheFirstPassTable, ImageUnwindData.FiltersDecideInTheFirstPassEntries);
        int filters = 0;
        int handlers = 0;
        for (int i = 1; i < table.Count; i++)
        {
            RuntimeFunction funclet = table.At(image, i);
            Assert.Equal(UnwindStatus.Ok, UnwindRecord.TryReadManaged(image, funclet.UnwindRva, out UnwindRecord record));
            Assert.NotEqual(FunctionKind.Root, record.Kind);
            Assert.Equal(0u, record.EhInfoRva);
            filters += record.Kind == FunctionKind.Filter ? 1 : 0;
            handlers += record.Kind == FunctionKind.Handler ? 1 : 0;
            Assert.Equal(0, table.RootOf(image, i));
        }
        // Three filters; handlers: the inner finally, the three filtered catches, the outer catch (Exception).
        Assert.Equal(3, filters);
        Assert.Equal(5, handlers);
    }

    [Fact]
    public void GoldenEntryFromNativeCodeIsAReversePInvoke()
    {
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.EfiMainTable, ImageUnwindData.EfiMainEntries);
        Assert.Equal(UnwindStatus.Ok, UnwindRecord.TryReadManaged(image, table.At(image, 0).UnwindRva, out UnwindRecord record));
        Assert.True(record.IsReversePInvoke);
        Assert.Equal(FunctionKind.Root, record.Kind);
    }

    [Fact]
    public void GoldenCatchThunkRestoresXmmAndPushes()
    {
        // shim/exceptions.asm: 8 pushes, sub rsp 216, xmm6-15 saved at rsp+0x20 + 16 * n.
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.RhpCallCatchFuncletTable, ImageUnwindData.RhpCallCatchFuncletEntries);
        RuntimeFunction thunk = table.At(image, 0);
        Assert.False(table.IsManaged(thunk.Begin));
        var stack = new FakeStack();
        for (int x = 0; x < 10; x++)
        {
            stack[Stack + 0x20 + (ulong)x * 16] = 0x600 + (ulong)x;
            stack[Stack + 0x28 + (ulong)x * 16] = 0x700 + (ulong)x;
        }
        int[] pushed = { 15, 14, 13, 12, 7, 6, 5, 3 };
        for (int i = 0; i < pushed.Length; i++)
            stack[Stack + 216 + (ulong)i * 8] = 0x1000 + (ulong)pushed[i];
        stack[Stack + 216 + 64] = ReturnAddress;
        var context = new RegisterContext { Rip = Base + thunk.End - 1, Rsp = Stack };
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, Base, thunk, ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(Stack + 216 + 72, context.Rsp);
        foreach (int register in pushed)
            Assert.Equal(0x1000 + (ulong)register, context.Get(register));
        for (int x = 0; x < 10; x++)
        {
            Assert.Equal(0x600 + (ulong)x, context.XmmLow(6 + x));
            Assert.Equal(0x700 + (ulong)x, context.XmmHigh(6 + x));
        }
    }

    [Fact]
    public void GoldenThrowEntryUnwindsThroughItsFrameRegister()
    {
        byte[] image = GoldenImage.Build();
        FunctionTable table = GoldenImage.Table(ImageUnwindData.RhpThrowExTable, ImageUnwindData.RhpThrowExEntries);
        RuntimeFunction entry = table.At(image, 0);
        const ulong frame = Stack + 0x400;
        var stack = new FakeStack();
        stack[frame] = 0xCAFE;
        stack[frame + 8] = ReturnAddress;
        // The body realigned rsp below the frame: only rbp tells where the frame is.
        var context = new RegisterContext { Rip = Base + entry.Begin + 0x20, Rsp = Stack };
        context.Set(RegisterContext.Rbp, frame);
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, Base, entry, ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(frame + 16, context.Rsp);
        Assert.Equal(0xCAFEUL, context.Get(RegisterContext.Rbp));
    }

    [Fact]
    public void EveryOperationIsUndone()
    {
        // Prolog: push rbx (1); sub rsp,24 (5); sub rsp,0x1000 (12); sub rsp,0x30000 (19); lea rbp,[rsp+32] (24);
        // mov [rsp+16],rsi (29); mov [rsp+0x1000],r12 (37); movaps [rsp+48],xmm6 (43); movaps [rsp+0x2000],xmm7 (51);
        // plus a version-2 epilog code, which describes nothing to undo.
        var image = new byte[0x200];
        var codes = new ushort[]
        {
            Code(0, 6, 1), 0,
            Code(51, 9, 7), 0x2000, 0,
            Code(43, 8, 6), 3,
            Code(37, 5, 12), 0x1000, 0,
            Code(29, 4, 6), 2,
            Code(24, 3, 0),
            Code(19, 1, 1), 0, 3,
            Code(12, 1, 0), 0x200,
            Code(5, 2, 2),
            Code(1, 0, 3),
        };
        const uint record = 0x100;
        WriteRecord(image, record, 2, 0, 51, codes, frameRegister: 5, frameOffset: 2);
        var function = new RuntimeFunction(0x10, 0x80, record);
        const ulong body = Stack + 0x100;
        var stack = new FakeStack();
        stack[body + 16] = 0x5151;
        stack[body + 0x1000] = 0x1212;
        stack[body + 48] = 0x66;
        stack[body + 56] = 0x67;
        stack[body + 0x2000] = 0x77;
        stack[body + 0x2008] = 0x78;
        ulong pushes = body + 0x30000 + 0x1000 + 24;
        stack[pushes] = 0xB0B;
        stack[pushes + 8] = ReturnAddress;
        var context = new RegisterContext { Rip = 0x50, Rsp = Stack };
        context.Set(RegisterContext.Rbp, body + 32);
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, 0, function, ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(pushes + 16, context.Rsp);
        Assert.Equal(0xB0BUL, context.Get(RegisterContext.Rbx));
        Assert.Equal(0x5151UL, context.Get(RegisterContext.Rsi));
        Assert.Equal(0x1212UL, context.R12);
        Assert.Equal(0x66UL, context.XmmLow(6));
        Assert.Equal(0x67UL, context.XmmHigh(6));
        Assert.Equal(0x77UL, context.XmmLow(7));
        Assert.Equal(0x78UL, context.XmmHigh(7));
    }

    [Fact]
    public void ChainedRecordsUndoTheParentsCodesToo()
    {
        var image = new byte[0x200];
        WriteRecord(image, 0x100, 1, UnwindRecord.FlagChained, 4, new[] { Code(4, 2, 1) });
        // The chained RUNTIME_FUNCTION after the (padded) codes: the parent function and its record at 0x140.
        WriteUInt32(image, 0x108, 0x10);
        WriteUInt32(image, 0x10C, 0x20);
        WriteUInt32(image, 0x110, 0x140);
        WriteRecord(image, 0x140, 1, 0, 1, new[] { Code(1, 0, 7) });
        var stack = new FakeStack();
        stack[Stack + 16] = 0xD1D;
        stack[Stack + 24] = ReturnAddress;
        var context = new RegisterContext { Rip = 0x30, Rsp = Stack };
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, 0, new RuntimeFunction(0x28, 0x40, 0x100), ref context, stack));
        Assert.Equal(0xD1DUL, context.Get(RegisterContext.Rdi));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(Stack + 32, context.Rsp);
    }

    [Fact]
    public void MachineFrameSuppliesRipAndRsp()
    {
        var image = new byte[0x200];
        WriteRecord(image, 0x100, 1, 0, 0, new[] { Code(0, 10, 1) });
        var stack = new FakeStack();
        stack[Stack] = 0xE;
        stack[Stack + 8] = ReturnAddress;
        stack[Stack + 8 + 24] = 0x7777_0000;
        var context = new RegisterContext { Rip = 0x10, Rsp = Stack };
        Assert.Equal(UnwindStatus.Ok, Unwinder.Step(image, 0, new RuntimeFunction(0x10, 0x20, 0x100), ref context, stack));
        Assert.Equal(ReturnAddress, context.Rip);
        Assert.Equal(0x7777_0000UL, context.Rsp);
    }

    [Fact]
    public void BrokenRecordsAndStacksAreReported()
    {
        var image = new byte[0x200];
        WriteRecord(image, 0x100, 1, 0, 1, new[] { Code(1, 11, 0) });
        var context = new RegisterContext { Rip = 0x14, Rsp = Stack };
        var stack = new FakeStack();
        Assert.Equal(UnwindStatus.BadCode, Unwinder.Step(image, 0, new RuntimeFunction(0x10, 0x20, 0x100), ref context, stack));
        WriteRecord(image, 0x120, 3, 0, 0, Array.Empty<ushort>());
        Assert.Equal(UnwindStatus.BadVersion, Unwinder.Step(image, 0, new RuntimeFunction(0x10, 0x20, 0x120), ref context, stack));
        WriteRecord(image, 0x140, 1, 0, 1, new[] { Code(1, 0, 3) });
        Assert.Equal(UnwindStatus.MemoryUnreadable, Unwinder.Step(image, 0, new RuntimeFunction(0x10, 0x20, 0x140), ref context, stack));
        Assert.Equal(UnwindStatus.OutsideImage, Unwinder.Step(image, 0, new RuntimeFunction(0x10, 0x20, 0x1FF), ref context, stack));
    }

    [Theory]
    [InlineData(UnwindOp.PushNonvolatile, 0, 1)]
    [InlineData(UnwindOp.AllocateLarge, 0, 2)]
    [InlineData(UnwindOp.AllocateLarge, 1, 3)]
    [InlineData(UnwindOp.AllocateSmall, 5, 1)]
    [InlineData(UnwindOp.SetFrameRegister, 0, 1)]
    [InlineData(UnwindOp.SaveNonvolatile, 3, 2)]
    [InlineData(UnwindOp.SaveNonvolatileFar, 3, 3)]
    [InlineData(UnwindOp.SaveXmm128, 6, 2)]
    [InlineData(UnwindOp.SaveXmm128Far, 6, 3)]
    [InlineData(UnwindOp.PushMachineFrame, 1, 1)]
    public void SlotCountsFollowTheFormat(UnwindOp op, int info, int slots) => Assert.Equal(slots, Unwinder.SlotCount(op, info));

    private static ushort Code(int offset, int op, int info) => (ushort)(offset | (op | info << 4) << 8);

    private static void WriteRecord(byte[] image, uint rva, int version, int flags, int prolog, ushort[] codes, int frameRegister = 0, int frameOffset = 0)
    {
        image[rva] = (byte)(version | flags << 3);
        image[rva + 1] = (byte)prolog;
        image[rva + 2] = (byte)codes.Length;
        image[rva + 3] = (byte)(frameRegister | frameOffset << 4);
        for (int i = 0; i < codes.Length; i++)
        {
            image[rva + 4 + i * 2] = (byte)codes[i];
            image[rva + 5 + i * 2] = (byte)(codes[i] >> 8);
        }
    }

    private static void WriteUInt32(byte[] image, uint at, uint value) => BitConverter.GetBytes(value).CopyTo(image, at);
}
