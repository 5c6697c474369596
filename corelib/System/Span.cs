// Span<T> and ReadOnlySpan<T>: a reference plus a length, the kernel's safe view of memory.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

/// <summary>A writable, bounds-checked view of contiguous memory.</summary>
public readonly ref struct Span<T>
{
    internal readonly ref T _reference;
    private readonly int _length;

    /// <summary>Views a whole array.</summary>
    public Span(T[] array)
    {
        if (array == null)
        {
            this = default;
            return;
        }
        _reference = ref Unsafe.As<byte, T>(ref ArrayData.FirstElement(array));
        _length = array.Length;
    }

    /// <summary>Views part of an array.</summary>
    public Span(T[] array, int start, int length)
    {
        if (array == null)
        {
            if (start != 0 || length != 0)
                ThrowHelpers.ThrowArgumentOutOfRange("start");
            this = default;
            return;
        }
        if ((uint)start > (uint)array.Length || (uint)length > (uint)(array.Length - start))
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref ArrayData.FirstElement(array)), start);
        _length = length;
    }

    /// <summary>Views unmanaged memory.</summary>
    /// <remarks>Safety: pointer must address length valid elements for the span's lifetime.</remarks>
    public unsafe Span(void* pointer, int length)
    {
        if (length < 0)
            ThrowHelpers.ThrowArgumentOutOfRange("length");
        _reference = ref Unsafe.AsRef<T>(pointer);
        _length = length;
    }

    internal Span(ref T reference, int length)
    {
        _reference = ref reference;
        _length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length => _length;

    /// <summary>Whether the span has no elements.</summary>
    public bool IsEmpty => _length == 0;

    /// <summary>The element at index.</summary>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            return ref Unsafe.Add(ref _reference, index);
        }
    }

    /// <summary>The elements from start on.</summary>
    public Span<T> Slice(int start)
    {
        if ((uint)start > (uint)_length)
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        return new Span<T>(ref Unsafe.Add(ref _reference, start), _length - start);
    }

    /// <summary>length elements from start.</summary>
    public Span<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start))
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        return new Span<T>(ref Unsafe.Add(ref _reference, start), length);
    }

    /// <summary>A reference to the first element (for fixed).</summary>
    public ref T GetPinnableReference() => ref _length != 0 ? ref _reference : ref Unsafe.NullRef<T>();

    /// <summary>Sets every element to value.</summary>
    public void Fill(T value)
    {
        for (int i = 0; i < _length; i++)
            Unsafe.Add(ref _reference, i) = value;
    }

    /// <summary>Sets every element to its default.</summary>
    public unsafe void Clear() =>
        Buffer.ZeroMemory(ref Unsafe.As<T, byte>(ref _reference), (nuint)_length * (nuint)Unsafe.SizeOf<T>());

    /// <summary>Copies into destination, which must be at least as long.</summary>
    public void CopyTo(Span<T> destination)
    {
        if ((uint)_length > (uint)destination.Length)
            ThrowHelpers.ThrowArgumentOutOfRange("destination");
        Buffer.Memmove(ref Unsafe.As<T, byte>(ref destination._reference), ref Unsafe.As<T, byte>(ref _reference),
            (nuint)_length * (nuint)Unsafe.SizeOf<T>());
    }

    /// <summary>A new array with the elements.</summary>
    public T[] ToArray()
    {
        T[] result = new T[_length];
        CopyTo(result);
        return result;
    }

    /// <summary>Enumerates the elements.</summary>
    public Enumerator GetEnumerator() => new Enumerator(this);

    public static implicit operator Span<T>(T[] array) => new Span<T>(array);

    public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);

    /// <summary>Enumerator for foreach.</summary>
    public ref struct Enumerator
    {
        private readonly Span<T> _span;
        private int _index;

        internal Enumerator(Span<T> span)
        {
            _span = span;
            _index = -1;
        }

        /// <summary>Advances.</summary>
        public bool MoveNext() => ++_index < _span.Length;

        /// <summary>The current element.</summary>
        public ref T Current => ref _span[_index];
    }
}

