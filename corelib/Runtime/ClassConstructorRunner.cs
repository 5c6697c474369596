// Runs static constructors on first use. ILC 10.0 keeps, just before a type's non-GC statics, one pointer: the
// address of its cctor, or zero once it has run; generated code checks it and calls these helpers when non-zero.
using System;
using Internal.Runtime;

namespace System.Runtime.CompilerServices;

/// <summary>The per-type static constructor state.</summary>
public struct StaticClassConstructionContext
{
    /// <summary>The cctor to run, or zero when it has run (or is running).</summary>
    public IntPtr cctorMethodAddress;
}

internal static unsafe class ClassConstructorRunner
{
    private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
    {
        EnsureClassConstructorRun(ref context);
        return gcStaticBase;
    }

    private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, IntPtr nonGcStaticBase)
    {
        EnsureClassConstructorRun(ref context);
        return nonGcStaticBase;
    }

    // Single-threaded kernel: clearing the address before the call is enough to make a cctor run once, and a
    // cctor that (indirectly) touches its own type sees the partially initialised statics, as C# specifies.
    private static void EnsureClassConstructorRun(ref StaticClassConstructionContext context)
    {
        IntPtr cctor = context.cctorMethodAddress;
        if (cctor == IntPtr.Zero)
            return;
        context.cctorMethodAddress = IntPtr.Zero;
        ((delegate*<void>)(void*)cctor)();
    }
}
