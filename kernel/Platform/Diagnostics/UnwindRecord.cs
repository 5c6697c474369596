// One function's unwind record in the image (Microsoft PE/COFF "x64 exception handling": UNWIND_INFO and its
// UNWIND_CODE array), plus the trailer NativeAOT's compiler writes after the codes of every managed method and
// funclet (ILCompiler's CoffObjectWriter, read by the runtime's CoffNativeCodeManager): a flags byte, then the
// optional RVAs of the method's associated data and of its EH clause table, then the GC info of root methods.
using System;

namespace Kernel.Diagnostics;

/// <summary>What a managed function is: the method body, or a funclet of its handlers or filters.</summary>
public enum FunctionKind
{
    Root = 0,
    Handler = 1,
    Filter = 2,
}

/// <summary>Why an unwind record could not be used.</summary>
public enum UnwindStatus
{
    Ok,
    OutsideImage,
    BadVersion,
    BadCode,
    ChainTooLong,
    MemoryUnreadable,
    NoFunction,
}

/// <summary>The decoded header of an UNWIND_INFO and, for managed code, NativeAOT's trailer.</summary>
public readonly struct UnwindRecord
{
    /// <summary>UNW_FLAG_EHANDLER / UNW_FLAG_UHANDLER: a language handler RVA follows the codes.</summary>
    public const int FlagHandlers = 0x3;

    /// <summary>UNW_FLAG_CHAININFO: a RUNTIME_FUNCTION of the parent record follows the codes.</summary>
    public const int FlagChained = 0x4;

    private const int HeaderBytes = 4;
    private const int CodeBytes = 2;
    private const int KindMask = 0x03;
    private const int HasEhInfoFlag = 0x04;
    private const int ReversePInvokeFlag = 0x08;
    private const int HasAssociatedDataFlag = 0x10;

    private UnwindRecord(uint rva, int version, int flags, int prologBytes, int codeCount, int frameRegister, int frameOffset)
    {
        Rva = rva;
        Version = version;
        Flags = flags;
        PrologBytes = prologBytes;
        CodeCount = codeCount;
        FrameRegister = frameRegister;
        FrameOffset = frameOffset;
        Kind = FunctionKind.Root;
        IsReversePInvoke = false;
        EhInfoRva = 0;
        AssociatedDataRva = 0;
        GcInfoRva = 0;
    }

    private UnwindRecord(UnwindRecord header, FunctionKind kind, bool reversePInvoke, uint associatedData, uint ehInfo, uint gcInfo)
        : this(header.Rva, header.Version, header.Flags, header.PrologBytes, header.CodeCount, header.FrameRegister, header.FrameOffset)
    {
        Kind = kind;
        IsReversePInvoke = reversePInvoke;
        AssociatedDataRva = associatedData;
        EhInfoRva = ehInfo;
        GcInfoRva = gcInfo;
    }

    /// <summary>Where the record starts in the image.</summary>
    public uint Rva { get; }

    /// <summary>1 (or 2, which adds epilog codes).</summary>
    public int Version { get; }

    /// <summary>UNW_FLAG_* bits.</summary>
    public int Flags { get; }

    /// <summary>Length of the prolog in bytes.</summary>
    public int PrologBytes { get; }

    /// <summary>Number of 16-bit unwind code slots.</summary>
    public int CodeCount { get; }

    /// <summary>The frame register's number, or 0 for none.</summary>
    public int FrameRegister { get; }

    /// <summary>The frame register's offset from the stack pointer it was set from, in units of 16 bytes.</summary>
    public int FrameOffset { get; }

    /// <summary>Method body or funclet (managed code only).</summary>
    public FunctionKind Kind { get; }

    /// <summary>The method is entered from native code (UnmanagedCallersOnly): a stack walk for exceptions stops there.</summary>
    public bool IsReversePInvoke { get; }

    /// <summary>RVA of the method's EH clause table, or 0.</summary>
    public uint EhInfoRva { get; }

    /// <summary>RVA of the method's GC info (right after the trailer; root records only, else 0).</summary>
    public uint GcInfoRva { get; }

    /// <summary>RVA of the method's associated data, or 0.</summary>
    public uint AssociatedDataRva { get; }

    /// <summary>Whether the record chains to a parent record.</summary>
    public bool IsChained => (Flags & FlagChained) != 0;

    /// <summary>RVA of the first unwind code.</summary>
    public uint CodesRva => Rva + HeaderBytes;

    /// <summary>RVA just after the code slots, where the chained RUNTIME_FUNCTION or the handler RVA sits (DWORD aligned).</summary>
    public uint AfterAlignedCodesRva => CodesRva + (uint)((CodeCount + 1) & ~1) * CodeBytes;

    /// <summary>Reads the UNWIND_INFO header at rva.</summary>
    public static UnwindStatus TryRead(ReadOnlySpan<byte> image, uint rva, out UnwindRecord record)
    {
        record = default;
        if ((ulong)rva + HeaderBytes > (ulong)image.Length)
            return UnwindStatus.OutsideImage;
        int versionAndFlags = image[(int)rva];
        int version = versionAndFlags & 0x7;
        if (version != 1 && version != 2)
            return UnwindStatus.BadVersion;
        int codeCount = image[(int)rva + 2];
        int frame = image[(int)rva + 3];
        record = new UnwindRecord(rva, version, versionAndFlags >> 3, image[(int)rva + 1], codeCount, frame & 0xF, frame >> 4);
        if ((ulong)record.AfterAlignedCodesRva > (ulong)image.Length)
            return UnwindStatus.OutsideImage;
        return UnwindStatus.Ok;
    }

    /// <summary>
    /// Reads a managed function's record with NativeAOT's trailer. The trailer follows the code slots without
    /// padding (unless the record has handler flags, which ILC does not emit).
    /// </summary>
    public static UnwindStatus TryReadManaged(ReadOnlySpan<byte> image, uint rva, out UnwindRecord record)
    {
        UnwindStatus status = TryRead(image, rva, out UnwindRecord header);
        record = header;
        if (status != UnwindStatus.Ok)
            return status;
        uint at = header.CodesRva + (uint)header.CodeCount * CodeBytes;
        if ((header.Flags & FlagHandlers) != 0)
            at = ((at + 3) & ~3u) + 4;
        if ((ulong)at + 1 > (ulong)image.Length)
            return UnwindStatus.OutsideImage;
        int trailer = image[(int)at++];
        uint associated = 0;
        uint ehInfo = 0;
        if ((trailer & HasAssociatedDataFlag) != 0)
        {
            if (!TryReadUInt32(image, at, out associated))
                return UnwindStatus.OutsideImage;
            at += 4;
        }
        if ((trailer & HasEhInfoFlag) != 0)
        {
            if (!TryReadUInt32(image, at, out ehInfo))
                return UnwindStatus.OutsideImage;
            at += 4;
        }
        var kind = (FunctionKind)(trailer & KindMask);
        record = new UnwindRecord(header, kind, (trailer & ReversePInvokeFlag) != 0, associated, ehInfo, kind == FunctionKind.Root ? at : 0);
        return UnwindStatus.Ok;
    }

    /// <summary>Reads a little-endian 32-bit value at rva.</summary>
    public static bool TryReadUInt32(ReadOnlySpan<byte> image, uint rva, out uint value)
    {
        value = 0;
        if ((ulong)rva + 4 > (ulong)image.Length)
            return false;
        int i = (int)rva;
        value = image[i] | (uint)image[i + 1] << 8 | (uint)image[i + 2] << 16 | (uint)image[i + 3] << 24;
        return true;
    }
}
