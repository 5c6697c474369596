// The kernel's shell, the first user task: a prompt, line editing (Backspace, Delete, Left/Right, Home/End),
// history (Up/Down), and the commands in CommandTable. Input comes from the keyboard and the serial terminal
// alike (kernel/Input/ConsoleInput.cs); output goes to the console.
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

    /// <summary>Reads and runs commands forever, with what the machine-level commands need from context.</summary>
    public static async KernelTask RunAsync(ShellContext context)
    {
        var editor = new LineEditor();
        var history = new CommandHistory();
        Terminal.Write(Prompt);
        while (true)
        {
            InputKey key = await ConsoleInput.ReadKeyAsync();
            WarnAboutDroppedKeys(editor);
            bool submitted = false;
            if (key.Kind == InputKeyKind.Up || key.Kind == InputKeyKind.Down)
            {
                string recalled = key.Kind == InputKeyKind.Up ? history.Previous(editor.Text) : history.Next();
                if (recalled == null)
                    continue;
                Terminal.Write(editor.SetTextEcho(recalled));
                continue;
            }
            else if (key.IsCtrl('C'))
            {
                Terminal.Write("^C\n" + Prompt);
                editor.Clear();
                history.ResetNavigation();
                continue;
            }
            else if (key.IsCtrl('L'))
            {
                Terminal.Clear();
                Terminal.Write(Prompt + editor.Text);
                continue;
            }
            // The echo is a view of the editor's own buffer: typing allocates nothing.
            Terminal.Write(editor.ApplyEcho(key, out submitted));
            if (!submitted)
                continue;
            string line = editor.Text;
            editor.Clear();
            history.Add(line);
            history.ResetNavigation();
            await ShellCommands.RunAsync(line, context);
            Terminal.Write(Prompt);
        }
    }

    // The rings drop keys when they are full; say so once per new batch of drops, from task context, then
    // redraw the prompt and the line being edited below the message.
    private static void WarnAboutDroppedKeys(LineEditor editor)
    {
        ulong dropped = ConsoleInput.DroppedBytes;
        if (dropped == s_warnedDrops)
            return;
        Terminal.WriteLine("\n(input too fast: " + (dropped - s_warnedDrops).ToString() + " key bytes dropped, " + dropped.ToString() + " in all)");
        s_warnedDrops = dropped;
        Terminal.Write(Prompt + editor.Text);
        for (int i = editor.Cursor; i < editor.Length; i++)
            Terminal.Write("\b");
    }
}
