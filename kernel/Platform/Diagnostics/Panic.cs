// The one way the kernel stops on an error: the panic text on screen and serial, then a halt (or, when running
// tests under QEMU, an exit status the harness reads). Panic sits in the low layer so every layer can stop the
// kernel; it prints through the outputs Boot installs, since the console is a chapter above it.
using System;
using System.Diagnostics.CodeAnalysis;
using Internal.Runtime;
using Kernel.Arch;

namespace Kernel.Diagnostics;

/// <summary>Kernel panics.</summary>
public static class Panic
{
    // Lines of the kernel log shown under the panic message: what the kernel did just before.
    private const int PanicLogLines = 12;

    private static bool s_panicking;
    private static bool s_messageStarted;
    private static int s_panickingCpu = -1;
    private static Action s_stopOtherCpus;
    private static bool s_exitQemuOnPanic;
    private static bool s_expectPanic;
    private static Action<string> s_show;
    private static Action<string> s_emergency;

    /// <summary>
    /// Sets where panics are shown (show: screen and serial) and the simplest output for a panic while panicking
    /// (emergency: serial only), and makes the runtime's fatal errors (unhandled exceptions, out of memory) panics.
    /// </summary>
    /// <remarks>Safety: none for the caller; the runtime hook is a pointer to this class's own static method.</remarks>
    public static unsafe void Install(Action<string> show, Action<string> emergency)
    {
        s_show = show;
        s_emergency = emergency;
        RuntimeHooks.InstallPanic(&FromRuntime);
    }

    /// <summary>Whether the kernel has begun to panic (an NMI then stops the CPU it reaches).</summary>
    public static bool IsPanicking => s_panicking;

    /// <summary>
    /// With other CPUs running: how the first CPU to panic stops them all (an NMI to every other CPU, whose handler
    /// halts once IsPanicking), so exactly one panic screen is printed. The panic then names its CPU.
    /// </summary>
    public static void SetStopOtherCpus(Action stop) => s_stopOtherCpus = stop;

    /// <summary>Whether a panic ends a QEMU test run (with failure, or success when the test expects it).</summary>
    public static void ConfigureForTests(bool exitQemu) => s_exitQemuOnPanic = exitQemu;

    /// <summary>Marks the next panic as the expected outcome of a should-panic test: QEMU then exits with success.</summary>
    public static void ExpectPanic() => s_expectPanic = true;

    /// <summary>Stops the kernel with a message.</summary>
    [DoesNotReturn]
    public static void Halt(string message) => Halt(message, null);

    /// <summary>Stops the kernel with a message and a detail line; the trace shows the calling code.</summary>
    [DoesNotReturn]
    public static void Halt(string message, string detail) => Halt(message, detail, null);

    /// <summary>
    /// Begins a panic on this CPU before its message is built: interrupts off, the other CPUs stopped, and from here
    /// on any CPU may allocate (the collector's guard lets a panicking kernel build its text). A second CPU that gets
    /// here halts at once. Halt calls it; code that must build its message on another CPU calls it first.
    /// </summary>
    public static void Begin()
    {
        Cpu.DisableInterrupts();
        int cpu = Cpu.CurrentIndex;
        int first = Atomic.CompareExchange(ref s_panickingCpu, cpu, -1);
        if (first != -1 && first != cpu)
        {
            // Another CPU is panicking (its NMI may not have arrived yet): this one stops without a word.
            Cpu.HaltForever();
        }
        if (first == -1)
        {
            s_panicking = true;
            s_stopOtherCpus?.Invoke();
        }
    }

    /// <summary>Stops the kernel with a message, a detail line and the stack trace (null: the calling code's).</summary>
    [DoesNotReturn]
    public static void Halt(string message, string detail, string stackTrace)
    {
        Begin();
        int cpu = Cpu.CurrentIndex;
        if (s_messageStarted)
        {
            // A panic while printing a panic: keep to the simplest output path.
            s_emergency?.Invoke("\npanic while panicking: ");
            s_emergency?.Invoke(message);
            s_emergency?.Invoke("\n");
            Finish();
        }
        s_messageStarted = true;
        string text = "\nKERNEL PANIC: " + message + "\n";
        if (s_stopOtherCpus != null)
            text = text + "  on CPU " + cpu.ToString() + "\n";
        if (detail != null)
            text = text + "  " + detail + "\n";
        string trace = stackTrace ?? CallerTrace();
        if (trace != null && trace.Length > 0)
            text = text + "  Stack trace:\n" + trace;
        string log = KernelLog.TailWithoutLock(PanicLogLines);
        if (log.Length > 0)
            text = text + "  Last kernel messages:\n" + log;
        s_show?.Invoke(text + "  The kernel has stopped.\n");
        Finish();
    }

    private static void FromRuntime(string message, string detail) => Halt(message, detail);

    // The running code's trace without the panic's own frames.
    private static string CallerTrace()
    {
        if (!StackWalker.IsReady)
            return null;
        ulong[] frames = new ulong[StackWalker.MaxTraceFrames];
        int count = StackWalker.Collect(StackWalker.CaptureHere(), frames);
        int first = 0;
        while (first < count - 1 && IsPanicCode(frames[first]))
            first++;
        ulong[] shown = new ulong[count - first];
        for (int i = first; i < count; i++)
            shown[i - first] = frames[i];
        return StackTraceText.Format(shown, shown.Length);
    }

    private static bool IsPanicCode(ulong address)
    {
        string name = Symbols.MethodAt(address);
        return name != null && (name.StartsWith("Platform.Kernel.Diagnostics.Panic::") || name.StartsWith("Platform.Kernel.Diagnostics.StackWalker::")
            || name.StartsWith("Internal.Runtime.RuntimeHooks::"));
    }

    [DoesNotReturn]
    private static void Finish()
    {
        if (s_exitQemuOnPanic)
            QemuExit.Exit(success: s_expectPanic);
        Cpu.HaltForever();
        while (true)
        {
        }
    }
}
