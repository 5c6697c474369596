// The built-in value types (ECMA-335 §I.8.2.2). Formatting lives in Number.cs.
namespace System;

/// <summary>A Boolean value.</summary>
public struct Boolean
{
    private bool m_value;

    /// <summary>"True" or "False".</summary>
    public override string ToString() => m_value ? "True" : "False";
}

/// <summary>A UTF-16 code unit.</summary>
public struct Char
{
    private char m_value;

    /// <summary>A one-character string.</summary>
    public override string ToString() => string.FromChar(m_value);

    /// <summary>Whether c is an ASCII or Latin-1 white-space character.</summary>
    public static bool IsWhiteSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0' || c == '\u0085';

    /// <summary>Whether c is an ASCII decimal digit.</summary>
    public static bool IsDigit(char c) => c >= '0' && c <= '9';
}

/// <summary>A signed 8-bit integer.</summary>
public struct SByte
{
    private sbyte m_value;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format(m_value);
}

/// <summary>An unsigned 8-bit integer.</summary>
public struct Byte
{
    private byte m_value;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format((ulong)m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format(m_value, format, 8);
}

/// <summary>A signed 16-bit integer.</summary>
public struct Int16
{
    private short m_value;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format(m_value);
}

/// <summary>An unsigned 16-bit integer.</summary>
public struct UInt16
{
    private ushort m_value;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format((ulong)m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format(m_value, format, 16);
}

/// <summary>A signed 32-bit integer.</summary>
public struct Int32 : IComparable<int>, IEquatable<int>
{
    private int m_value;

    /// <summary>Negative, zero or positive.</summary>
    public int CompareTo(int other) => m_value < other ? -1 : m_value > other ? 1 : 0;

    /// <summary>Value equality.</summary>
    public bool Equals(int other) => m_value == other;

    /// <summary>Value equality.</summary>
    public override bool Equals(object obj) => obj is int other && m_value == other;

    /// <summary>Hash of the value.</summary>
    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    /// <summary>The largest value.</summary>
    public const int MaxValue = 0x7fffffff;

    /// <summary>The smallest value.</summary>
    public const int MinValue = unchecked((int)0x80000000);

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format(m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format((long)m_value, format, 32);
}

/// <summary>An unsigned 32-bit integer.</summary>
public struct UInt32 : IComparable<uint>, IEquatable<uint>
{
    private uint m_value;

    /// <summary>Negative, zero or positive.</summary>
    public int CompareTo(uint other) => m_value < other ? -1 : m_value > other ? 1 : 0;

    /// <summary>Value equality.</summary>
    public bool Equals(uint other) => m_value == other;

    /// <summary>Value equality.</summary>
    public override bool Equals(object obj) => obj is uint other && m_value == other;

    /// <summary>Hash of the value.</summary>
    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    /// <summary>The largest value.</summary>
    public const uint MaxValue = 0xffffffff;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format((ulong)m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format(m_value, format, 32);
}

/// <summary>A signed 64-bit integer.</summary>
public struct Int64 : IComparable<long>, IEquatable<long>
{
    private long m_value;

    /// <summary>Negative, zero or positive.</summary>
    public int CompareTo(long other) => m_value < other ? -1 : m_value > other ? 1 : 0;

    /// <summary>Value equality.</summary>
    public bool Equals(long other) => m_value == other;

    /// <summary>Value equality.</summary>
    public override bool Equals(object obj) => obj is long other && m_value == other;

    /// <summary>Hash of the value.</summary>
    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    /// <summary>The largest value.</summary>
    public const long MaxValue = 0x7fffffffffffffff;

    /// <summary>The smallest value.</summary>
    public const long MinValue = unchecked((long)0x8000000000000000);

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format(m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format(m_value, format, 64);
}

/// <summary>An unsigned 64-bit integer.</summary>
public struct UInt64 : IComparable<ulong>, IEquatable<ulong>
{
    private ulong m_value;

    /// <summary>Negative, zero or positive.</summary>
    public int CompareTo(ulong other) => m_value < other ? -1 : m_value > other ? 1 : 0;

    /// <summary>Value equality.</summary>
    public bool Equals(ulong other) => m_value == other;

    /// <summary>Value equality.</summary>
    public override bool Equals(object obj) => obj is ulong other && m_value == other;

    /// <summary>Hash of the value.</summary>
    public override int GetHashCode() => (int)m_value ^ (int)((long)m_value >> 32);

    /// <summary>The largest value.</summary>
    public const ulong MaxValue = 0xffffffffffffffff;

    /// <summary>Decimal text.</summary>
    public override string ToString() => Number.Format(m_value);

