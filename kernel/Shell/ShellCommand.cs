// The shell's commands by number: CommandTable.Find returns these values, and the shell dispatches on them.
namespace Kernel.Shell;

/// <summary>
/// A shell command, its value being its index in <see cref="CommandTable"/> (so <c>(ShellCommand)index</c> for
/// an index from <see cref="CommandTable.Find"/> that is not -1).
/// </summary>
public enum ShellCommand
{
    /// <summary>List the commands or describe one.</summary>
    Help,

    /// <summary>Print the arguments.</summary>
    Echo,

    /// <summary>Clear the screen.</summary>
    Clear,

    /// <summary>Memory and heap statistics.</summary>
    Mem,

    /// <summary>Run one garbage collection and show its figures.</summary>
    Gc,

    /// <summary>Time since boot.</summary>
    Uptime,

    /// <summary>Interrupt counts.</summary>
    Irq,

    /// <summary>The kernel log.</summary>
    Log,

    /// <summary>The async tasks.</summary>
    Tasks,

    /// <summary>The ACPI tables.</summary>
    Acpi,

    /// <summary>The PCI functions.</summary>
    Pci,

    /// <summary>CPU identification and every CPU's executor.</summary>
    Cpu,

    /// <summary>lsusb: the USB host controllers and their devices.</summary>
    Lsusb,

    /// <summary>A parallel demo workload over every CPU.</summary>
    Parallel,

    /// <summary>Wait some seconds asynchronously.</summary>
    Sleep,

    /// <summary>Restart the machine.</summary>
    Reboot,

    /// <summary>Power off.</summary>
    Shutdown,
}
