// The lines of the shell's `tasks` command: each spawned task's name, state, polls and CPUs (the one it belongs to
// and the one that ran it last), and for a faulted task the exception that ended it.
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>Formats the task list.</summary>
public static class TaskListing
{
    private const int NameWidth = 10;
    private const int StateWidth = 9;

    /// <summary>
    /// "  shell     waiting    polled 12 times on cpu 0 (home cpu 0)", "... polled 0 times (home cpu 0)" before its
    /// first step on an executor, or for a faulted task "  worker    faulted    polled 1 times on cpu 2 (home cpu 0):
    /// FormatException: bad input".
    /// </summary>
    public static string Line(KernelTask task)
    {
        string line = "  " + task.Name.PadRight(NameWidth) + StateName(task.State).PadRight(StateWidth) + "  polled " + task.PollCount.ToString() + " times"
            + (task.LastCpu >= 0 ? " on cpu " + task.LastCpu.ToString() : "") + " (home cpu " + task.HomeCpu.ToString() + ")";
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
