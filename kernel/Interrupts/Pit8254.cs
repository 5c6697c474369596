// The 8254 programmable interval timer (Intel 8254 datasheet; OSDev "Programmable Interval Timer"): channel 0
// as the periodic timer in PIC mode, channel 2 (gated through port 0x61) as the known clock that calibrates the
// local APIC timer and the TSC.
using Kernel.Arch;

namespace Kernel.Interrupts;

/// <summary>The legacy PC timer.</summary>
public static class Pit8254
{
    /// <summary>The PIT's input clock (datasheet: 1.193182 MHz on PCs).</summary>
    public const uint FrequencyHz = 1_193_182;

    private static readonly IoPort8 Channel0Data = new IoPort8(0x40);
    private static readonly IoPort8 Channel2Data = new IoPort8(0x42);
    private static readonly IoPort8 ModeCommand = new IoPort8(0x43);
    // Port B of the PC/AT keyboard controller's system control port: channel 2's gate and output.
    private static readonly IoPort8 SpeakerControl = new IoPort8(0x61);

    // Mode/command byte: channel in bits 6-7, access lobyte/hibyte (3 << 4), mode in bits 1-3, binary.
    private const byte Channel0 = 0 << 6;
    private const byte Channel2 = 2 << 6;
    private const byte AccessLowHigh = 3 << 4;
    private const byte ModeInterruptOnTerminalCount = 0 << 1;
    private const byte ModeRateGenerator = 2 << 1;

    private const byte Channel2Gate = 0x01;
    private const byte SpeakerEnable = 0x02;
    private const byte Channel2Output = 0x20;

    private static byte s_speakerControl;

    /// <summary>Starts channel 0 as a rate generator at (about) hz; returns the exact rate obtained.</summary>
    public static uint StartPeriodic(uint hz)
    {
        uint divisor = FrequencyHz / hz;
        if (divisor > 0xFFFF)
            divisor = 0xFFFF;
        ModeCommand.Write(Channel0 | AccessLowHigh | ModeRateGenerator);
        Channel0Data.Write((byte)divisor);
        Channel0Data.Write((byte)(divisor >> 8));
        return FrequencyHz / divisor;
    }

    /// <summary>Starts channel 2 counting down ticks (speaker off); WaitForCountdown waits for the end.</summary>
    public static void StartCountdown(ushort ticks)
    {
        s_speakerControl = (byte)(SpeakerControl.Read() & ~(Channel2Gate | SpeakerEnable));
        SpeakerControl.Write(s_speakerControl);
        ModeCommand.Write(Channel2 | AccessLowHigh | ModeInterruptOnTerminalCount);
        Channel2Data.Write((byte)ticks);
        Channel2Data.Write((byte)(ticks >> 8));
        // Counting starts on the gate's rising edge; OUT2 goes high at terminal count.
        SpeakerControl.Write((byte)(s_speakerControl | Channel2Gate));
    }

    /// <summary>Spins until channel 2 reaches terminal count, then closes its gate.</summary>
    public static void WaitForCountdown()
    {
        while ((SpeakerControl.Read() & Channel2Output) == 0)
            Cpu.Pause();
        SpeakerControl.Write(s_speakerControl);
    }
}
