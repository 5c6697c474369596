#if KERNEL_TESTS
// In-kernel tests of the freestanding runtime (corelib/): what ILC-compiled C# needs to run at all.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Testing;

public static class RuntimeTests
{
    public static void ObjectsAndFields()
    {
        var point = new Point3(1, 2, 3);
        Expect.Equal(6, point.Sum(), "fields of a new object");
        var other = new Point3(4, 5, 6);
        Expect.True(!ReferenceEquals(point, other), "two objects are distinct");
    }

    public static void ArraysAndBoundsOfLength()
    {
        int[] numbers = new int[100];
        for (int i = 0; i < numbers.Length; i++)
            numbers[i] = i * i;
        long sum = 0;
        foreach (int n in numbers)
            sum += n;
        Expect.Equal(328350, sum, "sum of squares 0..99");
        string[] words = { "a", "bc", "def" };
        Expect.Equal(3, words[2].Length, "array of strings");
        byte[] zeroed = new byte[4096];
        int nonZero = 0;
        for (int i = 0; i < zeroed.Length; i++)
            nonZero += zeroed[i];
        Expect.Equal(0, nonZero, "new arrays are zeroed");
    }

    public static void VirtualCalls()
    {
        Shape[] shapes = { new Square(3), new Rectangle(2, 5), new Square(1) };
        long area = 0;
        for (int i = 0; i < shapes.Length; i++)
            area += shapes[i].Area();
        Expect.Equal(9 + 10 + 1, area, "virtual Area()");
        Expect.Equal("square", shapes[0].Name, "overridden property");
        Expect.Equal("shape", shapes[1].Name, "inherited property");
    }

