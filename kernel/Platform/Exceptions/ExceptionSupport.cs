// Switches C# exceptions on: finds the image's unwind records from its own PE headers (the exception directory and
// the .managed section ILC's code is in), hands them to the stack walker, and installs the dispatcher.
using System;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Exceptions;

/// <summary>Start-up of exception handling.</summary>
public static unsafe class ExceptionSupport
{
    private const string ManagedCodeSection = ".managed";

    /// <summary>Enables stack walks and exception dispatch for the image at imageBase; null, or what is missing.</summary>
    /// <remarks>Safety: imageBase and imageSize describe the running kernel's image, mapped at least readable.</remarks>
    public static string Enable(ulong imageBase, ulong imageSize)
    {
        if (imageBase == 0 || imageSize == 0 || imageSize > int.MaxValue)
            return "the image's place is unknown";
        // Safe: the image is mapped where the firmware loaded it (caller's contract).
        var image = new ReadOnlySpan<byte>((void*)imageBase, (int)imageSize);
        PeImageStatus status = PeImage.TryParse(image, out PeImage pe);
        if (status != PeImageStatus.Ok)
            return "the image's PE headers are unreadable";
        if (pe.ExceptionTableSize == 0 || !pe.TryFindSection(ManagedCodeSection, out PeSection managed))
            return "the image has no unwind records";
        var table = new FunctionTable(pe.ExceptionTableRva, pe.ExceptionTableSize, managed.VirtualAddress, managed.VirtualAddress + managed.VirtualSize);
        StackWalker.Initialize(imageBase, pe.SizeOfImage, table);
        ExceptionDispatcher.Install();
        return null;
    }
}
