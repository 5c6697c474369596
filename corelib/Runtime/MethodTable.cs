// The MethodTable ILC 10.0.12 emits for every type (dotnet/runtime src/coreclr/nativeaot/Runtime/inc/MethodTable.h).
// Fixed part: flags, base size, related type, vtable slot count, interface count, hash; then the vtable, the
// interface map, and optional fields as 32-bit relative pointers (order of EETypeField).
using System;
using System.Runtime.InteropServices;

namespace Internal.Runtime;

/// <summary>The runtime's description of a type, read-only after compilation.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MethodTable
{
    // EETypeFlags (10.0.12 values, read from the NativeAOT corelib's metadata).
    private const uint HasComponentSizeFlag = 0x80000000;
    private const uint HasDispatchMapFlag = 0x00040000;
    private const uint HasFinalizerFlag = 0x00100000;
    private const uint HasSealedVTableEntriesFlag = 0x00400000;
    private const uint IsGenericFlag = 0x02000000;
    private const uint ElementTypeMask = 0x7C000000;
    private const int ElementTypeShift = 26;
    private const uint KindMask = 0x00030000;
    private const uint ParameterizedKind = 0x00020000;

    // EETypeElementType values used by casting.
    internal const uint ElementTypeInterface = 0x15;
    internal const uint ElementTypeArray = 0x17;
    internal const uint ElementTypeSzArray = 0x18;
    internal const uint ElementTypeNullable = 0x12;
    internal const uint ElementTypePointer = 0x1A;

    // EETypeFlagsEx, kept in the low 16 bits of the flags when the type has no component size.
    private const uint ValueTypeFieldPaddingMask = 0x00E0;
    private const int ValueTypeFieldPaddingShift = 5;
    private const uint NullableValueOffsetMask = 0x0700;
    private const int NullableValueOffsetShift = 8;
    private const uint BoxedObjectOverhead = 16; // object header + MethodTable pointer

    private uint _uFlags;
    private uint _uBaseSize;
    private MethodTable* _relatedType;
    private ushort _usNumVtableSlots;
    private ushort _usNumInterfaces;
    private uint _uHashCode;

    /// <summary>Bytes per array element or string character; 0 for fixed-size types.</summary>
    public uint ComponentSize => (_uFlags & HasComponentSizeFlag) != 0 ? _uFlags & 0xFFFF : 0;

    /// <summary>Size of an instance without its variable part, including the object header.</summary>
    public uint BaseSize => _uBaseSize;

    /// <summary>Base type for classes, element type for arrays and pointers.</summary>
    public MethodTable* RelatedType => _relatedType;

    /// <summary>Base class; null for interfaces, arrays' element links and System.Object.</summary>
    public MethodTable* BaseType => IsParameterized || IsInterface ? null : _relatedType;

    /// <summary>Number of virtual slots.</summary>
    public ushort NumVtableSlots => _usNumVtableSlots;

    /// <summary>Number of interfaces in the interface map.</summary>
    public ushort NumInterfaces => _usNumInterfaces;

    /// <summary>The type's element type classification.</summary>
    public uint ElementType => (_uFlags & ElementTypeMask) >> ElementTypeShift;

    /// <summary>Whether this is an interface.</summary>
    public bool IsInterface => ElementType == ElementTypeInterface;

    /// <summary>Whether this is an array, pointer or byref.</summary>
    public bool IsParameterized => (_uFlags & KindMask) == ParameterizedKind;

    /// <summary>Whether this is a single-dimensional or multi-dimensional array.</summary>
    public bool IsArray => ElementType == ElementTypeSzArray || ElementType == ElementTypeArray;

    /// <summary>Whether instances are value types.</summary>
    public bool IsValueType => ElementType < 0x14 && ElementType != 0;

    /// <summary>Whether this is Nullable&lt;T&gt;.</summary>
    public bool IsNullable => ElementType == ElementTypeNullable;

    /// <summary>Size of a value type's fields (the boxed size minus overhead and alignment padding).</summary>
    public uint ValueTypeSize =>
        _uBaseSize - BoxedObjectOverhead - ((_uFlags & ValueTypeFieldPaddingMask) >> ValueTypeFieldPaddingShift);

    /// <summary>Offset of Nullable&lt;T&gt;'s value field (stored as log2).</summary>
    public uint NullableValueOffset => 1u << (int)((_uFlags & NullableValueOffsetMask) >> NullableValueOffsetShift);

    /// <summary>Whether the type has a finalizer.</summary>
    public bool HasFinalizer => (_uFlags & HasFinalizerFlag) != 0;

    /// <summary>The vtable's first slot.</summary>
    public IntPtr* VTable
    {
        get
        {
            fixed (MethodTable* self = &this)
                return (IntPtr*)((byte*)self + sizeof(MethodTable));
        }
    }

    /// <summary>The interfaces this type implements, inherited ones included.</summary>
    public MethodTable** InterfaceMap => (MethodTable**)(VTable + _usNumVtableSlots);

    /// <summary>Whether instances implement itf directly or through a base type.</summary>
    public bool ImplementsInterface(MethodTable* itf)
    {
        MethodTable** map = InterfaceMap;
        for (int i = 0; i < _usNumInterfaces; i++)
        {
            if (map[i] == itf)
                return true;
        }
        return false;
    }

    /// <summary>Index of itf in the interface map, or -1.</summary>
    public int InterfaceIndex(MethodTable* itf)
    {
        MethodTable** map = InterfaceMap;
        for (int i = 0; i < _usNumInterfaces; i++)
        {
            if (map[i] == itf)
                return i;
        }
        return -1;
    }

    // Optional fields follow the interface map as 32-bit relative pointers: type manager, writable data,
    // then (when flagged) dispatch map, finalizer, sealed virtual slots.
    private byte* OptionalFields => (byte*)(InterfaceMap + _usNumInterfaces) + 2 * sizeof(int);

    /// <summary>The dispatch map (interface slot to implementation slot), or null.</summary>
    public DispatchMap* DispatchMap =>
        (_uFlags & HasDispatchMapFlag) == 0 ? null : (DispatchMap*)RelativePointer.Read(OptionalFields);

    /// <summary>The implementation in sealed slot index (slots past the vtable).</summary>
    public IntPtr SealedVirtualSlot(int index)
    {
        byte* field = OptionalFields;
        if ((_uFlags & HasDispatchMapFlag) != 0)
            field += sizeof(int);
        if ((_uFlags & HasFinalizerFlag) != 0)
            field += sizeof(int);
        if ((_uFlags & HasSealedVTableEntriesFlag) == 0)
            return IntPtr.Zero;
        int* table = (int*)RelativePointer.Read(field);
        return (IntPtr)RelativePointer.Read(table + index);
    }
}

