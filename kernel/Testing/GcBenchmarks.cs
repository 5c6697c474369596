#if KERNEL_TESTS
// In-kernel benchmarks of the garbage collector (issue 14): pause time per MiB of live heap and objects marked per
// millisecond, an allocate-and-drop workload with the collector against the same workload with collection suppressed,
// and the side bitmaps' bytes per MiB of heap. They print "bench: gc ..." lines for build.cake's Bench target.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Gc;
using Kernel.Heap;

namespace Kernel.Testing;

public static class GcBenchmarks
{
    private const int LiveNodes = 16_384;
    private const int PayloadInts = 32;
    private const int PauseRounds = 9;
    private const int DropIterations = 20_000;

    private static Node s_live;

    public static void MeasurePause()
    {
        if (!Enabled())
            return;
        Node head = null;
        for (int i = 0; i < LiveNodes; i++)
            head = new Node { Next = head, Payload = new int[PayloadInts] };
        s_live = head;
        head = null;
        var pauses = new ulong[PauseRounds];
        ulong live = 0;
        ulong marked = 0;
        for (int i = 0; i < PauseRounds; i++)
        {
            GarbageCollector.Collect();
            pauses[i] = GarbageCollector.CyclesToMicroseconds(GarbageCollector.LastPauseCycles);
            live = GarbageCollector.LastSweep.LiveBytes;
            marked = GarbageCollector.LastMarkedObjects;
        }
        s_live = null;
        GarbageCollector.Collect();
        Sort(pauses);
        ulong median = pauses[PauseRounds / 2];
        ulong max = pauses[PauseRounds - 1];
        ulong liveKiB = live >> 10;
        Terminal.WriteLine("bench: gc pause us median=" + median.ToString() + " max=" + max.ToString() + " live_kib=" + liveKiB.ToString()
            + " marked=" + marked.ToString());
        Terminal.WriteLine("bench: gc pause us per live MiB median=" + PerMiB(median, live) + " max=" + PerMiB(max, live)
            + " objects marked per ms=" + (median == 0 ? "0" : (marked * 1000 / median).ToString()));
    }

    public static void MeasureAllocateAndDrop()
    {
        if (!Enabled())
            return;
        GarbageCollector.Collect();
        ulong collectionsBefore = GarbageCollector.Collections;
        ulong started = Cpu.ReadTimeStampCounter();
        int sink = AllocateAndDrop();
        ulong collected = Cpu.ReadTimeStampCounter() - started;
        ulong collections = GarbageCollector.Collections - collectionsBefore;
        GarbageCollector.Collect();
        ulong suppressed;
        ulong grewTo;
        using (GarbageCollector.NoCollection())
        {
            started = Cpu.ReadTimeStampCounter();
            sink += AllocateAndDrop();
            suppressed = Cpu.ReadTimeStampCounter() - started;
            grewTo = KernelHeap.Statistics.BytesMapped;
        }
        GarbageCollector.Collect();
        Terminal.WriteLine("bench: gc allocate+drop iterations=" + DropIterations.ToString() + " cycles with_gc=" + collected.ToString()
            + " without_gc=" + suppressed.ToString() + " ratio_x100=" + (suppressed == 0 ? "0" : (collected * 100 / suppressed).ToString())
            + " collections=" + collections.ToString() + " heap_mapped_kib_without_gc=" + (grewTo >> 10).ToString() + " (check " + (sink & 1).ToString() + ")");
    }

    public static void MeasureBitmapOverhead()
    {
        if (!Enabled())
            return;
        ulong mapped = KernelHeap.Statistics.BytesMapped;
        ulong bitmaps = GarbageCollector.BitmapBytes;
        Terminal.WriteLine("bench: gc bitmap bytes=" + bitmaps.ToString() + " heap_mapped_kib=" + (mapped >> 10).ToString()
            + " bytes per heap MiB=" + (mapped == 0 ? "0" : (bitmaps * (1UL << 20) / mapped).ToString()));
    }

    // Strings built and dropped, small arrays and lists: every object dies before the next iteration.
    private static int AllocateAndDrop()
    {
        int total = 0;
        for (int i = 0; i < DropIterations; i++)
        {
            string text = "item " + i.ToString() + " of " + DropIterations.ToString();
            int[] small = new int[8];
            small[i & 7] = text.Length;
            var list = new System.Collections.Generic.List<int>(4);
            list.Add(i);
            list.Add(text.Length);
            total += small[i & 7] + list.Count;
        }
        return total;
    }

    // Hundredths: microseconds per MiB of live heap.
    private static string PerMiB(ulong microseconds, ulong liveBytes)
    {
        if (liveBytes == 0)
            return "0";
        ulong hundredths = microseconds * 100 * (1UL << 20) / liveBytes;
        ulong fraction = hundredths % 100;
        return (hundredths / 100).ToString() + "." + (fraction < 10 ? "0" : "") + fraction.ToString();
    }

    private static void Sort(ulong[] values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            ulong value = values[i];
            int j = i;
            for (; j > 0 && values[j - 1] > value; j--)
                values[j] = values[j - 1];
            values[j] = value;
        }
    }

    private static bool Enabled()
    {
        if (GarbageCollector.Enabled)
            return true;
        Terminal.WriteLine("bench: gc off (gc=off): nothing to measure");
        return false;
    }

    private sealed class Node
    {
        public Node Next;
        public int[] Payload;
    }
}
#endif