    /// <summary>Hex when format starts with 'x' or 'X' (digit count follows), else decimal.</summary>
    public string ToString(string format) => Number.Format(m_value, format, 64);
}

/// <summary>A 32-bit IEEE 754 number (no formatting yet).</summary>
public struct Single
{
    private float m_value;
}

/// <summary>A 64-bit IEEE 754 number (no formatting yet).</summary>
public struct Double
{
    private double m_value;
}

/// <summary>A pointer-sized signed integer.</summary>
public unsafe struct IntPtr
{
    private void* _value;

    /// <summary>The null pointer.</summary>
    public static readonly IntPtr Zero;

    /// <summary>Wraps a pointer.</summary>
    public IntPtr(void* value) => _value = value;

    /// <summary>Wraps an integer.</summary>
    public IntPtr(long value) => _value = (void*)value;

    /// <summary>Pointer size in bytes.</summary>
    public static int Size => 8;

    public static explicit operator IntPtr(void* value) => new IntPtr(value);
    public static explicit operator void*(IntPtr value) => value._value;
    public static explicit operator IntPtr(long value) => new IntPtr(value);
    public static explicit operator long(IntPtr value) => (long)value._value;
    public static explicit operator IntPtr(int value) => new IntPtr(value);
    public static explicit operator int(IntPtr value) => (int)(long)value._value;
    public static bool operator ==(IntPtr a, IntPtr b) => a._value == b._value;
    public static bool operator !=(IntPtr a, IntPtr b) => a._value != b._value;

    /// <summary>Pointer equality.</summary>
    public override bool Equals(object obj) => obj is IntPtr other && other._value == _value;

    /// <summary>Hash of the address.</summary>
    public override int GetHashCode() => (int)(long)_value;

    /// <summary>Hex text.</summary>
    public override string ToString() => Number.Format((ulong)_value, "x", 64);
}

/// <summary>A pointer-sized unsigned integer.</summary>
public unsafe struct UIntPtr
{
    private void* _value;

    /// <summary>Wraps a pointer.</summary>
    public UIntPtr(void* value) => _value = value;

    /// <summary>Wraps an integer.</summary>
    public UIntPtr(ulong value) => _value = (void*)value;

    /// <summary>Pointer size in bytes.</summary>
    public static int Size => 8;

    public static explicit operator UIntPtr(void* value) => new UIntPtr(value);
    public static explicit operator void*(UIntPtr value) => value._value;
    public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);
    public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
    public static bool operator ==(UIntPtr a, UIntPtr b) => a._value == b._value;
    public static bool operator !=(UIntPtr a, UIntPtr b) => a._value != b._value;

    /// <summary>Pointer equality.</summary>
    public override bool Equals(object obj) => obj is UIntPtr other && other._value == _value;

    /// <summary>Hash of the address.</summary>
    public override int GetHashCode() => (int)(ulong)_value;

    /// <summary>Hex text.</summary>
    public override string ToString() => Number.Format((ulong)_value, "x", 64);
}

/// <summary>Minimum and maximum of integers.</summary>
public static class Math
{
    /// <summary>The smaller value.</summary>
    public static int Min(int a, int b) => a < b ? a : b;

    /// <summary>The larger value.</summary>
    public static int Max(int a, int b) => a > b ? a : b;

    /// <summary>The smaller value.</summary>
    public static uint Min(uint a, uint b) => a < b ? a : b;

    /// <summary>The larger value.</summary>
    public static uint Max(uint a, uint b) => a > b ? a : b;

    /// <summary>The smaller value.</summary>
    public static long Min(long a, long b) => a < b ? a : b;

    /// <summary>The larger value.</summary>
    public static long Max(long a, long b) => a > b ? a : b;

    /// <summary>The smaller value.</summary>
    public static ulong Min(ulong a, ulong b) => a < b ? a : b;

    /// <summary>The larger value.</summary>
    public static ulong Max(ulong a, ulong b) => a > b ? a : b;

    /// <summary>The absolute value (MinValue stays negative).</summary>
    public static int Abs(int a) => a < 0 ? -a : a;

    /// <summary>The absolute value (MinValue stays negative).</summary>
    public static long Abs(long a) => a < 0 ? -a : a;

    // Checked conversions ILC's code calls for conv.ovf from floating point (bound by name).
    private static int ConvertToInt32Checked(double value) =>
        value > -2147483649.0 && value < 2147483648.0 ? (int)value : ThrowOverflow<int>();

    private static uint ConvertToUInt32Checked(double value) =>
        value > -1.0 && value < 4294967296.0 ? (uint)value : ThrowOverflow<uint>();

    private static long ConvertToInt64Checked(double value) =>
        value >= -9223372036854775808.0 && value < 9223372036854775808.0 ? (long)value : ThrowOverflow<long>();

    private static ulong ConvertToUInt64Checked(double value) =>
        value > -1.0 && value < 18446744073709551616.0 ? (ulong)value : ThrowOverflow<ulong>();

    private static T ThrowOverflow<T>()
    {
        Internal.Runtime.ThrowHelpers.ThrowOverflow();
        return default;
    }
}
