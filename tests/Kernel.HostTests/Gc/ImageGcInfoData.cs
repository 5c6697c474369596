// GC info blobs cut from the test kernel image (artifacts/esp/test/EFI/BOOT/BOOTX64.EFI): for each method, the bytes
// after its root .xdata record's NativeAOT trailer (long enough for the whole blob). Regenerate only deliberately;
// the expected values in GcInfoTests were checked against the image's .pdata and disassembly.
namespace Kernel.HostTests.Gc;

internal static class ImageGcInfoData
{
    /// <summary>Corelib's InterfaceDispatch.Resolve: slim header, four calls, no slots (.pdata length 0xCF).</summary>
    public const string InterfaceDispatchResolve = "3c637adc0e2301000001080500084204300350026001700001384328020d1ceb";

    /// <summary>KernelHeap.Allocate: fat header, rbp frame, two interruptible ranges, a finally funclet after the body.</summary>
    public const string KernelHeapAllocate = "81a11a0008262a12169fcf14010098c61be6c808f0234e3bc808bd8452b96a5f0ce165426d73219e6828f67d8b5ddf1ebf66df29567ee30fd069a9b4a67f8bddf4fd376aa5ffb27ff5bf29828c561a2b000000010704000772033002600150048789000081990784cb6c03046680f1e94c000006ea900746";

    /// <summary>GcRootTests.RegisterAcrossCallIsReported: a Marker kept in rbx across two calls.</summary>
    public const string RegisterAcrossCall = "c86a24448eac620b2029000000010c07000c42083007500660057004e002f00001f01a80600c612151380072815a16600600ee4cce7a9ef7c10c7e4703e4456cc7000000000109040009012d0002300160006c0c40d1c0c247132e6ae1205618d054a0a0820400000001040100044200a0c9190000010401";
}
