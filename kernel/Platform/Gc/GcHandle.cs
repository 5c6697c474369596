// Handles (issue 14, item 8): how code keeps an object alive from memory the collector does not scan (an interrupt
// handler's table, a device descriptor, a raw KernelHeap block). A small fixed table of strong handles, normal or
// pinned. The collector never moves objects, so a pinned handle differs only in promising the address is stable,
// which every object's address is; the kind is kept so code states its intent as it would on .NET.
namespace Kernel.Gc;

/// <summary>What a handle promises.</summary>
public enum GcHandleKind
{
    /// <summary>Keeps the target alive.</summary>
    Normal,

    /// <summary>Keeps the target alive at a fixed address (every object's address is fixed here).</summary>
    Pinned,
}

/// <summary>A strong reference to an object held in the collector's handle table.</summary>
public readonly struct GcHandle
{
    /// <summary>Handles the table holds at most.</summary>
    public const int Capacity = 256;

    // The table is a static array, so the GC static roots reach it; index 0 is never used (a default handle is invalid).
    private static readonly object[] s_targets = new object[Capacity];
    private static readonly GcHandleKind[] s_kinds = new GcHandleKind[Capacity];
    private static int s_used;

    private readonly int _index;

    private GcHandle(int index) => _index = index;

    /// <summary>Handles in use.</summary>
    public static int InUse => s_used;

    /// <summary>Whether this handle was allocated (and not freed through this copy).</summary>
    public bool IsAllocated => _index > 0;

    /// <summary>The object the handle keeps alive.</summary>
    public object Target => s_targets[_index];

    /// <summary>The handle's kind.</summary>
    public GcHandleKind Kind => s_kinds[_index];

    /// <summary>A handle to target; a default (invalid) handle when the table is full or target is null.</summary>
    public static GcHandle Alloc(object target, GcHandleKind kind = GcHandleKind.Normal)
    {
        if (target == null)
            return default;
        for (int i = 1; i < Capacity; i++)
        {
            if (s_targets[i] == null)
            {
                s_targets[i] = target;
                s_kinds[i] = kind;
                s_used++;
                return new GcHandle(i);
            }
        }
        return default;
    }

    /// <summary>Lets the target go (the collector may reclaim it once nothing else refers to it).</summary>
    public void Free()
    {
        if (_index <= 0 || s_targets[_index] == null)
            return;
        s_targets[_index] = null;
        s_used--;
    }
}
