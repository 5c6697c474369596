// Module start-up: walks the ReadyToRun headers ILC emits (one per compiled module, found through the
// .modules section the shim brackets), allocates GC statics, then runs eager cctors and module initializers.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime;

/// <summary>Prepares compiled modules before any managed code that uses statics runs.</summary>
public static unsafe class StartupCodeHelpers
{
    private const uint ReadyToRunSignature = 0x00525452; // "RTR"
    private const ushort SupportedMajorVersion = 16;

    // ReadyToRunSectionType values (10.0.12).
    private const int GCStaticRegion = 201;
    private const int EagerCctor = 205;
    private const int ModuleInitializerList = 213;

    private static ReadyToRunHeader* s_firstModule;

    /// <summary>ReadyToRunSectionType: the GC static blocks (relative pointers to 8-byte blocks).</summary>
    public const int GCStaticRegionSection = GCStaticRegion;

    /// <summary>ReadyToRunSectionType: the frozen objects (string literals, preinitialized objects).</summary>
    public const int FrozenObjectRegionSection = 206;

    /// <summary>The bounds of section id in the kernel's module (the first one initialized), or false.</summary>
    public static bool TryGetModuleSection(int id, out byte* start, out byte* end)
    {
        start = end = null;
        return s_firstModule != null && s_firstModule->TryFindSection(id, out start, out end);
    }

    /// <summary>Initializes every module between the two bracketing symbols.</summary>
    /// <remarks>Safety: call once, after the object allocator has memory, before using static fields.</remarks>
    /// <returns>Number of modules initialized, or a negative value when a header is not understood.</returns>
    public static int InitializeModules(void** modulesStart, void** modulesEnd)
    {
        int count = 0;
        for (void** slot = modulesStart; slot < modulesEnd; slot++)
        {
            if (*slot == null)
                continue; // the bracketing symbols' own padding
            ReadyToRunHeader* header = (ReadyToRunHeader*)*slot;
            if (header->Signature != ReadyToRunSignature || header->MajorVersion != SupportedMajorVersion)
                return -1;
            if (s_firstModule == null)
                s_firstModule = header;
            InitializeStatics(header);
            count++;
        }
        // Run initializers only once every module's statics exist: they may touch each other's.
        for (void** slot = modulesStart; slot < modulesEnd; slot++)
        {
            if (*slot == null)
                continue;
            RunInitializers((ReadyToRunHeader*)*slot, EagerCctor);
            RunInitializers((ReadyToRunHeader*)*slot, ModuleInitializerList);
        }
        return count;
    }

    private static void InitializeStatics(ReadyToRunHeader* header)
    {
        if (!header->TryFindSection(GCStaticRegion, out byte* start, out byte* end))
            return;
        // The region is a list of relative pointers to 8-byte blocks. An uninitialized block holds a relative
        // pointer to the statics' MethodTable (flag 1), optionally followed by one to preinitialized field
        // data (flag 2). It is replaced by a reference to the newly allocated statics object.
        for (byte* entry = start; entry < end; entry += sizeof(int))
        {
            long* block = (long*)RelativePointer.Read(entry);
            int flags = *(int*)block & GCStaticFlags.Mask;
            if ((flags & GCStaticFlags.Uninitialized) == 0)
                continue;
            MethodTable* type = (MethodTable*)RelativePointerWithoutFlags(block);
            object statics = RuntimeExports.AllocateObject(type);
            if ((flags & GCStaticFlags.HasPreInitializedData) != 0)
            {
                void* data = RelativePointer.Read((int*)block + 1);
                nuint size = type->BaseSize - (nuint)(2 * sizeof(void*));
                Buffer.Memmove(ref statics.GetRawData(), ref *(byte*)data, size);
            }
            *block = (long)*(void**)Unsafe.AsPointer(ref statics);
        }
    }

    // The flags were added to the stored offset; blocks are 8-byte aligned, so masking them off the offset works.
    private static void* RelativePointerWithoutFlags(long* block)
    {
        int offset = *(int*)block & ~GCStaticFlags.Mask;
        return (byte*)block + offset;
    }

    private static void RunInitializers(ReadyToRunHeader* header, int sectionId)
    {
        if (!header->TryFindSection(sectionId, out byte* start, out byte* end))
            return;
        for (byte* entry = start; entry < end; entry += sizeof(int))
            ((delegate*<void>)RelativePointer.Read(entry))();
    }

    private static class GCStaticFlags
    {
        public const int Uninitialized = 1;
        public const int HasPreInitializedData = 2;
        public const int Mask = 3;
    }

    private struct ReadyToRunHeader
    {
        public uint Signature;
        public ushort MajorVersion;
        public ushort MinorVersion;
        public uint Flags;
        public ushort NumberOfSections;
        public byte EntrySize;
        public byte EntryType;

        public bool TryFindSection(int id, out byte* start, out byte* end)
        {
            fixed (ReadyToRunHeader* self = &this)
            {
                ModuleInfoRow* rows = (ModuleInfoRow*)(self + 1);
                for (int i = 0; i < NumberOfSections; i++)
                {
                    if (rows[i].SectionId == id)
                    {
                        start = (byte*)rows[i].Start;
                        end = (byte*)rows[i].End;
                        return true;
                    }
                }
            }
            start = end = null;
            return false;
        }
    }

    private struct ModuleInfoRow
    {
        public int SectionId;
        public int Flags;
        public void* Start;
        public void* End;
    }
}
