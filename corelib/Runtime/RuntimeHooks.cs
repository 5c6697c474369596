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
