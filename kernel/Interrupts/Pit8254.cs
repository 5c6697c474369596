// The 8254 programmable interval timer (Intel 8254 datasheet; OSDev "Programmable Interval Timer"): channel 0
// as the periodic timer in PIC mode, channel 2 (gated through port 0x61) as the known clock that calibrates the
// local APIC timer and the TSC.
using Kernel.Arch;

namespace Kernel.Interrupts
{
    /// <summary>The PIT.</summary>
    internal static unsafe class Pit8254
    {
        /// <summary>The PIT's input clock in Hz.</summary>
        public const uint FrequencyHz = 1_193_182;

        private const ushort Channel0Data = 0x40;
        private const ushort Channel2Data = 0x42;
        private const ushort ModeCommand = 0x43;
        private const ushort SpeakerControl = 0x61;

        // Mode/command byte: channel in bits 6-7, access lobyte/hibyte (3 << 4), mode in bits 1-3, binary.
        private const byte Channel0 = 0 << 6;
        private const byte Channel2 = 2 << 6;
        private const byte AccessLowHigh = 3 << 4;
        private const byte ModeInterruptOnTerminalCount = 0 << 1;
        private const byte ModeRateGenerator = 2 << 1;

        private const byte Channel2Gate = 0x01;
        private const byte SpeakerEnable = 0x02;
        private const byte Channel2Output = 0x20;

        /// <summary>Makes channel 0 interrupt (IRQ 0) hz times per second; returns the rate actually programmed.</summary>
        public static uint StartPeriodic(uint hz)
        {
            uint divisor = FrequencyHz / hz;
            if (divisor > 0xFFFF)
                divisor = 0xFFFF;
            Native.PortWrite8(ModeCommand, Channel0 | AccessLowHigh | ModeRateGenerator);
            Native.PortWrite8(Channel0Data, (byte)divisor);
            Native.PortWrite8(Channel0Data, (byte)(divisor >> 8));
            return FrequencyHz / divisor;
        }

        /// <summary>Stops channel 0 interrupts by leaving it in one-shot mode with nothing started.</summary>
        public static void StopChannel0() => Native.PortWrite8(ModeCommand, Channel0 | AccessLowHigh | ModeInterruptOnTerminalCount);

        /// <summary>
        /// Busy-waits ticks PIT ticks on channel 2 (speaker off), calling onStart right after the count starts, and
        /// returns when the count has run out: a known interval to time other clocks against.
        /// </summary>
        public static void WaitTicks(ushort ticks, delegate*<void> onStart)
        {
            byte control = (byte)(Native.PortRead8(SpeakerControl) & ~(Channel2Gate | SpeakerEnable));
            Native.PortWrite8(SpeakerControl, control);
            Native.PortWrite8(ModeCommand, Channel2 | AccessLowHigh | ModeInterruptOnTerminalCount);
            Native.PortWrite8(Channel2Data, (byte)ticks);
            Native.PortWrite8(Channel2Data, (byte)(ticks >> 8));
            // Counting starts on the gate's rising edge; OUT2 goes high at terminal count.
            Native.PortWrite8(SpeakerControl, (byte)(control | Channel2Gate));
            onStart();
            while ((Native.PortRead8(SpeakerControl) & Channel2Output) == 0)
                Cpu.Pause();
            Native.PortWrite8(SpeakerControl, control);
        }
    }
}
