// C# exceptions (ECMA-335 §I.12.4.2, as .NET runs them): a throw enters here from shim/exceptions.asm with the
// thrower's registers. Pass 1 walks the frames outward to the first typed catch that matches or filter that says
// yes (filters run now); pass 2 walks them again running every finally and fault funclet on the way, innermost
// first; then the catch funclet runs and the method resumes where it said. No handler up to a frame entered from
// native code (EfiMain, the interrupt entry) is an unhandled exception: a panic with the type, message and trace.
// An exception leaving a catch or finally funclet continues in that funclet's method after the clause whose handler
// ran (a collided unwind); one leaving a filter is caught here and counts as false.
using System;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;

namespace Kernel.Exceptions;

/// <summary>The two-pass exception dispatcher.</summary>
public static unsafe class ExceptionDispatcher
{
    private const uint NoClause = uint.MaxValue;

    private static ExInfo* s_chain;
    private static ulong s_catchReturn;
    private static ulong s_finallyReturn;

    /// <summary>Makes `throw` dispatch here; before this every throw panics as unhandled.</summary>
    /// <remarks>Safety: the stack walker is initialized for the running image.</remarks>
    public static void Install()
    {
        ulong catchReturn, finallyReturn, hardwareThrow;
        // Safe: the shim writes three addresses into these locals.
        Native.ExceptionThunkAddresses(&catchReturn, &finallyReturn, &hardwareThrow);
        s_catchReturn = catchReturn;
        s_finallyReturn = finallyReturn;
        HardwareExceptions.SetThrowEntry(hardwareThrow);
        RuntimeHooks.InstallStackTraceFormatter(&StackTraceText.Format);
        RuntimeHooks.InstallExceptionDispatch(&Dispatch);
    }

    private static void Dispatch(Exception exception, void* thrower, ExceptionDispatchKind kind)
    {
        // Safe: the shim passes the context it saved in its own frame, which outlives this dispatch.
        RegisterContext throwContext = *(RegisterContext*)thrower;
        ExInfo info = default;
        bool rethrow = kind == ExceptionDispatchKind.Rethrow;
        if (rethrow)
        {
            ExInfo* active = s_chain;
            while (active != null && active->State != ExInfoState.InCatch)
                active = active->Previous;
            if (active == null)
                Panic.Halt("rethrow (`throw;`) outside a catch");
            exception = ObjectAt(active->ExceptionAddress);
        }
        else
        {
            ExceptionFrames.Clear(exception);
        }
        info.Previous = s_chain;
        info.ExceptionAddress = AddressOf(exception);
        info.State = ExInfoState.Dispatching;
        info.ClauseIndex = NoClause;
        s_chain = &info;

        // Pass 1: find the handler.
        var cursor = new FrameCursor(throwContext, info.Previous);
        int catchingFrame = -1;
        uint catchClause = NoClause;
        ulong handler = 0;
        bool skipFirstFrame = rethrow;
        for (int frame = 0; cursor.Valid; frame++, cursor.Next())
        {
            if (cursor.Location.Function.Begin == cursor.Location.Root.Begin && !skipFirstFrame)
                ExceptionFrames.Append(exception, cursor.Context.Rip);
            else if (cursor.Location.Function.Begin == cursor.Location.Root.Begin)
                skipFirstFrame = false;
            if (FindHandler(exception, &info, ref cursor, out catchClause, out handler))
            {
                catchingFrame = frame;
                break;
            }
        }
        if (catchingFrame < 0)
            Unhandled(exception);

        // Pass 2: run finally and fault funclets up to the catching frame, then the catch.
        cursor = new FrameCursor(throwContext, info.Previous);
        for (int frame = 0; frame < catchingFrame; frame++, cursor.Next())
            RunFinallies(&info, ref cursor, NoClause);
        RunFinallies(&info, ref cursor, catchClause);

        info.State = ExInfoState.InCatch;
        info.ClauseIndex = catchClause;
        info.Frame = cursor.Context;
        // Resuming abandons every exception whose dispatch lives below the catching frame's stack pointer.
        ExInfo* afterCatch = info.Previous;
        while (afterCatch != null && (ulong)afterCatch < cursor.Context.Rsp)
            afterCatch = afterCatch->Previous;
        // From here the exception is handled: `new` may throw its preallocated OutOfMemoryException again.
        ObjectAllocator.ExceptionHandled();
        fixed (ExInfo** head = &s_chain)
        {
            // Safe: the frame and the chain head outlive the funclet; the thunk never returns.
            Native.CallCatchFunclet(exception, handler, &info.Frame, head, afterCatch);
        }
    }

    // The first typed catch or filter of this frame that takes the exception, from the clause after the skipped
    // ones (a collided unwind resumes a method after the clause whose funclet threw).
    private static bool FindHandler(Exception exception, ExInfo* info, ref FrameCursor cursor, out uint clauseIndex, out ulong handler)
    {
        clauseIndex = NoClause;
        handler = 0;
        if (!OpenClauses(ref cursor, out EhClauseReader reader))
            return false;
        uint offset = cursor.Location.CodeOffset(StackWalker.ImageBase);
        ulong methodStart = StackWalker.ImageBase + cursor.Location.Root.Begin;
        var skip = new ClauseSkip(cursor.SkipClause);
        for (uint index = 0; reader.Next(out EhClause clause); index++)
        {
            if (skip.Skips(index, clause) || clause.Kind == EhClauseKind.Fault || !clause.Contains(offset))
                continue;
            bool takes = clause.Kind == EhClauseKind.Typed
                ? IsInstanceOf(exception, clause.TypeRva)
                : RunFilter(exception, info, methodStart + clause.FilterOffset, cursor.Context);
            if (takes)
            {
                clauseIndex = index;
                handler = methodStart + clause.HandlerOffset;
                return true;
            }
        }
        return false;
    }

