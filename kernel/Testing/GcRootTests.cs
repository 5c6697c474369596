#if KERNEL_TESTS
// In-kernel tests of precise stack roots (kernel/Platform/Gc/StackRoots.cs) without a collector: capture the
// registers at a known call, enumerate the live slots of every frame from GC info, and check what was reported.
using System.Runtime.CompilerServices;
using Kernel.Diagnostics;
using Kernel.Gc;
using Kernel.Memory;

namespace Kernel.Testing;

public static unsafe class GcRootTests
{
    private const int MaxRoots = 512;

    // Not a reference: no reported slot may hold it.
    private const long PlainValue = 0x5EED_0000_1234;

    private static ulong[] s_values;
    private static ulong[] s_slots;
    private static bool[] s_isRegister;
    private static int s_count;
    private static int s_missedConservatively;
    private static RegisterContext s_start;

    /// <summary>Objects held only in locals of the calling frames are reported; an integer local is not.</summary>
    public static void LocalsOfCallersAreReported()
    {
        var first = new Marker(1);
        var second = new Marker(2);
        long plain = PlainValue;
        Expect.True(EnumerateHere(), "every frame proven");
        KeepAlive(first);
        KeepAlive(second);
        KeepAlive(plain);
        Expect.True(Reported(AddressOf(first)), "first local reported");
        Expect.True(Reported(AddressOf(second)), "second local reported");
        Expect.True(!Reported((ulong)plain), "integer local not reported");
    }

    /// <summary>A reference held across a call in a callee-saved register is reported where the callee saved it.</summary>
    public static void RegisterAcrossCallIsReported()
    {
        var held = new Marker(3);
        Expect.True(EnumerateHere(), "every frame proven");
        KeepAlive(held);
        int index = IndexOf(AddressOf(held));
        Expect.True(index >= 0, "register-held local reported");
        Expect.True(s_isRegister[index], "reported as a register slot");
    }

    /// <summary>Every precise root's value is also found by a conservative scan of the same stack and registers.</summary>
    public static void PreciseRootsAreAmongConservativeOnes()
    {
        var held = new Marker(4);
        Expect.True(EnumerateHere(), "every frame proven");
        KeepAlive(held);
        Expect.True(s_count > 0, "some roots reported");
        Expect.True(s_missedConservatively == 0, "precise root found conservatively");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool EnumerateHere()
    {
        s_values ??= new ulong[MaxRoots];
        s_slots ??= new ulong[MaxRoots];
        s_isRegister ??= new bool[MaxRoots];
        s_count = 0;
        s_start = StackWalker.CaptureHere();
        bool proven = StackRoots.TryEnumeratePreciseStackRoots(s_start, KernelAddressSpace.KernelStackTop, Record);
        // The scan runs here, while this frame still holds [Rsp, top) live: once it returns, an interrupt may
        // push its frame over the dead stack below the caller and change the words the roots were read from.
        s_missedConservatively = CountMissedByConservativeScan();
        return proven;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CountMissedByConservativeScan()
    {
        int missed = 0;
        ulong top = KernelAddressSpace.KernelStackTop;
        for (int i = 0; i < s_count; i++)
        {
            ulong value = s_values[i];
            if (value == 0)
                continue;
            bool found = false;
            for (int register = 0; register < 16 && !found; register++)
                found = s_start.Get(register) == value;
            // Safe: [Rsp, KernelStackTop) is the live kernel stack: the capturing frame has not returned yet.
            for (ulong at = s_start.Rsp & ~7UL; at < top && !found; at += 8)
                found = *(ulong*)at == value;
            if (!found)
                missed++;
        }
        return missed;
    }

    private static void Record(ulong* slot, bool interior, bool isRegister, ulong frameSp)
    {
        if (s_count >= MaxRoots)
            return;
        s_slots[s_count] = (ulong)slot;
        // Safe: the enumerator hands out addresses of live stack slots or of the start context.
        s_values[s_count] = *slot;
        s_isRegister[s_count] = isRegister;
        s_count++;
    }

    private static bool Reported(ulong value) => IndexOf(value) >= 0;

    private static int IndexOf(ulong value)
    {
        for (int i = 0; i < s_count; i++)
        {
            if (s_values[i] == value)
                return i;
        }
        return -1;
    }

    private static ulong AddressOf(object o) => Unsafe.As<object, ulong>(ref o);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void KeepAlive(object o)
    {
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void KeepAlive(long value)
    {
    }

    private sealed class Marker
    {
        public Marker(long value) => Value = value;

        public long Value { get; }
    }
}
#endif
