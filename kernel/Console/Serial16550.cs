// The 16550 UART on COM1 (PC16550D datasheet; OSDev "Serial Ports"): 115200 baud, 8 data bits, no parity,
// one stop bit. The first output device up at boot and the last one standing in a panic.
using Kernel.Arch;

namespace Kernel.Console
{
    /// <summary>Polled output to the COM1 serial port.</summary>
    internal static class Serial16550
    {
        private const ushort Com1 = 0x3F8;

        // Register offsets from the base port.
        private const ushort Data = 0;              // THR/RBR, or divisor low byte while DLAB is set
        private const ushort InterruptEnable = 1;   // IER, or divisor high byte while DLAB is set
        private const ushort FifoControl = 2;       // FCR
        private const ushort LineControl = 3;       // LCR
        private const ushort ModemControl = 4;      // MCR
        private const ushort LineStatus = 5;        // LSR

        private const byte LineControlDivisorLatch = 0x80;
        private const byte LineControl8N1 = 0x03;
        private const byte FifoEnableClear14 = 0xC7;        // enable, clear both FIFOs, 14-byte threshold
        private const byte ModemDtrRtsOut2 = 0x0B;
        private const byte ModemLoopback = 0x10;
        private const byte LineStatusTransmitEmpty = 0x20;
        private const byte LineStatusDataReady = 0x01;
        private const byte InterruptOnReceivedData = 0x01;

        // The UART's clock is 1.8432 MHz / 16 = 115200 baud at divisor 1.
        private const ushort Divisor115200 = 1;
        private const byte LoopbackProbe = 0xAE;
        private const int TransmitSpinLimit = 100_000;

        private static bool s_present;

        /// <summary>Whether a UART answered the loopback probe.</summary>
        public static bool IsPresent => s_present;

        /// <summary>Programs COM1 for 115200 8N1 and checks it is there with a loopback probe.</summary>
        public static void Initialize()
        {
            Native.PortWrite8(Com1 + InterruptEnable, 0);
            Native.PortWrite8(Com1 + LineControl, LineControlDivisorLatch);
            Native.PortWrite8(Com1 + Data, (byte)(Divisor115200 & 0xFF));
            Native.PortWrite8(Com1 + InterruptEnable, (byte)(Divisor115200 >> 8));
            Native.PortWrite8(Com1 + LineControl, LineControl8N1);
            Native.PortWrite8(Com1 + FifoControl, FifoEnableClear14);

            // Loopback: a byte written must come back, else there is no UART (many laptops have none).
            Native.PortWrite8(Com1 + ModemControl, (byte)(ModemLoopback | ModemDtrRtsOut2));
            Native.PortWrite8(Com1 + Data, LoopbackProbe);
            s_present = Native.PortRead8(Com1 + Data) == LoopbackProbe;
            Native.PortWrite8(Com1 + ModemControl, ModemDtrRtsOut2);
        }

        /// <summary>Makes the UART raise IRQ 4 when a byte arrives (MCR.OUT2, set at init, gates it to the PIC/APIC).</summary>
        public static void EnableReceiveInterrupt()
        {
            if (s_present)
                Native.PortWrite8(Com1 + InterruptEnable, InterruptOnReceivedData);
        }

        /// <summary>Reads a received byte, if one is waiting.</summary>
        public static bool TryReadByte(out byte value)
        {
            if (!s_present || (Native.PortRead8(Com1 + LineStatus) & LineStatusDataReady) == 0)
            {
                value = 0;
                return false;
            }
            value = Native.PortRead8(Com1 + Data);
            return true;
        }

        /// <summary>Sends one byte, waiting (bounded) for the transmitter.</summary>
        public static void WriteByte(byte value)
        {
            if (!s_present)
                return;
            for (int spins = 0; spins < TransmitSpinLimit; spins++)
            {
                if ((Native.PortRead8(Com1 + LineStatus) & LineStatusTransmitEmpty) != 0)
                    break;
            }
            Native.PortWrite8(Com1 + Data, value);
        }

        /// <summary>Sends a character as UTF-8, with '\n' as CR LF for terminals.</summary>
        public static void Write(char c)
        {
            if (c == '\n')
            {
                WriteByte((byte)'\r');
                WriteByte((byte)'\n');
            }
            else if (c < 0x80)
            {
                WriteByte((byte)c);
            }
            else if (c < 0x800)
            {
                WriteByte((byte)(0xC0 | (c >> 6)));
                WriteByte((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                WriteByte((byte)(0xE0 | (c >> 12)));
                WriteByte((byte)(0x80 | ((c >> 6) & 0x3F)));
                WriteByte((byte)(0x80 | (c & 0x3F)));
            }
        }

        /// <summary>Sends a string.</summary>
        public static void Write(string text)
        {
            if (text == null)
                return;
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
        }
    }
}
