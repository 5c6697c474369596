// Keeping interrupt handlers out of a few lines (the seed's without_interrupts): interrupts go off at Enter and
// come back at Dispose only if they were on before, so scopes nest and may be entered with interrupts already off.
namespace Kernel.Arch;

/// <summary>A scope with maskable interrupts disabled. Use: <c>using (InterruptsOff.Enter()) { ... }</c>.</summary>
public ref struct InterruptsOff
{
    private bool _restore;

    private InterruptsOff(bool restore) => _restore = restore;

    /// <summary>Clears RFLAGS.IF and remembers whether it was set.</summary>
    public static InterruptsOff Enter()
    {
        bool wereOn = Cpu.InterruptsEnabled;
        Cpu.DisableInterrupts();
        return new InterruptsOff(wereOn);
    }

    /// <summary>Sets RFLAGS.IF again if it was set at Enter (once).</summary>
    public void Dispose()
    {
        if (_restore)
            Cpu.EnableInterrupts();
        _restore = false;
    }
}
