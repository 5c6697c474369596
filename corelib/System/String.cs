// System.String: an immutable UTF-16 string laid out as ILC expects (_stringLength, then _firstChar...).
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

/// <summary>An immutable sequence of UTF-16 code units.</summary>
public sealed unsafe class String
{
    // Field names and order are fixed by ILC: literals are emitted as frozen objects with this layout.
    private readonly int _stringLength;
    private char _firstChar;

    /// <summary>The empty string.</summary>
    public static readonly string Empty = "";

    /// <summary>Number of UTF-16 code units.</summary>
    public int Length => _stringLength;

    /// <summary>The code unit at index.</summary>
    [IndexerName("Chars")]
    public char this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_stringLength)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            return Unsafe.Add(ref _firstChar, index);
        }
    }

    // ILC turns `new string(...)` into calls of these static Ctor methods (same parameters, returns the string).
#pragma warning disable CS0824
    /// <summary>Copies a character array.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char[] value);

    /// <summary>Copies part of a character array.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char[] value, int startIndex, int length);

    /// <summary>Copies a span.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(ReadOnlySpan<char> value);

    /// <summary>Copies a NUL-terminated UTF-16 string.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char* value);

    /// <summary>Repeats one character.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char c, int count);

    /// <summary>Copies length UTF-16 units from value + startIndex.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char* value, int startIndex, int length);
