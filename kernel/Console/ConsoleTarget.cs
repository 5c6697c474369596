// Where kernel console output goes, selected by the console= boot option.
namespace Kernel.Console;

/// <summary>
/// Console output destinations. The values are bit flags so <see cref="Both"/> contains the other two.
/// </summary>
public enum ConsoleTarget
{
    /// <summary>Only the serial port (COM1).</summary>
    Serial = 1,

    /// <summary>Only the framebuffer text console.</summary>
    Screen = 2,

    /// <summary>Serial port and framebuffer.</summary>
    Both = Serial | Screen,
}
