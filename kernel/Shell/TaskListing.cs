// The lines of the shell's `tasks` command: each spawned task's name, state and polls, and for a faulted task the
// exception that ended it.
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>Formats the task list.</summary>
public static class TaskListing
{
    private const int NameWidth = 10;
    private const int StateWidth = 9;

    /// <summary>
    /// "  shell     waiting    polled 12 times", or for a faulted task
    /// "  worker    faulted    polled 1 times: FormatException: bad input".
    /// </summary>
    public static string Line(KernelTask task)
    {
        string line = "  " + task.Name.PadRight(NameWidth) + StateName(task.State).PadRight(StateWidth) + "  polled " + task.PollCount.ToString() + " times";
        return task.IsFaulted ? line + ": " + ExceptionSummary.OneLine(task.Exception) : line;
    }

    /// <summary>"waiting", "completed" or "faulted".</summary>
    public static string StateName(KernelTaskState state) => state switch
    {
        KernelTaskState.Pending => "waiting",
        KernelTaskState.Completed => "completed",
        KernelTaskState.Faulted => "faulted",
        _ => "unknown",
    };
}
