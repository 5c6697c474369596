// Interface calls that ILC could not devirtualize go through a 16-byte dispatch cell per call site:
// { stub address, relptr32(interface MethodTable) | 3, 0 }. Cells for one interface method are followed by a
// terminator cell { 0, (cell type << 16) | interface slot }. The shim's stub (RhpInitialDynamicInterfaceDispatch)
// calls Resolve and jumps to the result; Resolve also caches the answer in the cell for the next call.
using System;

namespace Internal.Runtime
{
    /// <summary>One interface call site's cell.</summary>
    public unsafe struct InterfaceDispatchCell
    {
        /// <summary>The stub the call site jumps through.</summary>
        public IntPtr Stub;

        /// <summary>The interface (encoded) or, once cached, a pointer to the cache entry.</summary>
        public IntPtr Cache;
    }

    /// <summary>Resolves interface calls through a type's dispatch map, with a one-entry cache per call site.</summary>
    public static unsafe class InterfaceDispatch
    {
        private const long InterfaceRelativePointerFlag = 3;
        private const long FlagMask = 3;

        // Cache entries come from a fixed pool, never from the heap: the heap's own code makes interface calls,
        // and resolving one of those must not re-enter the allocator. Call sites beyond the pool stay uncached.
        private const int CachePoolEntries = 1024;

        private struct CachePool
        {
            public fixed byte Bytes[CachePoolEntries * 32];
        }

        private static CachePool s_cachePool;
        private static int s_cacheEntriesUsed;

        /// <summary>Call sites whose resolution is cached.</summary>
        public static int CachedCallSites => s_cacheEntriesUsed;

        /// <summary>A resolved call site: the last receiver type and its target (a monomorphic inline cache).</summary>
        private struct CacheEntry
        {
            public MethodTable* ReceiverType;
            public IntPtr Target;
            public MethodTable* InterfaceType;
            public ushort Slot;
        }

        /// <summary>The method that a call through cell on obj must run.</summary>
        public static IntPtr Resolve(object obj, InterfaceDispatchCell* cell)
        {
            MethodTable* receiver = obj.GetMethodTable();
            long cacheValue = (long)cell->Cache;
            MethodTable* interfaceType;
            ushort slot;
            CacheEntry* entry = null;
            if ((cacheValue & FlagMask) == 0 && cacheValue != 0)
            {
                entry = (CacheEntry*)cacheValue;
                if (entry->ReceiverType == receiver)
                    return entry->Target;
                interfaceType = entry->InterfaceType;
                slot = entry->Slot;
            }
            else
            {
                DecodeCell(cell, out interfaceType, out slot);
            }
            IntPtr target = FindImplementation(receiver, interfaceType, slot);
            if (target == IntPtr.Zero)
                RuntimeHooks.FailFast("interface method has no implementation; interface MethodTable at ", (nuint)interfaceType);
            if (entry == null)
                entry = TakeCacheEntry();
            if (entry != null)
            {
                entry->InterfaceType = interfaceType;
                entry->Slot = slot;
                entry->ReceiverType = receiver;
                entry->Target = target;
                cell->Cache = (IntPtr)entry;
            }
            return target;
        }

        private static void DecodeCell(InterfaceDispatchCell* cell, out MethodTable* interfaceType, out ushort slot)
        {
            long cacheValue = (long)cell->Cache;
            if ((cacheValue & FlagMask) != InterfaceRelativePointerFlag)
                RuntimeHooks.FailFast("unsupported interface dispatch cell encoding: ", (nuint)cacheValue);
            int offset = (int)cacheValue & ~(int)FlagMask;
            InterfaceDispatchCell* terminator = cell;
            while (terminator->Stub != IntPtr.Zero)
                terminator++;
            interfaceType = (MethodTable*)((byte*)&cell->Cache + offset);
            slot = (ushort)(long)terminator->Cache;
        }

        private static CacheEntry* TakeCacheEntry()
        {
            if (s_cacheEntriesUsed == CachePoolEntries)
                return null;
            fixed (byte* pool = s_cachePool.Bytes)
                return (CacheEntry*)(pool + s_cacheEntriesUsed++ * sizeof(CacheEntry));
        }

        /// <summary>The code for interface slot slot of itf on type, or zero.</summary>
        public static IntPtr FindImplementation(MethodTable* type, MethodTable* itf, ushort slot)
        {
            // Walk from the most derived type up: the first type whose dispatch map names the slot wins, and
            // virtual implementations are taken from the receiver's own vtable so overrides apply.
            for (MethodTable* current = type; current != null; current = current->BaseType)
            {
                int implSlot = FindImplSlot(current, itf, slot);
                if (implSlot < 0)
                    continue;
                return implSlot < current->NumVtableSlots ? type->VTable[implSlot] : current->SealedVirtualSlot(implSlot - current->NumVtableSlots);
            }
            return IntPtr.Zero;
        }

        private static int FindImplSlot(MethodTable* type, MethodTable* itf, ushort slot)
        {
            DispatchMap* map = type->DispatchMap;
            if (map == null)
                return -1;
            int interfaceIndex = type->InterfaceIndex(itf);
            if (interfaceIndex < 0)
                return -1;
            DispatchMap.Entry* entries = map->Entries;
            int count = map->StandardEntryCount + map->DefaultEntryCount;
            for (int i = 0; i < count; i++)
            {
                if (entries[i].InterfaceIndex == interfaceIndex && entries[i].InterfaceMethodSlot == slot)
                    return entries[i].ImplMethodSlot;
            }
            return -1;
        }
    }
}

namespace Internal.Runtime
{
    internal static unsafe class InterfaceDispatchExports
    {
        // Called by the shim's dispatch stub with the receiver in rcx and the cell in rdx.
        [System.Runtime.RuntimeExport("RuntimeResolveInterfaceDispatch")]
        private static IntPtr ResolveFromStub(object obj, InterfaceDispatchCell* cell) => InterfaceDispatch.Resolve(obj, cell);
    }
}
