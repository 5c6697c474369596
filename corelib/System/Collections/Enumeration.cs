// Enumeration interfaces: the compiler needs them for foreach, and kernel collections implement them.
namespace System.Collections
{
    /// <summary>A sequence that can be enumerated.</summary>
    public interface IEnumerable
    {
        /// <summary>Starts an enumeration.</summary>
        IEnumerator GetEnumerator();
    }

    /// <summary>An enumeration in progress.</summary>
    public interface IEnumerator
    {
        /// <summary>The current element.</summary>
        object Current { get; }

        /// <summary>Advances; false at the end.</summary>
        bool MoveNext();

        /// <summary>Restarts.</summary>
        void Reset();
    }
}

namespace System.Collections.Generic
{
    /// <summary>A typed sequence.</summary>
    public interface IEnumerable<out T> : IEnumerable
    {
        /// <summary>Starts an enumeration.</summary>
        new IEnumerator<T> GetEnumerator();
    }

    /// <summary>A typed enumeration in progress.</summary>
    public interface IEnumerator<out T> : IDisposable, IEnumerator
    {
        /// <summary>The current element.</summary>
        new T Current { get; }
    }
}
