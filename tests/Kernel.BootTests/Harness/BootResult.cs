// What one boot produced: the exit status, the serial log and how the run ended.
using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernel.BootTests.Harness;

/// <summary>What one QEMU boot produced: the exit status, the serial log, and how the run ended.</summary>
public sealed class BootResult
{
    /// <summary>QEMU's status after the kernel wrote QemuExit.SuccessCode (0x10) to isa-debug-exit.</summary>
    public const int SuccessExitCode = 33;

    /// <summary>QEMU's status after the kernel wrote QemuExit.FailureCode (0x11) to isa-debug-exit.</summary>
    public const int FailureExitCode = 35;

    private const int DefaultTailLines = 40;

    internal BootResult(string bootOptions, int? exitCode, string serial, bool timedOut, bool stoppedByHarness, TimeSpan wallTime, string qemuOutput)
    {
        BootOptions = bootOptions;
        ExitCode = exitCode;
        Serial = serial;
        Lines = serial.Split('\n');
        TimedOut = timedOut;
        StoppedByHarness = stoppedByHarness;
        WallTime = wallTime;
        QemuOutput = qemuOutput;
    }

    /// <summary>The boot.cfg options the kernel was started with.</summary>
    public string BootOptions { get; }

    /// <summary>QEMU's exit status, or null when the harness killed QEMU (timeout, or a run it stopped on purpose).</summary>
    public int? ExitCode { get; }

    /// <summary>Everything the machine wrote to COM1 (firmware messages included), with CRLF turned into LF.</summary>
    public string Serial { get; }

    /// <summary><see cref="Serial"/> split into lines.</summary>
    public string[] Lines { get; }

    /// <summary>True when the kernel did not end the run before the timeout and QEMU was killed.</summary>
    public bool TimedOut { get; }

    /// <summary>True when QEMU was still running after the caller's whileRunning callback and was killed on purpose.</summary>
    public bool StoppedByHarness { get; }

    /// <summary>Wall time from starting QEMU to its end.</summary>
    public TimeSpan WallTime { get; }

    /// <summary>QEMU's own stdout and stderr (normally empty).</summary>
    public string QemuOutput { get; }

    /// <summary>Whether some serial line equals <paramref name="line"/> exactly.</summary>
    public bool HasLine(string line) => Lines.Contains(line);

    /// <summary>Index of the first line equal to <paramref name="line"/>, or -1.</summary>
    public int IndexOfLine(string line) => Array.IndexOf(Lines, line);

    /// <summary>The first line starting with <paramref name="prefix"/>, or null.</summary>
    public string FirstLineStartingWith(string prefix) => Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The last <paramref name="count"/> serial lines, without the firmware's terminal escape sequences.</summary>
    public string Tail(int count = DefaultTailLines) => StripEscapes(string.Join("\n", Lines.Skip(Math.Max(0, Lines.Length - count))));

    /// <summary>Removes ANSI/VT100 escape sequences (OVMF clears its text console with them) so logs stay readable.</summary>
    internal static string StripEscapes(string text) => Regex.Replace(text, @"\x1B\[[0-9;=?]*[A-Za-z]", "");

    /// <summary>A summary for assertion messages: how the run ended, then the serial tail.</summary>
    public string Describe(int tailLines = DefaultTailLines)
    {
        var text = new StringBuilder();
        text.Append("boot options '").Append(BootOptions).Append("': ");
        if (TimedOut)
            text.Append("TIMED OUT (QEMU killed)");
        else if (StoppedByHarness)
            text.Append("stopped by the harness");
        else
            text.Append("QEMU exit code ").Append(ExitCode);
        text.Append(" after ").Append(WallTime.TotalSeconds.ToString("0.0")).Append(" s");
        if (!string.IsNullOrWhiteSpace(QemuOutput))
            text.Append("\nQEMU said:\n").Append(QemuOutput.TrimEnd());
        text.Append("\n--- serial tail ---\n").Append(Tail(tailLines)).Append("\n--- end of serial ---");
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Describe();
}
