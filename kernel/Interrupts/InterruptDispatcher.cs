// The one C# entry for every vector: shim/interrupt_stubs.asm calls it with the saved frame. Exceptions go to
// the panic (int3 resumes); hardware interrupts to their driver, then the end-of-interrupt for their controller.
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Boot;
using Kernel.Console;
using Kernel.Keyboard;

namespace Kernel.Interrupts
{
    /// <summary>Routes each interrupt or exception to its handler.</summary>
    internal static unsafe class InterruptDispatcher
    {
        private static ulong s_breakpointCount;
        private static delegate*<void> s_tickHook;

        /// <summary>How many int3 breakpoints were handled (and resumed from).</summary>
        public static ulong BreakpointCount => s_breakpointCount;

        /// <summary>Runs hook on every timer tick, inside the interrupt (null to stop); for tests.</summary>
        public static void SetTickHook(delegate*<void> hook) => s_tickHook = hook;

        [UnmanagedCallersOnly(EntryPoint = "KernelInterruptDispatch")]
        private static void Dispatch(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            if (vector == ExceptionVectors.Breakpoint)
            {
                // A trap: RIP already points past int3, so returning resumes the code.
                s_breakpointCount++;
                return;
            }
            if (vector < ExceptionVectors.Count)
                Panic.FromException(frame);
            InterruptCounters.Count(vector);
            if (HandleDeviceInterrupt(vector))
                return;
            InterruptCounters.CountUnexpected();
            Panic.FromException(frame);
        }

        private static bool HandleDeviceInterrupt(int vector)
        {
            switch (vector)
            {
                case Vectors.ApicTimer:
                    Tick();
                    LocalApic.EndOfInterrupt();
                    return true;
                case Vectors.PitTimer when !InterruptControllers.UsingApic:
                    Tick();
                    Pic8259.EndOfInterrupt(0);
                    return true;
                case Vectors.Keyboard:
                    KeyboardDriver.OnInterrupt();
                    InterruptControllers.EndOfInterrupt(1);
                    return true;
                case Vectors.Com1:
                    while (Serial16550.TryReadByte(out byte received))
                        Tasks.ConsoleInput.OnSerialByte(received);
                    InterruptControllers.EndOfInterrupt(Vectors.Com1 - Vectors.IsaBase);
                    return true;
                // The 8259 signals spurious interrupts on IRQ 7 and 15 even while masked; they get no EOI.
                case Vectors.PicSpuriousMaster:
                case Vectors.PicSpuriousSlave:
                    return Pic8259.IsSpurious(vector - Vectors.IsaBase);
                case Vectors.ApicSpurious:
                    LocalApic.NoteSpurious();
                    return true;
                case Vectors.ApicError:
                    LocalApic.TakeError();
                    LocalApic.EndOfInterrupt();
                    return true;
                default:
                    return false;
            }
        }

        private static void Tick()
        {
            SystemTimer.OnTick();
            Tasks.Timers.OnTick(SystemTimer.Ticks);
            if (s_tickHook != null)
                s_tickHook();
        }
    }
}
