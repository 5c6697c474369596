// Allocation and boxing helpers that ILC-generated code calls by symbol name.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime;

/// <summary>Object, array and string allocation; boxing and unboxing.</summary>
// ILC binds the Rh* boxing helpers by name on System.Runtime.RuntimeExports.
internal static unsafe class RuntimeExports
{
    // Objects are preceded by an 8-byte header (sync block slot), then the MethodTable pointer.
    private const int ObjectHeaderSize = 8;

    [RuntimeExport("RhpNewFast")]
    private static object NewFast(MethodTable* type) => AllocateObject(type);

    // The kernel has no finalizers (README, "Garbage collection"): a type with one is refused when first allocated.
    [RuntimeExport("RhpNewFinalizable")]
    private static object NewFinalizable(MethodTable* type)
    {
        RuntimeHooks.FailFast2("finalizers are not supported: cannot allocate an instance of a finalizable type", RuntimeHooks.TypeNameOf(type));
        return null;
    }

    [RuntimeExport("RhpNewArrayFast")]
    private static object NewArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhpNewPtrArrayFast")]
    private static object NewPtrArrayFast(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhpNewArray")]
    private static object NewArray(MethodTable* type, int length) => AllocateArray(type, length);

    [RuntimeExport("RhNewString")]
    private static object NewString(MethodTable* type, int length) => AllocateArray(type, length);

    /// <summary>A zeroed instance of a fixed-size type.</summary>
    internal static object AllocateObject(MethodTable* type)
    {
        byte* memory = (byte*)ObjectAllocator.Allocate(type->BaseSize);
        *(MethodTable**)(memory + ObjectHeaderSize) = type;
        return ObjectAt(memory + ObjectHeaderSize);
    }

    /// <summary>A zeroed array or string with length elements.</summary>
    internal static object AllocateArray(MethodTable* type, int length)
    {
        if (length < 0)
            ThrowHelpers.ThrowOverflow();
        ulong size = type->BaseSize + (ulong)length * type->ComponentSize;
        if (size > int.MaxValue)
            RuntimeHooks.FailFast("out of memory: array too large, bytes: ", (nuint)size);
        byte* memory = (byte*)ObjectAllocator.Allocate((nuint)size);
        *(MethodTable**)(memory + ObjectHeaderSize) = type;
        *(int*)(memory + ObjectHeaderSize + sizeof(void*)) = length;
        return ObjectAt(memory + ObjectHeaderSize);
    }

    private static object ObjectAt(byte* address) => Unsafe.As<byte, object>(ref *(byte*)&address);

    [RuntimeExport("RhBox")]
    private static object RhBox(MethodTable* type, ref byte data)
    {
        if (type->IsNullable)
        {
            // A Nullable<T> boxes to a T, or to null when it has no value (bool hasValue comes first).
            if (data == 0)
                return null;
            MethodTable* valueType = type->RelatedType;
            return RhBox(valueType, ref Unsafe.Add(ref data, (int)type->NullableValueOffset));
        }
        object result = AllocateObject(type);
        Buffer.Memmove(ref result.GetRawData(), ref data, type->ValueTypeSize);
        return result;
    }

    [RuntimeExport("RhUnbox2")]
    private static ref byte RhUnbox2(MethodTable* type, object obj)
    {
        if (obj == null || obj.GetMethodTable() != type)
            ThrowHelpers.ThrowInvalidCast();
        return ref obj.GetRawData();
    }

    [RuntimeExport("RhUnboxNullable")]
    private static void RhUnboxNullable(ref byte data, MethodTable* type, object obj)
    {
        uint valueOffset = type->NullableValueOffset;
        uint valueSize = type->RelatedType->ValueTypeSize;
        if (obj == null)
        {
            Buffer.ZeroMemory(ref data, valueOffset + valueSize);
            return;
        }
        if (obj.GetMethodTable() != type->RelatedType)
            ThrowHelpers.ThrowInvalidCast();
        data = 1;
        Buffer.Memmove(ref Unsafe.Add(ref data, (int)valueOffset), ref obj.GetRawData(), valueSize);
    }

    [RuntimeExport("RhUnboxTypeTest")]
    private static void RhUnboxTypeTest(MethodTable* type, MethodTable* boxType)
    {
        if (type != boxType)
            ThrowHelpers.ThrowInvalidCast();
    }

    // Reference stores. Without a GC there is no card table to mark; a collector would add it here.
    [RuntimeExport("RhpAssignRef")]
    private static void AssignRef(void** destination, void* value) => *destination = value;

    [RuntimeExport("RhpCheckedAssignRef")]
    private static void CheckedAssignRef(void** destination, void* value) => *destination = value;

    // Transitions between managed and native code matter only to a GC that suspends threads: none yet.
    [RuntimeExport("RhpPInvoke")]
    private static void PInvoke(IntPtr frame) { }

    [RuntimeExport("RhpPInvokeReturn")]
    private static void PInvokeReturn(IntPtr frame) { }

    [RuntimeExport("RhpReversePInvoke")]
    private static void ReversePInvoke(IntPtr frame) { }

    [RuntimeExport("RhpReversePInvokeReturn")]
    private static void ReversePInvokeReturn(IntPtr frame) { }

    [RuntimeExport("RhpGcPoll")]
    private static void GcPoll() { }

    // `throw`, `throw;` and faults: shim/exceptions.asm saves the thrower's registers (context) and calls these.
    [RuntimeExport("RhThrowEx")]
    private static void ThrowEx(object exception, void* context) =>
        RuntimeHooks.DispatchException(exception as Exception ?? new NullReferenceException(), context, ExceptionDispatchKind.Throw);

    [RuntimeExport("RhRethrow")]
    private static void Rethrow(void* context) => RuntimeHooks.DispatchException(null, context, ExceptionDispatchKind.Rethrow);

    [RuntimeExport("RhThrowHwEx")]
    private static void ThrowHardwareException(HardwareFault fault, void* context) =>
        RuntimeHooks.DispatchException(HardwareFaults.ExceptionFor(fault), context, ExceptionDispatchKind.Fault);

    [RuntimeExport("RhpFallbackFailFast")]
    private static void FallbackFailFast() => RuntimeHooks.FailFast("stack cookie corrupted (buffer overrun on the stack)", 0);
}
