// Bringing up the C# runtime inside the UEFI entry point, before anything allocates: the stack cookie, memory
// for `new` from the firmware, and the module's statics (which allocate). Until Start succeeds there is no string
// building, so failures come back as a value the caller prints with literals.
using Efi;
using Internal.Runtime;
using Kernel.Arch;

namespace Kernel.Firmware;

/// <summary>Why the runtime could not start.</summary>
public enum RuntimeStartupError
{
    None,

    /// <summary>The firmware refused the pages for the early heap.</summary>
    NoEarlyHeap,

    /// <summary>The compiled module headers are not what this runtime expects.</summary>
    BadModuleHeaders,
}

/// <summary>Starts the runtime the kernel's C# needs.</summary>
public static class RuntimeStartup
{
    // Memory for `new` until the kernel heap exists; objects allocated here are never freed.
    private const ulong EarlyHeapBytes = 32 * 1024 * 1024;
    private const ulong CookieMixer = 0x9E3779B97F4A7C15;

    /// <summary>Seeds the stack cookie, gets the early heap from the firmware (firmwareStatus says how that went) and
    /// initializes the statics.</summary>
    /// <remarks>Safety: call first thing in the entry point, once, after BootServices.Initialize.</remarks>
    public static unsafe RuntimeStartupError Start(out EfiStatus firmwareStatus)
    {
        // Before any stack frame that checks the stack cookie is entered.
        Native.SeedSecurityCookie((Native.ReadTimeStampCounter() * CookieMixer) >> 16);
        void* heap = BootServices.AllocatePages(EarlyHeapBytes, out firmwareStatus);
        if (heap == null)
            return RuntimeStartupError.NoEarlyHeap;
        ObjectAllocator.InitializeEarlyHeap(heap, (nuint)EarlyHeapBytes);
        void** modulesStart;
        void** modulesEnd;
        Native.ModuleBounds(&modulesStart, &modulesEnd);
        return StartupCodeHelpers.InitializeModules(modulesStart, modulesEnd) > 0 ? RuntimeStartupError.None : RuntimeStartupError.BadModuleHeaders;
    }
}
