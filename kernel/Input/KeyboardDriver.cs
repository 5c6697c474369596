// The PS/2 keyboard on IRQ 1: starting it (when the firmware says an 8042 exists) and its interrupt handler,
// which only hands the scancode byte to the input ring; decoding happens once, in the task that takes the key
// (ConsoleInput.TryTakeKey).
using Kernel.Interrupts;

namespace Kernel.Input;

/// <summary>The PS/2 keyboard.</summary>
public static class KeyboardDriver
{
    /// <summary>
    /// Initializes the i8042 and unmasks IRQ 1, unless the firmware says there is no 8042 (the FADT's IA-PC boot
    /// flags; an ACPI 1.0 FADT cannot say, so then one is assumed). Returns the line for the boot log.
    /// </summary>
    public static string Start(bool firmwareSays8042Absent)
    {
        if (firmwareSays8042Absent)
            return "keyboard: the FADT says there is no 8042 controller; PS/2 keyboard skipped";
        if (!Ps2Controller.Initialize())
            return "keyboard: PS/2 controller not usable (" + Ps2Controller.Problem + "); no keyboard";
        if (!InterruptControllers.TryEnableIsaIrq(IsaIrq.Keyboard, out string problem))
            return "keyboard: " + problem;
        return "keyboard: PS/2 on IRQ 1 (scancode set 1, US layout)";
    }

    /// <summary>Called from the IRQ 1 handler.</summary>
    public static void OnInterrupt()
    {
        if (Ps2Controller.TryReadData(out byte scancode))
            ConsoleInput.OnScancode(scancode);
    }
}
