// The kernel's shell, the first user task: a prompt, line editing (kernel/Shell/LineEditor.cs: the cursor keys,
// Home/End, Delete, the readline Ctrl keys, lines wrapped over several rows), history (Up/Down), and the commands
// in CommandTable. Input comes from the keyboard and the serial terminal alike (kernel/Input/ConsoleInput.cs);
// output goes to the console. A command that throws prints one error line and the shell goes on.
using System;
using Kernel.Console;
using Kernel.Input;
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>The interactive shell task.</summary>
public static class KernelShell
{
    /// <summary>The prompt printed before each command.</summary>
    public const string Prompt = "> ";

    private static ulong s_warnedDrops;

    // The line editor while the shell waits for a key (null while a command runs): what Announce redraws.
    private static LineEditor s_editing;

    /// <summary>
    /// Prints a message from another task on a line of its own: when the shell waits at its prompt, the line
    /// being typed moves below the message (prompt, text and cursor as they were), as Linux's console does for
    /// kernel messages; while a command runs, the message just goes out with its output.
    /// </summary>
    public static void Announce(string message)
    {
        if (s_editing != null)
            PrintAboveLine(s_editing, message);
        else
            Terminal.WriteLine(message);
    }

    /// <summary>Reads and runs commands forever, with what the machine-level commands need from context.</summary>
    public static async KernelTask RunAsync(ShellContext context)
    {
        var editor = new LineEditor(Prompt, ConsoleWidth(), LineEditor.DefaultMaxLength);
        var history = new CommandHistory();
        WritePrompt();
        while (true)
        {
            s_editing = editor;
            InputKey key = await ConsoleInput.ReadKeyAsync();
            s_editing = null;
            WarnAboutDroppedKeys(editor);
            if (key.Kind == InputKeyKind.Up || key.Kind == InputKeyKind.Down)
            {
                string recalled = key.Kind == InputKeyKind.Up ? history.Previous(editor.Text) : history.Next();
                if (recalled != null)
                    Terminal.Write(editor.SetTextEcho(recalled));
                continue;
            }
            // The echo is a view of the editor's own buffer: typing allocates nothing.
            Terminal.Write(editor.ApplyEcho(key, out LineEditOutcome outcome));
            if (outcome == LineEditOutcome.Cancelled)
            {
                history.ResetNavigation();
                WritePrompt();
                continue;
            }
            if (outcome != LineEditOutcome.Submitted)
                continue;
            string line = editor.Text;
            editor.Clear();
            history.Add(line);
            history.ResetNavigation();
            // A command that throws (bad input, out of memory, a bug) prints one line and the shell reads the next:
            // the exception comes back out of the command's faulted task at this await.
            try
            {
                await ShellCommands.RunAsync(line, context);
            }
            catch (Exception exception)
            {
                Terminal.WriteLine(CommandTable.FailedCommandMessage(exception));
            }
            WritePrompt();
        }
    }

    // The editor lays lines out for the screen's width when there is one; a serial terminal is assumed to have
    // the usual 80 columns (it does not say; with both consoles the screen's width wins).
    private static int ConsoleWidth() =>
        Terminal.WritesToScreen ? Terminal.Grid.Columns : LineEditor.DefaultWidth;

    // The editor counts columns from the prompt: start it on a fresh row if a command left the cursor mid-row.
    private static void WritePrompt()
    {
        TextGrid grid = Terminal.Grid;
        if (Terminal.WritesToScreen && (grid.CursorColumn != 0 || grid.IsWrapPending))
            Terminal.Write("\n");
        Terminal.Write(Prompt);
    }

    // The rings drop keys when they are full; say so once per new batch of drops, from task context, under the
    // line being edited, then draw the prompt and the line again below the message.
    private static void WarnAboutDroppedKeys(LineEditor editor)
    {
        ulong dropped = ConsoleInput.DroppedBytes;
        if (dropped == s_warnedDrops)
            return;
        PrintAboveLine(editor, "(input too fast: " + (dropped - s_warnedDrops).ToString() + " key bytes dropped, " + dropped.ToString() + " in all)");
        s_warnedDrops = dropped;
    }

    private static void PrintAboveLine(LineEditor editor, string message)
    {
        Terminal.Write(editor.LeaveLineEcho());
        Terminal.WriteLine(message);
        Terminal.Write(editor.RedrawEcho());
    }
}
