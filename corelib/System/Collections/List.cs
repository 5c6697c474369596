// A growable array, the subset of System.Collections.Generic.List<T> the kernel uses.
using Internal.Runtime;

namespace System.Collections.Generic;

/// <summary>A list backed by an array that doubles when full.</summary>
public class List<T>
{
    private const int DefaultCapacity = 4;

    private T[] _items;
    private int _count;

    /// <summary>An empty list.</summary>
    public List() => _items = new T[0];

    /// <summary>An empty list with room for capacity items.</summary>
    public List(int capacity) => _items = new T[capacity < 0 ? 0 : capacity];

    /// <summary>Number of items.</summary>
    public int Count => _count;

    /// <summary>Items the backing array holds before it must grow.</summary>
    public int Capacity => _items.Length;

    /// <summary>The item at index.</summary>
    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                ThrowHelpers.ThrowArgumentOutOfRange("index");
            return _items[index];
        }
        set
        {
            if ((uint)index >= (uint)_count)
                ThrowHelpers.ThrowArgumentOutOfRange("index");
            _items[index] = value;
        }
    }

    /// <summary>Appends an item.</summary>
    public void Add(T item)
    {
        if (_count == _items.Length)
            Grow();
        _items[_count++] = item;
    }

    /// <summary>Inserts an item at index, moving later items up.</summary>
    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)_count)
            ThrowHelpers.ThrowArgumentOutOfRange("index");
        if (_count == _items.Length)
            Grow();
        for (int i = _count; i > index; i--)
            _items[i] = _items[i - 1];
        _items[index] = item;
        _count++;
    }

    /// <summary>Removes the item at index, moving later items down.</summary>
    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)_count)
            ThrowHelpers.ThrowArgumentOutOfRange("index");
        for (int i = index; i < _count - 1; i++)
            _items[i] = _items[i + 1];
        _count--;
        _items[_count] = default;
    }

    /// <summary>Removes every item (the capacity stays).</summary>
    public void Clear()
    {
        for (int i = 0; i < _count; i++)
            _items[i] = default;
        _count = 0;
    }

    /// <summary>The items as a span (valid until the list changes).</summary>
    public ReadOnlySpan<T> AsSpan() => new ReadOnlySpan<T>(_items, 0, _count);

    /// <summary>Enumerates the items.</summary>
    public Enumerator GetEnumerator() => new Enumerator(this);

    private void Grow()
    {
        T[] larger = new T[_items.Length == 0 ? DefaultCapacity : _items.Length * 2];
        for (int i = 0; i < _count; i++)
            larger[i] = _items[i];
        _items = larger;
    }

    /// <summary>Enumerator for foreach.</summary>
    public struct Enumerator
    {
        private readonly List<T> _list;
        private int _index;

        internal Enumerator(List<T> list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>Advances.</summary>
        public bool MoveNext() => ++_index < _list._count;

        /// <summary>The current item.</summary>
        public T Current => _list._items[_index];
    }
}