    public static void InterfaceCalls()
    {
        // Several receiver types through one call site exercise the dispatch cell's cache miss path.
        ICounter[] counters = { new StepCounter(1), new StepCounter(10), new DoublingCounter(), new StepCounter(100) };
        long total = 0;
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < counters.Length; i++)
                total += counters[i].Next();
        }
        // step 1: 1+2+3, step 10: 10+20+30, doubling: 2+4+8, step 100: 100+200+300
        Expect.Equal(6 + 60 + 14 + 600, total, "interface Next() across types");
        INamed named = new DoublingCounter();
        Expect.Equal("doubling", named.Name, "second interface on one type");
    }

    public static void GenericsAndStructs()
    {
        var stack = new FixedStack<string>(4);
        stack.Push("x");
        stack.Push("y");
        Expect.Equal("y", stack.Pop(), "generic class over a reference type");
        var numbers = new FixedStack<long>(4);
        numbers.Push(40);
        numbers.Push(2);
        Expect.Equal(42, numbers.Pop() + numbers.Pop(), "generic class over a value type");
        Expect.Equal(7, Max(3, 7), "generic method");
        Pair a = new Pair { Name = "left", Value = 1 };
        Pair b = a;
        b.Value = 2;
        Expect.Equal(1, a.Value, "struct copy is a copy");
        Expect.Equal("left", b.Name, "struct copy keeps references");
    }

    public static void Delegates()
    {
        Func<int, int> square = SquareOf;
        Expect.Equal(49, square(7), "static method delegate");
        int offset = 5;
        Func<int, int> addOffset = x => x + offset;
        offset = 6;
        Expect.Equal(16, addOffset(10), "closure sees the captured variable");
        var counter = new StepCounter(3);
        Func<long> next = counter.Next;
        next();
        Expect.Equal(6, next(), "instance method delegate");
        Action nothing = () => { };
        nothing();
    }

    public static void StaticConstructors()
    {
        Expect.Equal(0, CctorObserver.Runs, "cctor has not run before first use");
        Expect.Equal(1234, LazyStatics.Value, "cctor sets the value");
        Expect.Equal(1234, LazyStatics.Value, "second read");
        Expect.Equal(1, CctorObserver.Runs, "cctor ran exactly once");
        Expect.Equal("preinitialized", PreinitStatics.Text, "static readonly string");
        Expect.Equal(3, PreinitStatics.Table.Length, "static readonly array");
    }

    // Not inlined: the compiler cannot see the array's exact type, so the store goes through the runtime's check.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreElement(object[] array, int index, object value) => array[index] = value;

    public static void BoxingAndCasts()
    {
        object boxed = 42;
        Expect.True(boxed is int, "boxed int is int");
        Expect.Equal(42, (int)boxed, "unbox");
        object text = "text";
        Expect.True(text is string, "is string");
        Expect.True(!(text is Shape), "string is not a Shape");
        Shape shape = new Square(2);
        Expect.True(shape is Square, "downcast test");
        Expect.True((shape as Rectangle) == null, "as to an unrelated class is null");
        object counter = new StepCounter(1);
        Expect.True(counter is ICounter, "implements interface");
        Expect.True(!(counter is INamed), "does not implement interface");
        int? maybe = 5;
        object boxedNullable = maybe;
        Expect.Equal(5, (int)boxedNullable, "boxed Nullable<int> boxes the value");
        int? none = null;
        Expect.True((object)none == null, "empty Nullable boxes to null");
        object[] objects = new string[2];
        objects[0] = "covariant store of the right type";
        Expect.True(objects[0] != null, "covariant array store");
        // Arrays are objects: an int[] and a string[] go into an object[] (their MethodTables have no base class link).
        object[] anything = new object[3];
        StoreElement(anything, 0, new int[] { 7 });
        StoreElement(anything, 1, new string[1]);
        StoreElement(anything, 2, new Square(1));
        Expect.True(anything[0] is int[] numbers && numbers[0] == 7, "an int[] stored in an object[]");
        Expect.True(anything[1] is string[], "a string[] stored in an object[]");
        object array = new int[2];
        Expect.True(array is object && !(array is string), "an int[] is an object and not a string");
    }

    // Buffer.MemoryCopy is how a heap block moves on realloc: every length, at offsets that are not 8-aligned.
    public static unsafe void MemoryCopyCopiesEveryLength()
    {
        byte* source = stackalloc byte[200];
        byte* destination = stackalloc byte[200];
        for (int i = 0; i < 200; i++)
            source[i] = (byte)(i * 3 + 1);
        for (int length = 0; length < 100; length++)
        {
            for (int i = 0; i < 200; i++)
                destination[i] = 0;
            Buffer.MemoryCopy(source + 3, destination + 1, 199, length);
            for (int i = 0; i < 200; i++)
            {
                byte expected = i >= 1 && i < 1 + length ? source[i + 2] : (byte)0;
                if (destination[i] != expected)
                {
                    Expect.Equal(expected, destination[i], "byte " + i.ToString() + " after copying " + length.ToString());
                    return;
                }
            }
        }
    }

    public static void StringsAndFormatting()
    {
        Expect.Equal("abc", "a" + "b" + "c", "concat");
        Expect.Equal("-123", (-123).ToString(), "negative decimal");
        Expect.Equal("18446744073709551615", ulong.MaxValue.ToString(), "ulong max");
        Expect.Equal("-9223372036854775808", long.MinValue.ToString(), "long min");
        Expect.Equal("ff", 255.ToString("x"), "hex");
        Expect.Equal("000000FF", 255u.ToString("X8"), "padded upper hex");
        Expect.Equal("value=7", "value=" + 7, "string + int");
        Expect.True("kernel".StartsWith("ker") && "kernel".EndsWith("nel"), "StartsWith/EndsWith");
        Expect.Equal("rne", "kernel".Substring(2, 3), "Substring");
        Expect.Equal(3, "kernel".IndexOf('n'), "IndexOf");
        Expect.True("same" == new string(new[] { 's', 'a', 'm', 'e' }), "equality of built strings");
        Expect.True("x".GetHashCode() == new string('x', 1).GetHashCode(), "hash follows equality");
    }

    private static int SquareOf(int x) => x * x;

    private static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    private sealed class Point3
    {
        private readonly int _x, _y, _z;

        public Point3(int x, int y, int z)
        {
            _x = x;
            _y = y;
            _z = z;
        }

        public int Sum() => _x + _y + _z;
    }

    private abstract class Shape
    {
        public abstract long Area();

        public virtual string Name => "shape";
    }

    private sealed class Square : Shape
    {
        private readonly long _side;

        public Square(long side) => _side = side;

        public override long Area() => _side * _side;

        public override string Name => "square";
    }

    private sealed class Rectangle : Shape
    {
        private readonly long _width, _height;

        public Rectangle(long width, long height)
        {
            _width = width;
            _height = height;
        }

        public override long Area() => _width * _height;
    }

    private interface ICounter
    {
        long Next();
    }

    private interface INamed
    {
        string Name { get; }
    }

    private sealed class StepCounter : ICounter
    {
        private readonly long _step;
        private long _value;

        public StepCounter(long step) => _step = step;

        public long Next() => _value += _step;
    }

    private sealed class DoublingCounter : ICounter, INamed
    {
        private long _value = 1;

        public long Next() => _value *= 2;

        public string Name => "doubling";
    }

    private sealed class FixedStack<T>
    {
        private readonly T[] _items;
        private int _count;

        public FixedStack(int capacity) => _items = new T[capacity];

        public void Push(T item) => _items[_count++] = item;

        public T Pop() => _items[--_count];
    }

    private struct Pair
    {
        public string Name;
        public long Value;
    }

    private static class CctorObserver
    {
        public static int Runs;
    }

    private static class LazyStatics
    {
        public static readonly int Value;

        static LazyStatics()
        {
            CctorObserver.Runs++;
            Value = ComputeAtRunTime();
        }

        private static int ComputeAtRunTime() => (int)(Arch.Cpu.ReadTimeStampCounter() & 0) + 1234;
    }

    private static class PreinitStatics
    {
        public static readonly string Text = "preinitialized";
        public static readonly int[] Table = { 1, 2, 3 };
    }
}
#endif
