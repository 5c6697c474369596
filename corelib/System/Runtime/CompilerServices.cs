// Types in System.Runtime.CompilerServices that Roslyn and ILC bind to by name.
namespace System.Runtime.CompilerServices
{
    /// <summary>How a method is implemented.</summary>
    [Flags]
    public enum MethodImplOptions
    {
        Unmanaged = 0x4,
        NoInlining = 0x8,
        ForwardRef = 0x10,
        Synchronized = 0x20,
        NoOptimization = 0x40,
        PreserveSig = 0x80,
        AggressiveInlining = 0x100,
        AggressiveOptimization = 0x200,
        InternalCall = 0x1000,
    }

    /// <summary>Controls inlining and implementation.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        /// <summary>Sets the options.</summary>
        public MethodImplAttribute(MethodImplOptions methodImplOptions) => Value = methodImplOptions;

        /// <summary>Sets the options.</summary>
        public MethodImplAttribute(short value) => Value = (MethodImplOptions)value;

        /// <summary>The options.</summary>
        public MethodImplOptions Value { get; }
    }

    /// <summary>Marks a method the compiler may replace with its own code.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Field, Inherited = false)]
    public sealed class IntrinsicAttribute : Attribute
    {
    }

    /// <summary>Makes extension methods.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly)]
    public sealed class ExtensionAttribute : Attribute
    {
    }

    /// <summary>Marks compiler-generated code.</summary>
    public sealed class CompilerGeneratedAttribute : Attribute
    {
    }

    /// <summary>Renames the indexer property.</summary>
    [AttributeUsage(AttributeTargets.Property, Inherited = true)]
    public sealed class IndexerNameAttribute : Attribute
    {
        /// <summary>Names it.</summary>
        public IndexerNameAttribute(string indexerName) { }
    }

    /// <summary>Marks a fixed-size buffer field.</summary>
    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FixedBufferAttribute : Attribute
    {
        /// <summary>Describes the buffer.</summary>
        public FixedBufferAttribute(Type elementType, int length) { }
    }

    /// <summary>A struct holding length copies of its one field.</summary>
    [AttributeUsage(AttributeTargets.Struct, AllowMultiple = false)]
    public sealed class InlineArrayAttribute : Attribute
    {
        /// <summary>Sets the length.</summary>
        public InlineArrayAttribute(int length) => Length = length;

        /// <summary>The length.</summary>
        public int Length { get; }
    }

    /// <summary>Marks volatile fields in signatures.</summary>
    public static class IsVolatile
    {
    }

    /// <summary>Marks a static that is never preinitialized at compile time.</summary>
    public sealed class EagerStaticClassConstructionAttribute : Attribute
    {
    }

    /// <summary>Compiler feature flags Roslyn checks before using newer IL.</summary>
    public static class RuntimeFeature
    {
        /// <summary>ref fields in ref structs.</summary>
        public const string ByRefFields = nameof(ByRefFields);

        /// <summary>Default interface methods.</summary>
        public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);

        /// <summary>Unmanaged function pointer calling conventions.</summary>
        public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);

        /// <summary>Static abstract interface members.</summary>
        public const string VirtualStaticsInInterfaces = nameof(VirtualStaticsInInterfaces);
    }

    /// <summary>Low-level helpers the compiler calls.</summary>
    public static class RuntimeHelpers
    {
        /// <summary>Offset from an object reference to a string's first character.</summary>
        public static int OffsetToStringData => 12;

        /// <summary>Whether T contains object references (ILC intrinsic).</summary>
        [Intrinsic]
        public static bool IsReferenceOrContainsReferences<T>() => true;

        /// <summary>Fills an array from metadata (ILC intrinsic).</summary>
        [Intrinsic]
        public static extern void InitializeArray(Array array, RuntimeFieldHandle fldHandle);

        /// <summary>Ensures stack space (no-op: stack overflows end in the double-fault panic).</summary>
        public static void EnsureSufficientExecutionStack() { }
    }

    /// <summary>Unsafe reference and pointer operations (bodies supplied by ILC).</summary>
    public static unsafe class Unsafe
    {
        /// <summary>The address of a reference.</summary>
        [Intrinsic]
        public static extern void* AsPointer<T>(ref T value);

        /// <summary>A reference from an address.</summary>
        [Intrinsic]
        public static extern ref T AsRef<T>(void* source);

        /// <summary>Drops readonly from a reference.</summary>
        [Intrinsic]
        public static extern ref T AsRef<T>(scoped ref readonly T source);

        /// <summary>Reinterprets an object reference without a type check.</summary>
        [Intrinsic]
        public static extern T As<T>(object o) where T : class;

        /// <summary>Reinterprets a reference.</summary>
        [Intrinsic]
        public static extern ref TTo As<TFrom, TTo>(ref TFrom source);

        /// <summary>Moves a reference by elements.</summary>
        [Intrinsic]
        public static extern ref T Add<T>(ref T source, int elementOffset);

        /// <summary>Moves a reference by elements.</summary>
        [Intrinsic]
        public static extern ref T Add<T>(ref T source, nint elementOffset);

        /// <summary>Moves a reference by bytes.</summary>
        [Intrinsic]
        public static extern ref T AddByteOffset<T>(ref T source, nint byteOffset);

        /// <summary>Moves a reference back by elements.</summary>
        [Intrinsic]
        public static extern ref T Subtract<T>(ref T source, int elementOffset);

        /// <summary>Bytes from origin to target.</summary>
        [Intrinsic]
        public static extern nint ByteOffset<T>(ref T origin, ref T target);

        /// <summary>Size of T in bytes.</summary>
        [Intrinsic]
        public static extern int SizeOf<T>();

        /// <summary>Whether two references are the same.</summary>
        [Intrinsic]
        public static extern bool AreSame<T>(ref T left, ref T right);

        /// <summary>A null reference.</summary>
        [Intrinsic]
        public static extern ref T NullRef<T>();

        /// <summary>Whether a reference is null.</summary>
        [Intrinsic]
        public static extern bool IsNullRef<T>(ref T source);

        /// <summary>Reads a possibly unaligned value.</summary>
        [Intrinsic]
        public static extern T ReadUnaligned<T>(void* source);

        /// <summary>Writes a possibly unaligned value.</summary>
        [Intrinsic]
        public static extern void WriteUnaligned<T>(void* destination, T value);

        /// <summary>Skips zero-initialization of an out variable.</summary>
        [Intrinsic]
        public static extern void SkipInit<T>(out T value);
    }
}

namespace System.Runtime
{
    /// <summary>Exports a corelib method under a runtime symbol name (ILC).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        /// <summary>Exports the method as entry.</summary>
        public RuntimeExportAttribute(string entry) { }
    }

    /// <summary>Binds an extern method to a native symbol, called directly (ILC).</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        /// <summary>Binds to entry.</summary>
        public RuntimeImportAttribute(string entry) { }

        /// <summary>Binds to entry in a library.</summary>
        public RuntimeImportAttribute(string dllName, string entry) { }
    }
}
