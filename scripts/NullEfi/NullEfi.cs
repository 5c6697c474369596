// A UEFI application that exits QEMU at once through isa-debug-exit (port 0xF4): the benchmark floor.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

internal static class NullEfi
{
    private const ushort DebugExitPort = 0xF4;
    private const uint SuccessCode = 0x10;

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("port_write32")]
    private static extern void PortWrite32(ushort port, uint value);

    [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
    private static ulong EfiMain(IntPtr imageHandle, IntPtr systemTable)
    {
        PortWrite32(DebugExitPort, SuccessCode);
        return 0;
    }
}
