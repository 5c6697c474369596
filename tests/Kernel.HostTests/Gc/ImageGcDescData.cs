// MethodTables with their GCDesc cut from the test kernel image (artifacts/esp/test/EFI/BOOT/BOOTX64.EFI) by
// scripts/cut-gcdesc.py: the GCDesc in front of each MethodTable, then the MethodTable's first 16 bytes. Regenerate
// only deliberately (the script prints these lines); the expected slots in GcDescImageTests come from the C# types.
namespace Kernel.HostTests.Gc;

internal static class ImageGcDescData
{
    /// <summary>GcTests.Holder { object Value; }: one series of one reference.</summary>
    public const int HolderBefore = 24;
    public const string Holder = "f0ffffffffffffff0800000000000000010000000000000000000051180000005048004001000000";

    /// <summary>GcTests.Node { Node Next, Other, Back; }: one series of three references.</summary>
    public const int NodeBefore = 24;
    public const string Node = "f0ffffffffffffff0800000000000000010000000000000000000051280000005048004001000000";

    /// <summary>GcTests.Link { Link Next; int Tag; }: the reference first, then the int.</summary>
    public const int LinkBefore = 24;
    public const string Link = "e8ffffffffffffff0800000000000000010000000000000000000051200000005048004001000000";

    /// <summary>GcTests.PayloadException : Exception { int[] Payload; }: the base's references, its int and bool, then Payload: two series.</summary>
    public const int PayloadExceptionBefore = 40;
    public const string PayloadException = "d0ffffffffffffff2800000000000000e0ffffffffffffff080000000000000002000000000000000000005138000000e843004001000000";

    /// <summary>object[]: one series covering every element.</summary>
    public const int ObjectArrayBefore = 24;
    public const string ObjectArray = "e8ffffffffffffff10000000000000000100000000000000080002e1180000005048004001000000";

    /// <summary>CommandSpec[] (struct { string Name, Usage, Help; int MinArguments, MaxArguments; }): a negative series count.</summary>
    public const int CommandSpecArrayBefore = 24;
    public const string CommandSpecArray = "03000000080000001000000000000000ffffffffffffffff200002e118000000b04b004001000000";

    /// <summary>int[]: no references, no GCDesc.</summary>
    public const int Int32ArrayBefore = 0;
    public const string Int32Array = "040002e018000000a049004001000000";
}
