// The PS/2 keyboard on IRQ 1: deciding whether there is one (Ps2Presence weighs the FADT, the DSDT and a probe),
// starting it, and its interrupt handler, which only hands the scancode byte to the input ring; decoding happens
// once, in the task that takes the key (ConsoleInput.TryTakeKey).
using Kernel.Acpi;
using Kernel.Interrupts;

namespace Kernel.Input;

/// <summary>The PS/2 keyboard.</summary>
public static class KeyboardDriver
{
    /// <summary>
    /// Decides whether there is an i8042 from the FADT's boot flags, the PS/2 keyboard IDs in the DSDT and SSDTs,
    /// and a bounded probe of the controller (see <see cref="Ps2Presence"/>); if so, initializes it and unmasks
    /// IRQ 1. <paramref name="fadt"/> may be null (no FADT). Returns the line for the boot log, naming the evidence.
    /// </summary>
    public static string Start(Fadt fadt, AcpiTables tables)
    {
        Ps2Decision decision = Ps2Presence.Decide(fadt, AmlDeviceIds.Search(tables, Ps2Presence.KeyboardIds), Ps2Controller.Probe());
        if (!decision.UseController)
            return "keyboard: no PS/2 keyboard (" + decision.Evidence + ")";
        if (!Ps2Controller.Initialize())
            return "keyboard: PS/2 controller not usable (" + Ps2Controller.Problem + "); no keyboard (" + decision.Evidence + ")";
        if (!InterruptControllers.TryEnableIsaIrq(IsaIrq.Keyboard, out string problem))
            return "keyboard: " + problem;
        return "keyboard: PS/2 on IRQ 1 (scancode set 1, US layout; " + decision.Evidence + ")";
    }

    /// <summary>Called from the IRQ 1 handler.</summary>
    public static void OnInterrupt()
    {
        if (Ps2Controller.TryReadData(out byte scancode))
            ConsoleInput.OnScancode(scancode);
    }
}
