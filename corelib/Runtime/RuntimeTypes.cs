// Type questions the kernel's exception dispatcher asks about objects (it lives above corelib and cannot see the
// object header or the casting helpers directly).
using System;
using System.Runtime;

namespace Internal.Runtime;

/// <summary>Object types for the runtime's clients.</summary>
public static unsafe class RuntimeTypes
{
    /// <summary>The object's MethodTable.</summary>
    public static MethodTable* MethodTableOf(object value) => value.GetMethodTable();

    /// <summary>Whether value can be stored in a location of type type (what `catch (T)` asks).</summary>
    public static bool IsInstanceOf(object value, MethodTable* type) => value != null && TypeCast.IsAssignable(value.GetMethodTable(), type);
}
