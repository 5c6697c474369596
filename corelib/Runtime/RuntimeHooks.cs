// The few places where the runtime must call back into the kernel: fatal errors and type names.
using System;

namespace Internal.Runtime;

/// <summary>
/// Kernel-provided callbacks. Until the kernel installs them, failures halt quietly, since the runtime has no
/// way of its own to print.
/// </summary>
public static unsafe class RuntimeHooks
{
    private static delegate*<string, string, void> s_panic;
    private static delegate*<MethodTable*, string> s_typeName;
    private static delegate*<Exception, void*, ExceptionDispatchKind, void> s_dispatch;
    private static delegate*<ulong[], int, string> s_formatStackTrace;

    /// <summary>
    /// Installs the kernel's exception dispatcher: (exception, the thrower's saved registers, kind); it never returns
    /// (it resumes in a catch or panics). For a rethrow the exception is null: the dispatcher knows which one is caught.
    /// </summary>
    public static void InstallExceptionDispatch(delegate*<Exception, void*, ExceptionDispatchKind, void> dispatch) => s_dispatch = dispatch;

    /// <summary>Installs what turns an exception's recorded frames (return addresses) into its StackTrace text.</summary>
    public static void InstallStackTraceFormatter(delegate*<ulong[], int, string> format) => s_formatStackTrace = format;

    /// <summary>Hands a thrown exception to the dispatcher; without one every throw is an unhandled exception.</summary>
    internal static void DispatchException(Exception exception, void* context, ExceptionDispatchKind kind)
    {
        if (s_dispatch != null)
            s_dispatch(exception, context, kind);
        if (exception == null)
            FailFast("rethrow without an exception dispatcher", 0);
        Throw(exception);
    }

    /// <summary>The text of an exception's stack trace: one line per recorded frame.</summary>
    public static string FormatStackTrace(ulong[] frames, int count)
    {
        if (s_formatStackTrace != null)
            return s_formatStackTrace(frames, count);
        string text = null;
        for (int i = 0; i < count; i++)
            text = string.Concat(text, "   at 0x", frames[i].ToString("x"), "\n");
        return text;
    }

    /// <summary>Installs the kernel's panic routine: (what, detail) and never returns.</summary>
    public static void InstallPanic(delegate*<string, string, void> panic) => s_panic = panic;

    /// <summary>Installs a lookup from a MethodTable to the type's name (from the kernel's symbol table).</summary>
    public static void InstallTypeNames(delegate*<MethodTable*, string> typeName) => s_typeName = typeName;

    /// <summary>The type's name, or "type@address" when no name is known.</summary>
    public static string TypeNameOf(MethodTable* type)
    {
        string name = s_typeName != null ? s_typeName(type) : null;
        return name ?? string.Concat("type@", ((ulong)type).ToString("x"));
    }

    /// <summary>Ends the kernel with an unhandled exception: its type and message.</summary>
    public static void Throw(Exception exception)
    {
        if (exception == null)
        {
            FailFast("throw of a null exception", 0);
            return;
        }
        string detail = exception.Message;
        if (exception.InnerException != null)
            detail = string.Concat(detail, " (inner: ", exception.InnerException.Message, ")");
        Panic(string.Concat("unhandled exception ", TypeNameOf(exception.GetMethodTable())), detail);
    }

    /// <summary>Ends the kernel with a runtime failure and a number (a size, an address) that explains it.</summary>
    public static void FailFast(string what, nuint value) =>
        Panic(what, value == 0 ? null : ((ulong)value).ToString());

    /// <summary>Ends the kernel with a runtime failure and a name that explains it.</summary>
    public static void FailFast2(string what, string name) => Panic(what, name);

    private static void Panic(string what, string detail)
    {
        if (s_panic != null)
            s_panic(what, detail);
        while (true)
        {
        }
    }
}
