// The shell's command catalogue: each command's name, usage line, one-line help and how many arguments it
// takes, so parsing, argument checks and "help" share one source. What the commands do lives in the shell.
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

    // Parallel arrays in ShellCommand order. Plain string and int arrays are preinitialised by ILC, so no
    // static constructor runs in the kernel.
    private static readonly string[] s_names =
    {
        "help", "echo", "clear", "mem", "uptime", "irq", "tasks", "acpi", "cpu", "sleep", "reboot", "shutdown",
    };

    private static readonly string[] s_usages =
    {
        "help [command]", "echo [text ...]", "clear", "mem", "uptime", "irq", "tasks", "acpi", "cpu",
        "sleep <seconds>", "reboot", "shutdown",
    };

    private static readonly string[] s_help =
    {
        "list the commands, or describe one",
        "print the arguments, separated by spaces",
        "clear the screen",
        "show physical memory and kernel heap usage",
        "show the time since boot",
        "show interrupt counts per vector",
        "list the async tasks",
        "list the ACPI tables and what they describe",
        "show the CPU vendor, model and features",
        "wait a number of seconds (other tasks keep running)",
        "restart the machine",
        "power the machine off",
    };

    private static readonly int[] s_minArguments = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };

    private static readonly int[] s_maxArguments = { 1, Unlimited, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };

    /// <summary>Number of commands.</summary>
    public static int Count => s_names.Length;

    /// <summary>The index of command <paramref name="name"/>, or -1 when there is no such command.</summary>
    public static int Find(string name)
    {
        if (name == null)
        {
            return -1;
        }

        for (int i = 0; i < s_names.Length; i++)
        {
            if (s_names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The name of command <paramref name="index"/>; "" when out of range.</summary>
    public static string Name(int index) => IsValid(index) ? s_names[index] : "";

    /// <summary>The usage line, e.g. "sleep &lt;seconds&gt;"; "" when out of range.</summary>
    public static string Usage(int index) => IsValid(index) ? s_usages[index] : "";

    /// <summary>The one-line description; "" when out of range.</summary>
    public static string Help(int index) => IsValid(index) ? s_help[index] : "";

    /// <summary>Fewest arguments the command takes; 0 when out of range.</summary>
    public static int MinArguments(int index) => IsValid(index) ? s_minArguments[index] : 0;

    /// <summary>Most arguments the command takes (<see cref="Unlimited"/> for any number); 0 when out of range.</summary>
    public static int MaxArguments(int index) => IsValid(index) ? s_maxArguments[index] : 0;

    /// <summary>The longest usage line, for lining up the help text in a column.</summary>
    public static int LongestUsage
    {
        get
        {
            int longest = 0;
            for (int i = 0; i < s_usages.Length; i++)
            {
                longest = s_usages[i].Length > longest ? s_usages[i].Length : longest;
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

        int min = s_minArguments[index];
        int max = s_maxArguments[index];
        if (count >= min && count <= max)
        {
            return null;
        }

        return s_names[index] + ": expected " + ExpectedArguments(min, max) + " (usage: " + s_usages[index] + ")";
    }

    /// <summary>The reply to a command name that is not in the table.</summary>
    public static string UnknownCommandMessage(string name) => "unknown command: " + name + " (type help)";

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

    private static bool IsValid(int index) => index >= 0 && index < s_names.Length;

    private static string Arguments(int count) => count == 1 ? "1 argument" : count.ToString() + " arguments";
}