#pragma warning restore CS0824

    private static string Ctor(char[] value) => value == null ? Empty : Ctor(new ReadOnlySpan<char>(value));

    private static string Ctor(char[] value, int startIndex, int length) =>
        Ctor(new ReadOnlySpan<char>(value, startIndex, length));

    private static string Ctor(ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
            return Empty;
        string result = FastAllocate(value.Length);
        value.CopyTo(new Span<char>(ref result._firstChar, value.Length));
        return result;
    }

    private static string Ctor(char* value)
    {
        if (value == null)
            return Empty;
        int length = 0;
        while (value[length] != '\0')
            length++;
        return Ctor(new ReadOnlySpan<char>(value, length));
    }

    private static string Ctor(char* value, int startIndex, int length) =>
        Ctor(new ReadOnlySpan<char>(value + startIndex, length));

    private static string Ctor(char c, int count)
    {
        if (count <= 0)
            return Empty;
        string result = FastAllocate(count);
        new Span<char>(ref result._firstChar, count).Fill(c);
        return result;
    }

    /// <summary>Allocates a zeroed string of the given length.</summary>
    internal static string FastAllocate(int length)
    {
        // Every string shares the MethodTable of the empty literal.
        object s = Unsafe.As<object>(RuntimeExports.AllocateArray(Empty.m_pEEType, length));
        return Unsafe.As<string>(s);
    }

    internal static string FromChar(char c) => Ctor(c, 1);

    /// <summary>A reference to the first character (the terminating NUL for the empty string).</summary>
    public ref readonly char GetPinnableReference() => ref _firstChar;

    internal ref char GetRawFirstChar() => ref _firstChar;

    /// <summary>Ordinal equality.</summary>
    public static bool Equals(string a, string b)
    {
        if ((object)a == b)
            return true;
        if (a is null || b is null || a.Length != b.Length)
            return false;
        return new ReadOnlySpan<char>(ref a._firstChar, a.Length).SequenceEqual(new ReadOnlySpan<char>(ref b._firstChar, b.Length));
    }

    /// <summary>Ordinal equality.</summary>
    public override bool Equals(object obj) => obj is string s && Equals(this, s);

    /// <summary>Ordinal equality.</summary>
    public bool Equals(string value) => Equals(this, value);

    public static bool operator ==(string a, string b) => Equals(a, b);

    public static bool operator !=(string a, string b) => !Equals(a, b);

    /// <summary>FNV-1a over the code units.</summary>
    public override int GetHashCode()
    {
        uint hash = 2166136261;
        for (int i = 0; i < _stringLength; i++)
            hash = (hash ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
        return (int)hash;
    }

    /// <summary>This string.</summary>
    public override string ToString() => this;

    /// <summary>Whether s is null or empty.</summary>
    public static bool IsNullOrEmpty(string s) => s is null || s.Length == 0;

    /// <summary>Concatenates the text of two objects.</summary>
    public static string Concat(object a, object b) => Concat(a?.ToString(), b?.ToString());

    /// <summary>Concatenates the text of three objects.</summary>
    public static string Concat(object a, object b, object c) => Concat(a?.ToString(), b?.ToString(), c?.ToString());

    /// <summary>Concatenates two strings.</summary>
    public static string Concat(string a, string b) => Concat(a, b, null, null);

    /// <summary>Concatenates three strings.</summary>
    public static string Concat(string a, string b, string c) => Concat(a, b, c, null);

    /// <summary>Concatenates four strings (null counts as empty).</summary>
    public static string Concat(string a, string b, string c, string d)
    {
        int length = (a?.Length ?? 0) + (b?.Length ?? 0) + (c?.Length ?? 0) + (d?.Length ?? 0);
        if (length == 0)
            return Empty;
        string result = FastAllocate(length);
        Span<char> target = new Span<char>(ref result._firstChar, length);
        int at = 0;
        at = Append(target, at, a);
        at = Append(target, at, b);
        at = Append(target, at, c);
        Append(target, at, d);
        return result;
    }

    /// <summary>Concatenates many strings.</summary>
    public static string Concat(params string[] values)
    {
        int length = 0;
        for (int i = 0; i < values.Length; i++)
            length += values[i]?.Length ?? 0;
        if (length == 0)
            return Empty;
        string result = FastAllocate(length);
        Span<char> target = new Span<char>(ref result._firstChar, length);
        int at = 0;
        for (int i = 0; i < values.Length; i++)
            at = Append(target, at, values[i]);
        return result;
    }

    private static int Append(Span<char> target, int at, string s)
    {
        if (s is null)
            return at;
        new ReadOnlySpan<char>(ref s._firstChar, s.Length).CopyTo(target.Slice(at));
        return at + s.Length;
    }

    /// <summary>The characters from startIndex to the end.</summary>
    public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

    /// <summary>length characters from startIndex.</summary>
    public string Substring(int startIndex, int length)
    {
        if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
            ThrowHelpers.ThrowArgumentOutOfRange("startIndex");
        if (startIndex == 0 && length == _stringLength)
            return this;
        return Ctor(new ReadOnlySpan<char>(ref Unsafe.Add(ref _firstChar, startIndex), length));
    }

    /// <summary>Index of the first c, or -1.</summary>
    public int IndexOf(char c)
    {
        for (int i = 0; i < _stringLength; i++)
        {
            if (Unsafe.Add(ref _firstChar, i) == c)
                return i;
        }
        return -1;
    }

    /// <summary>Index of the first occurrence of value (ordinal), or -1; 0 for an empty value.</summary>
    public int IndexOf(string value)
    {
        for (int i = 0; i + value.Length <= _stringLength; i++)
        {
            if (this.AsSpan(i, value.Length).SequenceEqual(value.AsSpan()))
                return i;
        }
        return -1;
    }

    /// <summary>Whether value occurs in this (ordinal).</summary>
    public bool Contains(string value) => IndexOf(value) >= 0;

    /// <summary>Whether this starts with value (ordinal).</summary>
    public bool StartsWith(string value) =>
        value.Length <= _stringLength && this.AsSpan(0, value.Length).SequenceEqual(value.AsSpan());

    /// <summary>Whether this ends with value (ordinal).</summary>
    public bool EndsWith(string value) =>
        value.Length <= _stringLength && this.AsSpan(_stringLength - value.Length).SequenceEqual(value.AsSpan());

    /// <summary>Pads on the left with spaces to totalWidth.</summary>
    public string PadLeft(int totalWidth) => totalWidth <= _stringLength ? this : Concat(new string(' ', totalWidth - _stringLength), this);

    /// <summary>Pads on the right with spaces to totalWidth.</summary>
    public string PadRight(int totalWidth) => totalWidth <= _stringLength ? this : Concat(this, new string(' ', totalWidth - _stringLength));

    public static implicit operator ReadOnlySpan<char>(string value) =>
        value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);
}
