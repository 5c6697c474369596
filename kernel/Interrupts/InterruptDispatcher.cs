// The kernel's handler for every vector (installed into Arch.InterruptEntry by Boot). Exceptions go to the panic
// (int3 resumes, faults in managed code C# has an exception for are thrown, an NMI is recorded and returns); the timer to the SystemTimer; an ISA IRQ to the handler its driver registered, followed by the
// end-of-interrupt for whichever controller delivered it; a device vector (MSI, MSI-X) to the handler registered
// for it, followed by the local APIC's end-of-interrupt (messages are edge-triggered: nothing else to tell).
using System;
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Exceptions;

namespace Kernel.Interrupts;

/// <summary>Routes each interrupt or exception to its handler.</summary>
public static class InterruptDispatcher
{
    // Created by the first registration at boot and only read in interrupts: no allocation (and no static
    // constructor, which would allocate on first use) on the interrupt path.
    private static Action[] s_isaHandlers;
    private static ulong s_breakpointCount;
    // Made by the first device registration (task context); an interrupt only reads it.
    private static DeviceVectorTable s_deviceVectors;
    private static int s_deviceRegistration;

    /// <summary>How many int3 breakpoints were handled (and resumed from).</summary>
    public static ulong BreakpointCount => s_breakpointCount;

    /// <summary>
    /// Runs handler for every interrupt on ISA IRQ irq, then acknowledges it. The handler runs with interrupts off
    /// and must not allocate. Call before the IRQ is unmasked.
    /// </summary>
    public static void RegisterIsaIrq(int irq, Action handler)
    {
        s_isaHandlers ??= new Action[IsaIrq.Count];
        s_isaHandlers[irq] = handler;
    }

    /// <summary>
    /// Gives handler a device vector of its own and returns it (-1 when all are taken), for a device's MSI or MSI-X
    /// message; name labels its count in <c>irq</c>. The handler runs with interrupts off, on the CPU the message
    /// targets, and must not allocate; the dispatcher sends the local APIC's EOI after it. Call from a task (it
    /// allocates the first time); safe against interrupts and other CPUs registering at the same time.
    /// </summary>
    public static int RegisterDeviceVector(string name, Action handler)
    {
        DeviceVectorTable fresh = s_deviceVectors == null ? new DeviceVectorTable() : null;
        using (InterruptsOff.Enter())
        {
            while (Atomic.CompareExchange(ref s_deviceRegistration, 1, 0) != 0)
                Cpu.Pause();
            s_deviceVectors ??= fresh;
            int vector = s_deviceVectors.Register(name, handler);
            Atomic.Exchange(ref s_deviceRegistration, 0);
            return vector;
        }
    }

    /// <summary>The device vectors handed out so far (null before the first).</summary>
    public static DeviceVectorTable DeviceVectors => s_deviceVectors;

    /// <summary>The handler for every vector (an Arch.InterruptHandler).</summary>
    public static void Dispatch(ref InterruptFrame frame)
    {
        int vector = (int)frame.Vector;
        if (vector == ExceptionVectors.Breakpoint)
        {
            // A trap: RIP already points past int3, so returning resumes the code.
            s_breakpointCount++;
            return;
        }
        if (vector == ExceptionVectors.NonMaskableInterrupt)
        {
            // Another CPU's requests come as NMIs (they get through where interrupts are off), and two may arrive as
            // one: a TLB shootdown is answered, a stop for a garbage collection waits there, both checked every time.
            bool answered = Processors.AnswerShootDown();
            if (Processors.ParkIfStopping(ref frame) || answered)
                return;
            InterruptCounters.Count(vector);
            NonMaskableInterrupts.OnNmi();
            return;
        }
        // A null dereference or a division fault in managed code becomes a C# exception thrown at the fault.
        if ((vector == ExceptionVectors.PageFault || vector == ExceptionVectors.DivideError)
            && HardwareExceptions.TryRaise(ref frame, InterruptEntry.Depth))
            return;
        if (vector < ExceptionVectors.Count)
            ExceptionReport.Panic(ref frame);
        InterruptCounters.Count(vector);
        if (HandleDeviceInterrupt(vector))
            return;
        InterruptCounters.CountUnexpected();
        ExceptionReport.Panic(ref frame);
    }

    private static bool HandleDeviceInterrupt(int vector)
    {
        switch (vector)
        {
            case Vectors.ApicTimer:
                int cpu = Cpu.CurrentIndex;
                if (cpu == 0)
                    SystemTimer.OnTick();
                else
                    SystemTimer.OnOtherCpuTick(cpu);
                LocalApic.EndOfInterrupt();
                return true;
            case Vectors.CpuWake:
                LocalApic.EndOfInterrupt();
                return true;
            case Vectors.ApicSpurious:
                LocalApic.NoteSpurious();
                return true;
            case Vectors.ApicError:
                LocalApic.TakeError();
                LocalApic.EndOfInterrupt();
                return true;
        }
        if (Vectors.IsDevice(vector))
        {
            if (s_deviceVectors?.HandlerOf(vector) is not Action device)
                return false;
            device();
            LocalApic.EndOfInterrupt();
            return true;
        }
        int irq = vector - Vectors.IsaBase;
        if (irq < 0 || irq >= IsaIrq.Count)
            return false;
        // The 8259 signals spurious interrupts on IRQ 7 and 15 even while masked; they get no EOI.
        if (Pic8259.IsSpurious(irq))
            return true;
        if (irq == IsaIrq.Timer && !InterruptControllers.UsingApic)
            SystemTimer.OnTick();
        else if (s_isaHandlers?[irq] is Action handler)
            handler();
        else
            return false;
        InterruptControllers.EndOfInterrupt(irq);
        return true;
    }
}
