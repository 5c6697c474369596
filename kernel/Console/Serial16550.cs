// The 16550 UART on COM1 (PC16550D datasheet; OSDev "Serial Ports"): 115200 baud, 8 data bits, no parity,
// one stop bit. The first output device up at boot and the last one standing in a panic. Input can be held
// back (receive interrupt off, RTS dropped) while the kernel has nowhere to put it.
using Kernel.Arch;

namespace Kernel.Console;

/// <summary>Polled output to the COM1 serial port, and its receive side for the input rings.</summary>
public static class Serial16550
{
    private const ushort Com1 = 0x3F8;

    // COM1's registers at the datasheet's offsets from the base port.
    private static readonly IoPort8 Data = new IoPort8(Com1 + 0);             // THR/RBR, or divisor low byte while DLAB is set
    private static readonly IoPort8 InterruptEnable = new IoPort8(Com1 + 1);  // IER, or divisor high byte while DLAB is set
    private static readonly IoPort8 FifoControl = new IoPort8(Com1 + 2);      // FCR
    private static readonly IoPort8 LineControl = new IoPort8(Com1 + 3);      // LCR
    private static readonly IoPort8 ModemControl = new IoPort8(Com1 + 4);     // MCR
    private static readonly IoPort8 LineStatus = new IoPort8(Com1 + 5);       // LSR

    private const byte LineControlDivisorLatch = 0x80;
    private const byte LineControl8N1 = 0x03;
    private const byte FifoEnableClear14 = 0xC7;        // enable, clear both FIFOs, 14-byte threshold
    // MCR bits: DTR and RTS are the modem lines (RTS is what a sender using hardware flow control watches);
    // OUT2 gates the UART's interrupt line to the interrupt controller on PCs.
    private const byte ModemDataTerminalReady = 0x01;
    private const byte ModemRequestToSend = 0x02;
    private const byte ModemOut2 = 0x08;
    private const byte ModemDtrRtsOut2 = ModemDataTerminalReady | ModemRequestToSend | ModemOut2;
    private const byte ModemDtrOut2 = ModemDataTerminalReady | ModemOut2;
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
        InterruptEnable.Write(0);
        LineControl.Write(LineControlDivisorLatch);
        Data.Write((byte)(Divisor115200 & 0xFF));
        InterruptEnable.Write((byte)(Divisor115200 >> 8));
        LineControl.Write(LineControl8N1);
        FifoControl.Write(FifoEnableClear14);

        // Loopback: a byte written must come back, else there is no UART (many laptops have none). The FIFOs were
        // just cleared, but the firmware's last bytes may still be shifting out, and a real UART needs a character
        // time (87 us at 115200 baud) to bring the byte round: wait for both, bounded (nothing answering reads 0xFF,
        // which says "ready" at once and then fails the comparison).
        ModemControl.Write((byte)(ModemLoopback | ModemDtrRtsOut2));
        WaitForLineStatus(LineStatusTransmitEmpty);
        Data.Write(LoopbackProbe);
        s_present = WaitForLineStatus(LineStatusDataReady) && Data.Read() == LoopbackProbe;
        ModemControl.Write(ModemDtrRtsOut2);
    }

    // Polls the line status register until bit is set; false after TransmitSpinLimit reads (each port read takes
    // about a microsecond on real hardware, so that is well over a character time).
    private static bool WaitForLineStatus(byte bit)
    {
        for (int spins = 0; spins < TransmitSpinLimit; spins++)
        {
            if ((LineStatus.Read() & bit) != 0)
                return true;
        }
        return false;
    }

    /// <summary>Makes the UART raise IRQ 4 when a byte arrives (MCR.OUT2, set at init, gates it to the PIC/APIC).</summary>
    public static void EnableReceiveInterrupt()
    {
        if (s_present)
            InterruptEnable.Write(InterruptOnReceivedData);
    }

    /// <summary>
    /// Stops taking input until <see cref="ResumeReceive"/>: the received-data interrupt goes off, so bytes stay in
    /// the UART's 16-byte FIFO, and RTS drops, so a sender with hardware flow control pauses before the FIFO
    /// overruns. (QEMU's serial backend needs no RTS: it stops reading its chardev while the FIFO is full.)
    /// </summary>
    /// <remarks>Call with interrupts off, or from the IRQ 4 handler: it races <see cref="ResumeReceive"/>.</remarks>
    public static void HoldBackReceive()
    {
        if (!s_present)
            return;
        InterruptEnable.Write(0);
        ModemControl.Write(ModemDtrOut2);
    }

    /// <summary>Raises RTS and turns the received-data interrupt back on (it fires at once if bytes are waiting).</summary>
    /// <remarks>Call with interrupts off: it races <see cref="HoldBackReceive"/> in the IRQ 4 handler.</remarks>
    public static void ResumeReceive()
    {
        if (!s_present)
            return;
        ModemControl.Write(ModemDtrRtsOut2);
        InterruptEnable.Write(InterruptOnReceivedData);
    }

    /// <summary>Reads a received byte, if one is waiting.</summary>
    public static bool TryReadByte(out byte value)
    {
        if (!s_present || (LineStatus.Read() & LineStatusDataReady) == 0)
        {
            value = 0;
            return false;
        }
        value = Data.Read();
        return true;
    }

    /// <summary>Sends one byte, waiting (bounded) for the transmitter.</summary>
    public static void WriteByte(byte value)
    {
        if (!s_present)
            return;
        WaitForLineStatus(LineStatusTransmitEmpty);
        Data.Write(value);
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
