// The collector's modes, as the gc= boot option names them.
namespace Kernel.Gc;

/// <summary>How the garbage collector runs (boot option <c>gc=off|conservative|precise</c>).</summary>
public enum GcMode
{
    /// <summary>No collection: objects live until KernelHeap.Free, as before the collector.</summary>
    Off,

    /// <summary>Mark-sweep with the kernel stack and saved registers scanned conservatively.</summary>
    Conservative,

    /// <summary>Mark-sweep with the stack walked precisely from GC info where a walker is installed.</summary>
    Precise,
}
