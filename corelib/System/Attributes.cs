// Attributes the C# compiler and ILC look for by name.
namespace System
{
    /// <summary>Base of all attributes.</summary>
    public abstract class Attribute
    {
    }

    /// <summary>Where an attribute may appear.</summary>
    [Flags]
    public enum AttributeTargets
    {
        Assembly = 0x1, Module = 0x2, Class = 0x4, Struct = 0x8, Enum = 0x10, Constructor = 0x20, Method = 0x40,
        Property = 0x80, Field = 0x100, Event = 0x200, Interface = 0x400, Parameter = 0x800, Delegate = 0x1000,
        ReturnValue = 0x2000, GenericParameter = 0x4000, All = 0x7FFF,
    }

    /// <summary>Describes an attribute's usage.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        /// <summary>Creates the usage description.</summary>
        public AttributeUsageAttribute(AttributeTargets validOn) { }

        /// <summary>Whether repeated use is allowed.</summary>
        public bool AllowMultiple { get; set; }

        /// <summary>Whether derived types inherit it.</summary>
        public bool Inherited { get; set; }
    }

    /// <summary>Marks an enum as a bit field.</summary>
    [AttributeUsage(AttributeTargets.Enum)]
    public sealed class FlagsAttribute : Attribute
    {
    }

    /// <summary>Marks an obsolete element.</summary>
    public sealed class ObsoleteAttribute : Attribute
    {
        /// <summary>Marks it obsolete.</summary>
        public ObsoleteAttribute() { }

        /// <summary>Marks it obsolete with a message.</summary>
        public ObsoleteAttribute(string message) { }
    }

    /// <summary>Thread-local static (not supported yet: the kernel has one thread).</summary>
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class ThreadStaticAttribute : Attribute
    {
    }

    /// <summary>Marks a type as CLS compliant (ignored).</summary>
    public sealed class CLSCompliantAttribute : Attribute
    {
        /// <summary>Creates it.</summary>
        public CLSCompliantAttribute(bool isCompliant) { }
    }
}

namespace System.Reflection
{
    /// <summary>Names the default member (indexers).</summary>
    public sealed class DefaultMemberAttribute : Attribute
    {
        /// <summary>Creates it.</summary>
        public DefaultMemberAttribute(string memberName) { }
    }
}

namespace System.Diagnostics
{
    /// <summary>Conditional compilation of calls.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
    public sealed class ConditionalAttribute : Attribute
    {
        /// <summary>Creates it.</summary>
        public ConditionalAttribute(string conditionString) { }
    }

    /// <summary>Debugger display hint (ignored).</summary>
    public sealed class DebuggerHiddenAttribute : Attribute
    {
    }

    /// <summary>Debugger stepping hint (ignored).</summary>
    public sealed class DebuggerNonUserCodeAttribute : Attribute
    {
    }

    /// <summary>Debugger stepping hint (ignored).</summary>
    public sealed class DebuggerStepThroughAttribute : Attribute
    {
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Marks a method that never returns.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DoesNotReturnAttribute : Attribute
    {
    }

    /// <summary>Lets a ref escape its scope.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
    public sealed class UnscopedRefAttribute : Attribute
    {
    }
}

namespace System.Runtime.Versioning
{
    /// <summary>Marks non-versionable code (ignored).</summary>
    public sealed class NonVersionableAttribute : Attribute
    {
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>How fields are laid out.</summary>
    public enum LayoutKind
    {
        Sequential = 0,
        Explicit = 2,
        Auto = 3,
    }

    /// <summary>Character set for interop strings.</summary>
    public enum CharSet
    {
        None = 1,
        Ansi = 2,
        Unicode = 3,
        Auto = 4,
    }

    /// <summary>Controls field layout.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute
    {
        /// <summary>Chooses a layout.</summary>
        public StructLayoutAttribute(LayoutKind layoutKind) => Value = layoutKind;

        /// <summary>The layout.</summary>
        public LayoutKind Value { get; }

        /// <summary>Field alignment.</summary>
        public int Pack;

        /// <summary>Total size.</summary>
        public int Size;

        /// <summary>String marshalling.</summary>
        public CharSet CharSet;
    }

    /// <summary>Explicit field offset.</summary>
    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        /// <summary>Places the field at offset bytes.</summary>
        public FieldOffsetAttribute(int offset) => Value = offset;

        /// <summary>The offset.</summary>
        public int Value { get; }
    }

    /// <summary>A method callable from native code by function pointer or exported name.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        /// <summary>Calling conventions.</summary>
        public Type[] CallConvs;

        /// <summary>Exported symbol name.</summary>
        public string EntryPoint;
    }

    /// <summary>Calls native code directly without a GC transition.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class SuppressGCTransitionAttribute : Attribute
    {
    }

    /// <summary>Binds an extern method to a native symbol.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DllImportAttribute : Attribute
    {
        /// <summary>Names the library.</summary>
        public DllImportAttribute(string dllName) => Value = dllName;

        /// <summary>The library.</summary>
        public string Value { get; }

        /// <summary>The symbol.</summary>
        public string EntryPoint;

        /// <summary>Calling convention.</summary>
        public CallingConvention CallingConvention;
    }

    /// <summary>Native calling conventions.</summary>
    public enum CallingConvention
    {
        Winapi = 1,
        Cdecl = 2,
        StdCall = 3,
        ThisCall = 4,
        FastCall = 5,
    }

    /// <summary>Marks an in parameter.</summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class InAttribute : Attribute
    {
    }

    /// <summary>Marks an out parameter.</summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class OutAttribute : Attribute
    {
    }
}