/// <summary>A read-only, bounds-checked view of contiguous memory.</summary>
public readonly ref struct ReadOnlySpan<T>
{
    internal readonly ref T _reference;
    private readonly int _length;

    /// <summary>Views a whole array.</summary>
    public ReadOnlySpan(T[] array)
    {
        if (array == null)
        {
            this = default;
            return;
        }
        _reference = ref Unsafe.As<byte, T>(ref ArrayData.FirstElement(array));
        _length = array.Length;
    }

    /// <summary>Views part of an array.</summary>
    public ReadOnlySpan(T[] array, int start, int length)
    {
        if (array == null)
        {
            if (start != 0 || length != 0)
                ThrowHelpers.ThrowArgumentOutOfRange("start");
            this = default;
            return;
        }
        if ((uint)start > (uint)array.Length || (uint)length > (uint)(array.Length - start))
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref ArrayData.FirstElement(array)), start);
        _length = length;
    }

    /// <summary>Views unmanaged memory.</summary>
    /// <remarks>Safety: pointer must address length valid elements for the span's lifetime.</remarks>
    public unsafe ReadOnlySpan(void* pointer, int length)
    {
        if (length < 0)
            ThrowHelpers.ThrowArgumentOutOfRange("length");
        _reference = ref Unsafe.AsRef<T>(pointer);
        _length = length;
    }

    internal ReadOnlySpan(ref T reference, int length)
    {
        _reference = ref reference;
        _length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length => _length;

    /// <summary>Whether the span has no elements.</summary>
    public bool IsEmpty => _length == 0;

    /// <summary>The element at index.</summary>
    public ref readonly T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            return ref Unsafe.Add(ref _reference, index);
        }
    }

    /// <summary>The elements from start on.</summary>
    public ReadOnlySpan<T> Slice(int start)
    {
        if ((uint)start > (uint)_length)
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), _length - start);
    }

    /// <summary>length elements from start.</summary>
    public ReadOnlySpan<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start))
            ThrowHelpers.ThrowArgumentOutOfRange("start");
        return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), length);
    }

    /// <summary>A reference to the first element (for fixed).</summary>
    public ref readonly T GetPinnableReference() => ref _length != 0 ? ref _reference : ref Unsafe.NullRef<T>();

    /// <summary>Copies into destination, which must be at least as long.</summary>
    public void CopyTo(Span<T> destination)
    {
        if ((uint)_length > (uint)destination.Length)
            ThrowHelpers.ThrowArgumentOutOfRange("destination");
        Buffer.Memmove(ref Unsafe.As<T, byte>(ref destination._reference), ref Unsafe.As<T, byte>(ref _reference),
            (nuint)_length * (nuint)Unsafe.SizeOf<T>());
    }

    /// <summary>A new array with the elements.</summary>
    public T[] ToArray()
    {
        T[] result = new T[_length];
        CopyTo(result);
        return result;
    }

    /// <summary>Enumerates the elements.</summary>
    public Enumerator GetEnumerator() => new Enumerator(this);

    public static implicit operator ReadOnlySpan<T>(T[] array) => new ReadOnlySpan<T>(array);

    /// <summary>Enumerator for foreach.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<T> _span;
        private int _index;

        internal Enumerator(ReadOnlySpan<T> span)
        {
            _span = span;
            _index = -1;
        }

        /// <summary>Advances.</summary>
        public bool MoveNext() => ++_index < _span.Length;

        /// <summary>The current element.</summary>
        public ref readonly T Current => ref _span[_index];
    }
}

/// <summary>Span helpers that the BCL also offers as extension methods.</summary>
public static class MemoryExtensions
{
    // These build the span themselves: the JIT treats string's implicit conversion as an intrinsic that it
    // lowers to a call of AsSpan, so AsSpan must not use that conversion.

    /// <summary>Views a string.</summary>
    public static ReadOnlySpan<char> AsSpan(this string text) =>
        text is null ? default : new ReadOnlySpan<char>(ref text.GetRawFirstChar(), text.Length);

    /// <summary>Views a string from start.</summary>
    public static ReadOnlySpan<char> AsSpan(this string text, int start) => AsSpan(text).Slice(start);

    /// <summary>Views part of a string.</summary>
    public static ReadOnlySpan<char> AsSpan(this string text, int start, int length) => AsSpan(text).Slice(start, length);

    /// <summary>Views an array.</summary>
    public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);

    /// <summary>Views part of an array.</summary>
    public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);

    /// <summary>Ordinal equality of two character spans.</summary>
    public static bool SequenceEqual(this ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
            return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
                return false;
        }
        return true;
    }

    /// <summary>Ordinal equality of two character spans.</summary>
    public static bool SequenceEqual(this Span<char> a, ReadOnlySpan<char> b) => SequenceEqual((ReadOnlySpan<char>)a, b);

    /// <summary>Byte-wise equality.</summary>
    public static bool SequenceEqual(this ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
            return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
                return false;
        }
        return true;
    }

    /// <summary>Byte-wise equality.</summary>
    public static bool SequenceEqual(this Span<byte> a, ReadOnlySpan<byte> b) => SequenceEqual((ReadOnlySpan<byte>)a, b);

    /// <summary>Whether span starts with prefix.</summary>
    public static bool StartsWith(this ReadOnlySpan<char> span, ReadOnlySpan<char> prefix) =>
        prefix.Length <= span.Length && span.Slice(0, prefix.Length).SequenceEqual(prefix);

    /// <summary>Index of the first c, or -1.</summary>
    public static int IndexOf(this ReadOnlySpan<char> span, char c)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == c)
                return i;
        }
        return -1;
    }

    /// <summary>Index of the first b, or -1.</summary>
    public static int IndexOf(this ReadOnlySpan<byte> span, byte b)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == b)
                return i;
        }
        return -1;
    }
}