/// <summary>Maps (interface index, interface slot) to an implementation slot (MethodTable.h DispatchMap).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct DispatchMap
{
    /// <summary>One mapping.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry
    {
        /// <summary>Index into the type's interface map.</summary>
        public ushort InterfaceIndex;

        /// <summary>Slot within the interface.</summary>
        public ushort InterfaceMethodSlot;

        /// <summary>Slot of the implementation in the type's vtable (or sealed slots past it).</summary>
        public ushort ImplMethodSlot;
    }

    /// <summary>Entries for class implementations.</summary>
    public ushort StandardEntryCount;

    /// <summary>Entries resolved to default interface methods.</summary>
    public ushort DefaultEntryCount;

    /// <summary>Static virtual entries (not dispatched at run time here).</summary>
    public ushort StandardStaticEntryCount;

    /// <summary>Static virtual default entries.</summary>
    public ushort DefaultStaticEntryCount;

    /// <summary>The first entry; standard ones come before default ones.</summary>
    public Entry* Entries
    {
        get
        {
            fixed (DispatchMap* self = &this)
                return (Entry*)((byte*)self + 4 * sizeof(ushort));
        }
    }
}

/// <summary>32-bit self-relative pointers, as ILC emits them (IMAGE_REL_BASED_RELPTR32).</summary>
public static unsafe class RelativePointer
{
    /// <summary>The address stored at location as an offset from location itself.</summary>
    public static void* Read(void* location) => (byte*)location + *(int*)location;
}
