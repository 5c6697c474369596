// System.Type: a thin wrapper over a MethodTable. No reflection metadata is compiled in.
using Internal.Runtime;

namespace System;

/// <summary>Represents a type.</summary>
public abstract class Type
{
    /// <summary>The type's name from the kernel's symbol table, or a placeholder when unknown.</summary>
    public abstract string Name { get; }

    /// <summary>The type for a handle.</summary>
    public static unsafe Type GetTypeFromHandle(RuntimeTypeHandle handle) => new RuntimeType(handle._value);

    /// <summary>The type's handle.</summary>
    public abstract RuntimeTypeHandle TypeHandle { get; }

    public static bool operator ==(Type a, Type b) => a is null ? b is null : b is not null && a.TypeHandle.Value == b.TypeHandle.Value;

    public static bool operator !=(Type a, Type b) => !(a == b);

    /// <summary>Same MethodTable.</summary>
    public override bool Equals(object o) => o is Type t && this == t;

    /// <summary>Hash of the MethodTable address.</summary>
    public override int GetHashCode() => (int)(long)TypeHandle.Value;
}

/// <summary>The runtime's Type: one MethodTable.</summary>
internal sealed unsafe class RuntimeType : Type
{
    private readonly MethodTable* _methodTable;

    internal RuntimeType(MethodTable* methodTable) => _methodTable = methodTable;

    public override string Name => RuntimeHooks.TypeNameOf(_methodTable);

    public override RuntimeTypeHandle TypeHandle => new RuntimeTypeHandle(_methodTable);

    public override string ToString() => Name;
}
