// System.Object and the other types every C# program stands on (ECMA-335 §II.10, §I.8.2).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

/// <summary>The root of every reference type.</summary>
public unsafe class Object
{
    // ILC requires exactly this one pointer-sized field: the object's MethodTable.
    internal MethodTable* m_pEEType;

    /// <summary>Creates an object.</summary>
    public Object() { }

    /// <summary>Reference equality unless a type overrides it.</summary>
    public virtual bool Equals(object obj) => (object)this == obj;

    /// <summary>A hash derived from the object's address (objects never move: there is no GC yet).</summary>
    public virtual int GetHashCode()
    {
        object self = this;
        nuint address = (nuint)(*(void**)Unsafe.AsPointer(ref self));
        return (int)(address ^ (address >> 32));
    }

    /// <summary>The type's name when the symbol table knows it, else a placeholder.</summary>
    public virtual string ToString() => RuntimeHooks.TypeNameOf(m_pEEType);

    /// <summary>The runtime type of this object.</summary>
    public Type GetType() => new RuntimeType(m_pEEType);

    /// <summary>Reference equality.</summary>
    public static bool ReferenceEquals(object a, object b) => a == b;

    internal MethodTable* GetMethodTable() => m_pEEType;

    /// <summary>The first byte after the MethodTable pointer: fields, or an array's length.</summary>
    internal ref byte GetRawData() => ref Unsafe.As<RawData>(this).Data;

    // Never finalized: there is no GC. Declared so derived types can say base.Finalize().
    ~Object() { }
}

internal sealed class RawData
{
    public byte Data;
}

/// <summary>Base of all value types.</summary>
public abstract class ValueType
{
}

/// <summary>Base of all enums.</summary>
public abstract class Enum : ValueType
{
}

/// <summary>The type of nothing.</summary>
public struct Void
{
}

/// <summary>A nullable value type.</summary>
public struct Nullable<T> where T : struct
{
    private readonly bool hasValue;
    internal T value;

    /// <summary>Wraps a value.</summary>
    public Nullable(T value)
    {
        this.value = value;
        hasValue = true;
    }

    /// <summary>Whether a value is present.</summary>
    public readonly bool HasValue => hasValue;

    /// <summary>The value; panics when absent.</summary>
    public readonly T Value
    {
        get
        {
            if (!hasValue)
                ThrowHelpers.ThrowInvalidOperation("Nullable object must have a value.");
            return value;
        }
    }

    /// <summary>The value or the default.</summary>
    public readonly T GetValueOrDefault() => value;

    public static implicit operator T?(T value) => new T?(value);

    public static explicit operator T(T? value) => value.Value;
}

/// <summary>Marks a parameter array.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ParamArrayAttribute : Attribute
{
}

/// <summary>Frees an unmanaged resource.</summary>
public interface IDisposable
{
    /// <summary>Releases the resource.</summary>
    void Dispose();
}

/// <summary>Typed equality.</summary>
public interface IEquatable<T>
{
    /// <summary>Whether this equals other.</summary>
    bool Equals(T other);
}

/// <summary>Typed ordering.</summary>
public interface IComparable<T>
{
    /// <summary>Negative, zero or positive.</summary>
    int CompareTo(T other);
}

/// <summary>Type-safe argument list marker (unused, required by the compiler).</summary>
public struct RuntimeArgumentHandle
{
}

/// <summary>Identifies a method.</summary>
public struct RuntimeMethodHandle
{
    internal IntPtr _value;
}

/// <summary>Identifies a field.</summary>
public struct RuntimeFieldHandle
{
    internal IntPtr _value;
}

/// <summary>Identifies a type by its MethodTable.</summary>
public unsafe struct RuntimeTypeHandle
{
    internal MethodTable* _value;

    internal RuntimeTypeHandle(MethodTable* value) => _value = value;

    /// <summary>The MethodTable address.</summary>
    public IntPtr Value => (IntPtr)_value;
}
