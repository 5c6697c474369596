// The PS/2 keyboard on IRQ 1: the handler only hands the scancode byte to the input ring; decoding happens in
// the task that reads keys (kernel/Tasks/ConsoleInput.cs).
using Kernel.Tasks;

namespace Kernel.Keyboard
{
    /// <summary>Keyboard interrupt handling.</summary>
    internal static class KeyboardDriver
    {
        /// <summary>Called from the IRQ 1 handler.</summary>
        public static void OnInterrupt()
        {
            if (Ps2Controller.TryReadData(out byte scancode))
                ConsoleInput.OnScancode(scancode);
        }
    }
}
