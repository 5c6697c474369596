// Starts the host programs the harness needs (mkfs.fat, mcopy, make-image.sh, qemu-system-x86_64).
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;

namespace Kernel.BootTests.Harness;

/// <summary>Runs the short-lived host tools the harness needs (mkfs.fat, mcopy, make-image.sh).</summary>
internal static class ExternalTool
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="program"/> and throws, with its output, unless it exits with 0 in time.</summary>
    public static void Run(string program, params string[] arguments)
    {
        ProcessStartInfo start = CreateStartInfo(program, arguments);
        using Process process = StartProcess(start, "install dosfstools, mtools and gdisk");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(Describe(start) + " did not finish within " + s_timeout.TotalSeconds + " s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            lock (output)
                throw new InvalidOperationException(Describe(start) + " failed with exit code " + process.ExitCode + ":\n" + output);
        }
    }

    /// <summary>Creates start info with redirected output and MTOOLS_SKIP_CHECK set (our images are not floppies).</summary>
    public static ProcessStartInfo CreateStartInfo(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["MTOOLS_SKIP_CHECK"] = "1";
        return start;
    }

    /// <summary>Starts a process, turning "not installed" into a message that says what to install.</summary>
    public static Process StartProcess(ProcessStartInfo start, string installHint)
    {
        try
        {
            return Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Cannot run " + start.FileName + " (" + e.Message + "); " + installHint + ".", e);
        }
    }

    /// <summary>The command line, for messages.</summary>
    public static string Describe(ProcessStartInfo start) => start.FileName + " " + string.Join(" ", start.ArgumentList);
}
