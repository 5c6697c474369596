// Throws from corelib code and from code ILC generates (bounds checks, overflow, casts).
using System;

namespace Internal.Runtime
{
    /// <summary>Throws the corelib's exceptions (dispatched by the kernel; uncaught ones panic with a trace).</summary>
    public static class ThrowHelpers
    {
        /// <summary>Index outside an array, string or span.</summary>
        public static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();

        /// <summary>Null dereference detected in code.</summary>
        public static void ThrowNullReferenceException() => throw new NullReferenceException();

        /// <summary>Argument out of range.</summary>
        public static void ThrowArgumentOutOfRange(string paramName) => throw new ArgumentOutOfRangeException(paramName);

        /// <summary>Invalid operation.</summary>
        public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

        /// <summary>Invalid cast.</summary>
        public static void ThrowInvalidCast() => throw new InvalidCastException();

        /// <summary>Arithmetic overflow.</summary>
        public static void ThrowOverflow() => throw new OverflowException();

        /// <summary>Array covariance violation.</summary>
        public static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Entry points ILC binds by name for exceptions raised by generated code.</summary>
    internal static class ThrowHelpers
    {
        private static void ThrowBodyRemoved() => throw new NotSupportedException("method body removed by the compiler");
        private static void ThrowFeatureBodyRemoved() => throw new NotSupportedException("feature removed by the compiler");
        private static void ThrowInstanceBodyRemoved() => throw new NotSupportedException("instance method body removed by the compiler");
        private static void ThrowUnavailableType() => throw new NotSupportedException("type not available in this kernel");
        private static void ThrowNullReferenceException() => throw new NullReferenceException();
        private static void ThrowIndexOutOfRangeException() => throw new IndexOutOfRangeException();
        private static void ThrowDivideByZeroException() => throw new DivideByZeroException();
        private static void ThrowOverflowException() => throw new OverflowException();
        private static void ThrowArrayTypeMismatchException() => throw new ArrayTypeMismatchException();
        private static void ThrowArgumentException() => throw new ArgumentException("invalid argument");
        private static void ThrowArgumentOutOfRangeException() => throw new ArgumentOutOfRangeException("argument");
        private static void ThrowPlatformNotSupportedException() => throw new NotSupportedException("not supported on this platform");
        private static void ThrowNotImplementedException() => throw new NotImplementedException();
        private static void ThrowNotSupportedException() => throw new NotSupportedException("operation not supported");
        private static void ThrowTypeLoadException(int resourceId, string className, string typeName) => RuntimeHooks.FailFast2("type load failure: ", typeName);
        private static void ThrowInvalidProgramException(int resourceId) => throw new NotSupportedException("invalid program");
        private static void ThrowMissingMethodException(int resourceId, string methodName) => RuntimeHooks.FailFast2("missing method: ", methodName);
        private static void ThrowMissingFieldException(int resourceId, string fieldName) => RuntimeHooks.FailFast2("missing field: ", fieldName);
        private static void ThrowTypeLoadExceptionWithArgument(int resourceId, string className, string typeName, string messageArg) =>
            RuntimeHooks.FailFast2("type load failure: ", typeName);
        private static void ThrowInvalidProgramExceptionWithArgument(int resourceId, string methodName) =>
            RuntimeHooks.FailFast2("invalid program (the compiler could not compile this method): ", methodName);
        private static void ThrowBadImageFormatException(int resourceId) => throw new NotSupportedException("bad image format");
        private static void ThrowMarshalDirectiveException(int resourceId) => throw new NotSupportedException("marshalling not supported");
    }
}

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>Helpers ILC binds by name for ldtoken (handles are plain pointers here).</summary>
    internal static unsafe class LdTokenHelpers
    {
        private static RuntimeTypeHandle GetRuntimeTypeHandle(IntPtr pEEType) => new RuntimeTypeHandle((MethodTable*)pEEType);

        private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr pHandleSignature) => new RuntimeFieldHandle { _value = pHandleSignature };

        private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr pHandleSignature) => new RuntimeMethodHandle { _value = pHandleSignature };
    }
}
