// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04): writing v to the port makes
// QEMU exit with status (v << 1) | 1. Real hardware ignores the write.
namespace Kernel.Arch;

/// <summary>Ends a QEMU test run with a status the host harness reads.</summary>
public static class QemuExit
{
    private const ushort DebugExitPort = 0xF4;

    /// <summary>Written for success: QEMU exits with 33.</summary>
    public const byte SuccessCode = 0x10;

    /// <summary>Written for failure: QEMU exits with 35.</summary>
    public const byte FailureCode = 0x11;

    /// <summary>Asks QEMU to exit; returns only when not running under QEMU with the device.</summary>
    public static void Exit(bool success) => Native.PortWrite32(DebugExitPort, success ? SuccessCode : FailureCode);
}
