// The shell's command catalogue: each command's name, usage line, one-line help and how many arguments it
// takes, so parsing, argument checks and "help" share one source. What the commands do lives in the shell.
using System;
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>
/// Static metadata for the shell commands, addressed by index (0 .. <see cref="Count"/> - 1, the values of
/// <see cref="ShellCommand"/>, in the order <c>help</c> lists them). Lookups are exact and case-sensitive:
/// command names are lower case.
/// </summary>
public static class CommandTable
{
    /// <summary>Maximum argument count meaning "any number".</summary>
    public const int Unlimited = int.MaxValue;

    /// <summary>Largest number <c>sleep</c> accepts, so a typo cannot park the shell for days.</summary>
    public const uint MaxSleepSeconds = 3600;

    // One record per command, in ShellCommand order (CommandTableTests checks the order). ILC does not preinitialize
    // an array of structs, so a static constructor builds it on the first lookup: in task context, once.
    private static readonly CommandSpec[] s_commands =
    {
        new CommandSpec("help", "help [command]", "list the commands, or describe one", 0, 1),
        new CommandSpec("echo", "echo [text ...]", "print the arguments, separated by spaces", 0, Unlimited),
        new CommandSpec("clear", "clear", "clear the screen", 0, 0),
        new CommandSpec("mem", "mem", "show physical memory, kernel heap usage and the garbage collector's figures", 0, 0),
        new CommandSpec("gc", "gc", "run one garbage collection and show what it reclaimed", 0, 0),
        new CommandSpec("uptime", "uptime", "show the time since boot", 0, 0),
        new CommandSpec("irq", "irq", "show interrupt counts per vector", 0, 0),
        new CommandSpec("log", "log [lines]", "show the kernel log: the last lines, or all of it page by page", 0, 1),
        new CommandSpec("tasks", "tasks", "list the async tasks", 0, 0),
        new CommandSpec("acpi", "acpi", "list the ACPI tables and what they describe", 0, 0),
        new CommandSpec("pci", "pci", "list the PCI functions with their BARs and capabilities", 0, 0),
        new CommandSpec("cpu", "cpu", "show the CPU vendor, model and features, and what every CPU's executor did", 0, 0),
        new CommandSpec("lsusb", "lsusb", "list the USB host controllers and the devices on their ports", 0, 0),
        new CommandSpec("parallel", "parallel [tasks]", "hash buffers in tasks spread over every CPU; count where they ran", 0, 1),
        new CommandSpec("sleep", "sleep <seconds>", "wait a number of seconds (other tasks keep running)", 1, 1),
        new CommandSpec("reboot", "reboot", "restart the machine", 0, 0),
        new CommandSpec("shutdown", "shutdown", "power the machine off", 0, 0),
    };

    /// <summary>Number of commands.</summary>
    public static int Count => s_commands.Length;

    /// <summary>The index of command <paramref name="name"/>, or -1 when there is no such command.</summary>
    public static int Find(string name)
    {
        if (name == null)
        {
            return -1;
        }

        for (int i = 0; i < s_commands.Length; i++)
        {
            if (s_commands[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The name of command <paramref name="index"/>; "" when out of range.</summary>
    public static string Name(int index) => IsValid(index) ? s_commands[index].Name : "";

    /// <summary>The usage line, e.g. "sleep &lt;seconds&gt;"; "" when out of range.</summary>
    public static string Usage(int index) => IsValid(index) ? s_commands[index].Usage : "";

    /// <summary>The one-line description; "" when out of range.</summary>
    public static string Help(int index) => IsValid(index) ? s_commands[index].Help : "";

    /// <summary>Fewest arguments the command takes; 0 when out of range.</summary>
    public static int MinArguments(int index) => IsValid(index) ? s_commands[index].MinArguments : 0;

    /// <summary>Most arguments the command takes (<see cref="Unlimited"/> for any number); 0 when out of range.</summary>
    public static int MaxArguments(int index) => IsValid(index) ? s_commands[index].MaxArguments : 0;

    /// <summary>The longest usage line, for lining up the help text in a column.</summary>
    public static int LongestUsage
    {
        get
        {
            int longest = 0;
            for (int i = 0; i < s_commands.Length; i++)
            {
                longest = s_commands[i].Usage.Length > longest ? s_commands[i].Usage.Length : longest;
            }

            return longest;
        }
    }

    /// <summary>
    /// Null when command <paramref name="index"/> takes <paramref name="count"/> arguments, else a one-line
    /// error such as "sleep: expected 1 argument (usage: sleep &lt;seconds&gt;)".
    /// </summary>
    public static string CheckArguments(int index, int count)
    {
        if (!IsValid(index))
        {
            return "no command number " + index.ToString();
        }

        CommandSpec command = s_commands[index];
        int min = command.MinArguments;
        int max = command.MaxArguments;
        if (count >= min && count <= max)
        {
            return null;
        }

        return command.Name + ": expected " + ExpectedArguments(min, max) + " (usage: " + command.Usage + ")";
    }

    /// <summary>The reply to a command name that is not in the table.</summary>
    public static string UnknownCommandMessage(string name) => "unknown command: " + name + " (type help)";

    /// <summary>The one line the shell prints for a command that threw: "error: FormatException: message".</summary>
    public static string FailedCommandMessage(Exception exception) => "error: " + ExceptionSummary.OneLine(exception);

    /// <summary>"no arguments", "1 argument", "at least 2 arguments", "at most 1 argument", "1 to 3 arguments".</summary>
    internal static string ExpectedArguments(int min, int max)
    {
        if (min == max)
        {
            return min == 0 ? "no arguments" : Arguments(min);
        }

        if (max == Unlimited)
        {
            return "at least " + Arguments(min);
        }

        return min == 0 ? "at most " + Arguments(max) : min.ToString() + " to " + Arguments(max);
    }

    private static bool IsValid(int index) => index >= 0 && index < s_commands.Length;

    private static string Arguments(int count) => count == 1 ? "1 argument" : count.ToString() + " arguments";
}

/// <summary>One command's metadata: its name, usage line, one-line help and how many arguments it takes.</summary>
internal readonly struct CommandSpec
{
    public CommandSpec(string name, string usage, string help, int minArguments, int maxArguments)
    {
        Name = name;
        Usage = usage;
        Help = help;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
    }

    public string Name { get; }

    public string Usage { get; }

    public string Help { get; }

    public int MinArguments { get; }

    public int MaxArguments { get; }
}