    // Runs this frame's finally and fault funclets whose try holds the frame's code offset, innermost first, stopping
    // before clause limit (the catching clause in the catching frame).
    private static void RunFinallies(ExInfo* info, ref FrameCursor cursor, uint limit)
    {
        if (!OpenClauses(ref cursor, out EhClauseReader reader))
            return;
        uint offset = cursor.Location.CodeOffset(StackWalker.ImageBase);
        ulong methodStart = StackWalker.ImageBase + cursor.Location.Root.Begin;
        var skip = new ClauseSkip(cursor.SkipClause);
        for (uint index = 0; index < limit && reader.Next(out EhClause clause); index++)
        {
            if (skip.Skips(index, clause) || clause.Kind != EhClauseKind.Fault || !clause.Contains(offset))
                continue;
            info->State = ExInfoState.InFinally;
            info->ClauseIndex = index;
            info->Frame = cursor.Context;
            // Safe: info lives in Dispatch's frame for as long as the funclet runs.
            Native.CallFinallyFunclet(methodStart + clause.HandlerOffset, &info->Frame);
            info->State = ExInfoState.Dispatching;
        }
    }

    // A filter that throws counts as false: its exception is caught here (ECMA-335 §I.12.4.2.7).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool RunFilter(Exception exception, ExInfo* info, ulong filter, RegisterContext frame)
    {
        info->Frame = frame;
        try
        {
            // Safe: info lives in Dispatch's frame for as long as the filter runs.
            return Native.CallFilterFunclet(exception, filter, &info->Frame) != 0;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static bool OpenClauses(ref FrameCursor cursor, out EhClauseReader reader)
    {
        reader = default;
        return cursor.Location.IsManaged && cursor.Location.RootRecord.EhInfoRva != 0
            && EhClauseReader.TryOpen(StackWalker.Image, cursor.Location.RootRecord.EhInfoRva, out reader);
    }

    private static bool IsInstanceOf(Exception exception, uint typeRva) =>
        RuntimeTypes.IsInstanceOf(exception, (MethodTable*)(StackWalker.ImageBase + typeRva));

    private static void Unhandled(Exception exception)
    {
        string type = RuntimeHooks.TypeNameOf(RuntimeTypes.MethodTableOf(exception));
        string detail = exception.Message;
        if (exception.InnerException != null)
            detail = detail + " (inner: " + exception.InnerException.Message + ")";
        Panic.Halt("unhandled exception " + type, detail, exception.StackTrace ?? "");
    }

    private static ulong AddressOf(object value) => (ulong)Unsafe.As<object, IntPtr>(ref value);

    private static Exception ObjectAt(ulong address)
    {
        IntPtr raw = (IntPtr)address;
        return Unsafe.As<IntPtr, Exception>(ref raw);
    }

    // After a collided unwind, the clauses up to the one whose funclet threw are done, and so are the others of the
    // same try (its sibling catches); the compiler separates different trys that share native offsets with an
    // empty clause, which ends the skipping.
    private struct ClauseSkip
    {
        private uint _through;
        private EhClause _last;
        private bool _done;

        public ClauseSkip(uint through)
        {
            _through = through;
            _last = default;
            _done = through == NoClause;
        }

        public bool Skips(uint index, EhClause clause)
        {
            if (_done)
                return false;
            if (index <= _through)
            {
                _last = clause;
                return true;
            }
            if (clause.SameTry(_last))
                return true;
            _done = true;
            return false;
        }
    }

    // The frames a dispatch visits: the stack walk, except that a funclet returning into a catch or finally thunk
    // continues in the funclet's method as the exception that ran it left it.
    private struct FrameCursor
    {
        private ExInfo* _nextCollision;
        private bool _first;

        public RegisterContext Context;
        public CodeLocation Location;
        public bool Valid;
        public uint SkipClause;

        public FrameCursor(RegisterContext start, ExInfo* olderExceptions)
        {
            Context = start;
            _nextCollision = olderExceptions;
            _first = true;
            SkipClause = NoClause;
            Valid = StackWalker.TryLocate(start.Rip, out Location);
        }

        public void Next()
        {
            if (!Valid || (Location.IsManaged && Location.Record.IsReversePInvoke))
            {
                Valid = false;
                return;
            }
            ulong before = Context.Rsp;
            Valid = StackWalker.Step(ref Context, _first) == UnwindStatus.Ok && Context.Rsp > before;
            _first = false;
            SkipClause = NoClause;
            if (Valid && (Context.Rip == s_catchReturn || Context.Rip == s_finallyReturn))
            {
                ExInfo* owner = _nextCollision;
                while (owner != null && owner->State == ExInfoState.Dispatching)
                    owner = owner->Previous;
                if (owner == null)
                {
                    Valid = false;
                    return;
                }
                Context = owner->Frame;
                SkipClause = owner->ClauseIndex;
                _nextCollision = owner->Previous;
            }
            if (Valid)
                Valid = StackWalker.TryLocate(Context.Rip, out Location);
        }
    }
}
