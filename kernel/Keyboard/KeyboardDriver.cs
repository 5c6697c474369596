// The PS/2 keyboard on IRQ 1: scancodes from the i8042 go through the set-1 decoder; until the async issue lands,
// typed characters are echoed to the console from the interrupt handler.
using Kernel.Console;

namespace Kernel.Keyboard
{
    /// <summary>Keyboard interrupt handling.</summary>
    internal static class KeyboardDriver
    {
        private static readonly ScancodeDecoder s_decoder = new ScancodeDecoder();

        /// <summary>Scancode bytes received.</summary>
        public static ulong BytesReceived { get; private set; }

        /// <summary>Bytes the decoder did not recognise.</summary>
        public static int UnknownBytes => s_decoder.UnknownCount;

        /// <summary>Called from the IRQ 1 handler: read one byte, decode, echo.</summary>
        public static void OnInterrupt()
        {
            if (!Ps2Controller.TryReadData(out byte scancode))
                return;
            BytesReceived++;
            if (!s_decoder.Feed(scancode, out KeyEvent key) || !key.IsPressed || !key.HasCharacter)
                return;
            // Backspace echoes as "back, blank, back" so the character disappears on screen and on terminals.
            if (key.Character == '\b')
                Terminal.Write("\b \b");
            else
                Terminal.Write(key.Character);
        }
    }
}
