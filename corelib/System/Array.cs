// System.Array: the base of every array type. Layout (ILC 10.0): [MethodTable*][int length][pad][elements].
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    /// <summary>Base of all arrays.</summary>
    public abstract unsafe class Array
    {
        // Fixed by ILC: the element count follows the MethodTable pointer.
        private int _numComponents;

        /// <summary>Number of elements.</summary>
        public int Length => _numComponents;

        /// <summary>Sets length elements from index to their default value.</summary>
        public static void Clear(Array array, int index, int length)
        {
            MethodTable* mt = array.m_pEEType;
            uint elementSize = mt->ComponentSize;
            if ((uint)index > (uint)array._numComponents || (uint)length > (uint)(array._numComponents - index))
                ThrowHelpers.ThrowArgumentOutOfRange("index");
            ref byte first = ref Unsafe.Add(ref ArrayData.FirstElement(array), (nint)index * (nint)elementSize);
            Buffer.ZeroMemory(ref first, (nuint)length * elementSize);
        }

        /// <summary>Copies length elements between arrays of the same element type.</summary>
        public static void Copy(Array source, int sourceIndex, Array destination, int destinationIndex, int length)
        {
            if (source.m_pEEType != destination.m_pEEType)
                ThrowHelpers.ThrowArrayTypeMismatchException();
            if ((uint)sourceIndex > (uint)source._numComponents || (uint)length > (uint)(source._numComponents - sourceIndex)
                || (uint)destinationIndex > (uint)destination._numComponents || (uint)length > (uint)(destination._numComponents - destinationIndex))
                ThrowHelpers.ThrowArgumentOutOfRange("length");
            nuint elementSize = source.m_pEEType->ComponentSize;
            Buffer.Memmove(ref Unsafe.Add(ref ArrayData.FirstElement(destination), (nint)destinationIndex * (nint)elementSize),
                ref Unsafe.Add(ref ArrayData.FirstElement(source), (nint)sourceIndex * (nint)elementSize),
                (nuint)length * elementSize);
        }

        /// <summary>Copies length elements from the start of both arrays.</summary>
        public static void Copy(Array source, Array destination, int length) => Copy(source, 0, destination, 0, length);

        /// <summary>Resizes an array by copying it into a new one.</summary>
        public static void Resize<T>(ref T[] array, int newSize)
        {
            T[] larger = new T[newSize];
            if (array != null)
                Copy(array, 0, larger, 0, array.Length < newSize ? array.Length : newSize);
            array = larger;
        }

        /// <summary>An empty array of T (allocated once per type).</summary>
        public static T[] Empty<T>() => EmptyArray<T>.Value;

        private static class EmptyArray<T>
        {
            internal static readonly T[] Value = new T[0];
        }
    }

    /// <summary>Finds the first element of any array.</summary>
    internal static class ArrayData
    {
        /// <summary>The element storage starts one pointer after the length field (ILC 10.0 array layout).</summary>
        public static ref byte FirstElement(Array array) => ref Unsafe.Add(ref array.GetRawData(), sizeof(long));
    }
}

namespace System
{
    // ILC gives every T[] this base (it carries the generic collection interfaces in the full runtime).
    internal class Array<T> : Array
    {
    }
}
