// Casting helpers ILC binds by name (System.Runtime.TypeCast): is/as/cast and array element stores.
// Covers classes, interfaces and arrays of reference types; generic variance is not supported yet.
using System;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime
{
    internal static unsafe class TypeCast
    {
        private static object IsInstanceOfClass(MethodTable* targetType, object obj)
        {
            if (obj == null)
                return null;
            for (MethodTable* type = obj.GetMethodTable(); type != null; type = type->BaseType)
            {
                if (type == targetType)
                    return obj;
            }
            return null;
        }

        private static object IsInstanceOfInterface(MethodTable* targetType, object obj) =>
            obj != null && obj.GetMethodTable()->ImplementsInterface(targetType) ? obj : null;

        private static object IsInstanceOfAny(MethodTable* targetType, object obj) =>
            obj != null && IsAssignable(obj.GetMethodTable(), targetType) ? obj : null;

        private static bool IsInstanceOfException(MethodTable* targetType, object obj) => IsInstanceOfClass(targetType, obj) != null;

        private static object CheckCastClass(MethodTable* targetType, object obj)
        {
            if (obj != null && IsInstanceOfClass(targetType, obj) == null)
                ThrowHelpers.ThrowInvalidCast();
            return obj;
        }

        private static object CheckCastClassSpecial(MethodTable* targetType, object obj) => CheckCastClass(targetType, obj);

        private static object CheckCastInterface(MethodTable* targetType, object obj)
        {
            if (obj != null && !obj.GetMethodTable()->ImplementsInterface(targetType))
                ThrowHelpers.ThrowInvalidCast();
            return obj;
        }

        private static object CheckCastAny(MethodTable* targetType, object obj)
        {
            if (obj != null && !IsAssignable(obj.GetMethodTable(), targetType))
                ThrowHelpers.ThrowInvalidCast();
            return obj;
        }

        private static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object element = ref Unsafe.As<byte, object>(ref Unsafe.Add(ref ArrayData.FirstElement(array), index * sizeof(void*)));
            if (obj == null)
            {
                element = null;
                return;
            }
            MethodTable* elementType = array.GetMethodTable()->RelatedType;
            if (obj.GetMethodTable() != elementType && !IsAssignable(obj.GetMethodTable(), elementType))
                ThrowHelpers.ThrowArrayTypeMismatchException();
            element = obj;
        }

        private static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            if (array.GetMethodTable()->RelatedType != elementType)
                ThrowHelpers.ThrowArrayTypeMismatchException();
            return ref Unsafe.As<byte, object>(ref Unsafe.Add(ref ArrayData.FirstElement(array), index * sizeof(void*)));
        }

        /// <summary>Whether a value of type source can be stored in a location of type target.</summary>
        internal static bool IsAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target)
                return true;
            // System.Object, the only class without a base: every object is one (arrays too, whose MethodTable
            // links to the element type instead of a base class).
            if (target->BaseType == null && !target->IsInterface && !target->IsParameterized)
                return true;
            if (target->IsInterface)
                return source->ImplementsInterface(target);
            if (target->IsArray)
            {
                // Reference-type arrays are covariant: string[] is an object[].
                if (!source->IsArray || source->ElementType != target->ElementType)
                    return false;
                MethodTable* sourceElement = source->RelatedType;
                MethodTable* targetElement = target->RelatedType;
                return sourceElement == targetElement
                    || (!sourceElement->IsValueType && !targetElement->IsValueType && IsAssignable(sourceElement, targetElement));
            }
            for (MethodTable* type = source->BaseType; type != null; type = type->BaseType)
            {
                if (type == target)
                    return true;
            }
            return false;
        }
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Required by ILC's casting code; the kernel has no dynamic interface casting.</summary>
    public interface IDynamicInterfaceCastable
    {
        /// <summary>Not supported: there are no dynamic interface implementations in the kernel.</summary>
        RuntimeTypeHandle GetInterfaceImplementation(RuntimeTypeHandle interfaceType);

        /// <summary>Bound by name by ILC.</summary>
        private static RuntimeTypeHandle GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, RuntimeTypeHandle interfaceType) =>
            instance.GetInterfaceImplementation(interfaceType);
    }
}
