// 32-bit device registers as the pure parts of the USB driver see them: the controller's MMIO BAR in the kernel
// (XhciRegisterWindow over a MmioRegion), a simulated register file in host tests.
namespace Kernel.Usb;

/// <summary>A block of 32-bit registers addressed by byte offset.</summary>
public interface IRegisterBlock
{
    /// <summary>Reads the register at offset (a multiple of 4).</summary>
    uint Read32(uint offset);

    /// <summary>Writes the register at offset (a multiple of 4).</summary>
    void Write32(uint offset, uint value);
}
