// A boot in progress: reading and waiting for serial output, typing on serial.
using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit.Sdk;

namespace Kernel.BootTests.Harness;

/// <summary>A QEMU run in progress, handed to the whileRunning callback of <see cref="BootHarness.Boot"/>.</summary>
public sealed class RunningBoot
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_exitPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _qemu;
    private readonly string _serialLog;
    private readonly SerialSocketPump _serialInput;

    internal RunningBoot(Process qemu, string workDirectory, string serialLog, string qmpSocketPath, SerialSocketPump serialInput = null)
    {
        _qemu = qemu;
        WorkDirectory = workDirectory;
        _serialLog = serialLog;
        QmpSocketPath = qmpSocketPath;
        _serialInput = serialInput;
    }

    /// <summary>This boot's temporary folder (deleted after the boot): a place for screendumps and the like.</summary>
    public string WorkDirectory { get; }

    /// <summary>The QMP unix socket, or null when the boot was started without QMP.</summary>
    public string QmpSocketPath { get; }

    /// <summary>Whether QEMU has ended.</summary>
    public bool HasExited => _qemu.HasExited;

    /// <summary>The serial output so far, CRLF turned into LF.</summary>
    public string ReadSerial() => BootHarness.ReadSerialLog(_serialLog);

    /// <summary>
    /// Types <paramref name="text"/> on the guest's COM1, one byte per character, as a terminal would ("\r" is
    /// Enter, "\x1b[A" the Up arrow). Only for boots started with <c>serialInput: true</c>.
    /// </summary>
    public void SendSerial(string text)
    {
        if (_serialInput == null)
            throw new InvalidOperationException("SendSerial needs a boot started with serialInput: true.");
        _serialInput.Send(text);
    }

    /// <summary>Waits until a serial line equals <paramref name="line"/>; fails the test with the serial tail otherwise.</summary>
    public void WaitForSerialLine(string line, TimeSpan timeout) => WaitForSerialLine(line, timeout, 0);

    /// <summary>
    /// Waits until a serial line equals <paramref name="line"/>, counting only text from position <paramref name="from"/>
    /// of <see cref="ReadSerial"/> on (a line cut by <paramref name="from"/> counts from there); returns the serial so
    /// far. Fails the test with the serial tail otherwise.
    /// </summary>
    public string WaitForSerialLine(string line, TimeSpan timeout, int from) =>
        WaitForSerial(serial => Array.IndexOf(serial.Substring(Math.Min(from, serial.Length)).Split('\n'), line) >= 0,
            "the serial line '" + line + "'", timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the serial output so far and returns that output; fails the
    /// test naming <paramref name="what"/> when QEMU ends or <paramref name="timeout"/> passes first.
    /// </summary>
    public string WaitForSerial(Func<string, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string serial = ReadSerial();
            if (condition(serial))
                return serial;
            string why = HasExited ? "QEMU ended (exit code " + _qemu.ExitCode + ")"
                : clock.Elapsed > timeout ? "not seen within " + timeout.TotalSeconds + " s"
                : null;
            if (why != null)
                throw new XunitException("Waiting for " + what + ": " + why + ".\n--- serial so far ---\n" + Tail(serial));
            Thread.Sleep(s_pollInterval);
        }
    }

    /// <summary>
    /// Waits until the serial output after position <paramref name="from"/> holds a line break and ends with a fresh
    /// shell prompt (a command's output is complete); returns the serial so far. Fails the test like WaitForSerial.
    /// </summary>
    public string WaitForPrompt(int from, TimeSpan timeout, string prompt = "> ") =>
        WaitForSerial(s => s.Length > from && s.IndexOf('\n', from) >= 0 && s.EndsWith("\n" + prompt, StringComparison.Ordinal),
            "a new prompt after serial position " + from, timeout);

    /// <summary>Waits up to <paramref name="timeout"/> for QEMU to end (a shutdown or reset); returns whether it did.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!HasExited && clock.Elapsed < timeout)
            Thread.Sleep(s_exitPollInterval);
        return HasExited;
    }

    private static string Tail(string serial)
    {
        string[] lines = serial.Split('\n');
        return BootResult.StripEscapes(string.Join("\n", lines, Math.Max(0, lines.Length - 40), Math.Min(40, lines.Length)));
    }
}
