// The host's stand-in for Kernel.Arch.InterruptsOff (kernel/Platform/Arch/InterruptsOff.cs): there are no
// interrupts on the host, so the scope only counts how deep it is, and tests check every scope was closed.
namespace Kernel.Arch;

/// <summary>An interrupts-off scope that records its nesting instead of touching the CPU.</summary>
public ref struct InterruptsOff
{
    private bool _open;

    /// <summary>Scopes entered and not yet disposed.</summary>
    public static int Depth { get; private set; }

    /// <summary>Opens a scope.</summary>
    public static InterruptsOff Enter()
    {
        Depth++;
        return new InterruptsOff { _open = true };
    }

    /// <summary>Closes the scope (once).</summary>
    public void Dispose()
    {
        if (_open)
            Depth--;
        _open = false;
    }
}
