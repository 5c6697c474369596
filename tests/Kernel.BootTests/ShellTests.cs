// Boot tests of the shell and its tasks: one boot driven like a user, on keyboard and serial, ending in shutdown.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>
/// One plain boot driven like a user would: the clock is read off the screen twice while the shell waits, commands
/// are typed on the PS/2 keyboard (QMP send-key) and on the serial terminal, history is recalled with the Up arrow,
/// <c>sleep 1</c> is timed, and <c>shutdown</c> ends the run. Every observation is kept for the tests of
/// <see cref="ShellBootTests"/>; a step that fails stops the session and each later test reports why.
/// </summary>
public sealed class ShellSession
{
    /// <summary>The shell's prompt (KernelShell.Prompt).</summary>
    public const string Prompt = "> ";

    /// <summary>Seconds between the two screendumps of the clock.</summary>
    public const double ClockDumpSeconds = 2.5;

    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_qmpTimeout = TimeSpan.FromSeconds(10);
    private readonly Lazy<bool> _ran;

    /// <summary>Prepares the session; it runs on first use.</summary>
    public ShellSession()
    {
        _ran = new Lazy<bool>(Run);
    }

    /// <summary>What each command printed (the lines between its echoed command line and the next prompt), by name.</summary>
    public Dictionary<string, Command> Commands { get; } = new Dictionary<string, Command>();

    /// <summary>The two screendumps of the idle shell, <see cref="ClockDumpSeconds"/> apart.</summary>
    public byte[] ClockDumpBefore { get; private set; }

    /// <summary>The second screendump.</summary>
    public byte[] ClockDumpAfter { get; private set; }

    /// <summary>Wall time from sending the Enter of <c>sleep 1</c> to seeing "slept" on serial.</summary>
    public TimeSpan? SleepWallTime { get; private set; }

    /// <summary>Each of the two command lines sent on serial while the shell sleeps: together more than the kernel's 256-byte input ring.</summary>
    public static readonly string[] FloodLines = { "echo " + new string('x', 190), "echo " + new string('y', 190) };

    /// <summary>Serial from sending <c>sleep 1</c> and the flood to the prompt after the flood's last command.</summary>
    public string FloodSerial { get; private set; }

    /// <summary>
    /// The argument of the long <c>echo</c> line: longer than the old 256-character line and than the screen is
    /// wide (240 columns at 1920x1080), so the editor wraps it.
    /// </summary>
    public static readonly string LongArgument = string.Concat(Enumerable.Range(0, 40).Select(i => "0123456789"));

    /// <summary>Screendump with "> echo hi" typed after 'h', 'i', Home (ESC [ H) and Ctrl-L, before Enter.</summary>
    public byte[] CtrlLDump { get; private set; }

    /// <summary>How long QEMU took to end after <c>shutdown</c> was sent.</summary>
    public TimeSpan? ShutdownTime { get; private set; }

    /// <summary>The step that failed, or null.</summary>
    public Exception Failure { get; private set; }

    /// <summary>The boot's result.</summary>
    public BootResult Boot { get; private set; }

    /// <summary>Runs the session if it has not run yet.</summary>
    public void EnsureRan() => _ = _ran.Value;

    /// <summary>The output of the command recorded as <paramref name="key"/>, failing with the session's story otherwise.</summary>
    public Command Get(string key)
    {
        EnsureRan();
        if (Commands.TryGetValue(key, out Command command))
            return command;
        Assert.Fail("The session never got to '" + key + "'" + Story());
        return null;
    }

    /// <summary>Why the session stopped early, and the boot's serial tail, for assertion messages.</summary>
    public string Story() =>
        (Failure != null ? ": it stopped at a failed step: " + Failure.Message : "") + "\n" + Boot?.Describe(60);

    private bool Run()
    {
        Boot = BootHarness.Boot("console=both", qmp: true, serialInput: true, whileRunning: running =>
        {
            try
            {
                Drive(running);
            }
            catch (Exception e)
            {
                Failure = e;
            }
        });
        return true;
    }

    private void Drive(RunningBoot running)
    {
        running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
        WaitForPrompt(running, running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1);
        using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_qmpTimeout);

        // The clock task draws while the shell sits at its prompt with nothing typed.
        ClockDumpBefore = ScreenDump(qmp, running, "clock1.ppm");
        Thread.Sleep(TimeSpan.FromSeconds(ClockDumpSeconds));
        ClockDumpAfter = ScreenDump(qmp, running, "clock2.ppm");

        foreach (string line in new[] { "echo hello", "uptime", "tasks" })
            Record("keyboard " + line, running, () => qmp.TypeText(line + "\n"));

        Record("serial echo", running, () => running.SendSerial("echo from serial\r"));
        Record("serial up arrow", running, () => running.SendSerial("\u001b[A\r"));
        Record("serial unknown", running, () => running.SendSerial("frobnicate\r"));
        Record("serial long line", running, () => running.SendSerial("echo " + LongArgument + "\r"));
        // A lone Escape is the Escape key once the line has been quiet for a moment (the editor ignores it), so the
        // "[A" typed later is text; a decoder that waited for the next byte would read ESC [ A, the Up arrow.
        Record("serial lone escape", running, () =>
        {
            running.SendSerial("echo ab\u001b");
            Thread.Sleep(500);
            running.SendSerial("[A\r");
        });

        // Issue 12: 'h', ESC [ H (Home), Ctrl-L used to leave the screen's cursor after the 'h' while the editor's
        // was before it. Type "hi", Home, Ctrl-L, then "echo " (inserted before "hi"), and look at the screen.
        int ctrlLMark = running.ReadSerial().Length;
        running.SendSerial("hi\u001b[H\u000c");
        running.WaitForSerial(s => s.IndexOf("\u001b[2J\u001b[H" + Prompt + "hi", ctrlLMark, StringComparison.Ordinal) >= 0,
            "the redraw after Ctrl-L", s_stepTimeout);
        running.SendSerial("echo ");
        WaitForQuiet(running);
        CtrlLDump = ScreenDump(qmp, running, "ctrl-l.ppm");
        Record("serial ctrl-l", running, () => running.SendSerial("\r"));

        // sleep 1: type the command, then time from the Enter to "slept".
        int mark = running.ReadSerial().Length;
        running.SendSerial("sleep 1");
        running.WaitForSerial(s => s.IndexOf("sleep 1", mark, StringComparison.Ordinal) >= 0, "the echo of 'sleep 1'", s_stepTimeout);
        var clock = Stopwatch.StartNew();
        running.SendSerial("\r");
        while (running.ReadSerial().IndexOf("slept ", mark, StringComparison.Ordinal) < 0)
        {
            if (clock.Elapsed > s_stepTimeout || running.HasExited)
                throw new TimeoutException("'slept' not seen within " + s_stepTimeout.TotalSeconds + " s of sending Enter.");
            Thread.Sleep(10);
        }
        SleepWallTime = clock.Elapsed;
        Commands["sleep 1"] = WaitForCommand(running, mark);

        // A flood while the shell is busy: `sleep 1` keeps it from reading, so the bytes sent right after the Enter
        // fill the kernel's 256-byte ring; the UART is then held back (issue 12) and the rest waits in QEMU until the
        // shell reads again, so both flooded command lines arrive whole and run.
        mark = running.ReadSerial().Length;
        running.SendSerial("sleep 1\r" + string.Concat(FloodLines.Select(line => line + "\r")));
        string lastOutput = FloodLines[FloodLines.Length - 1].Substring("echo ".Length);
        running.WaitForSerialLine(lastOutput, s_stepTimeout, mark);
        WaitForQuiet(running);
        FloodSerial = running.ReadSerial().Substring(mark);
        Record("after flood", running, () => running.SendSerial("echo alive\r"));

        // Issue 13: a command that throws (sleep's argument parser throws a FormatException) prints one error line and
        // the shell runs the next command. Last before shutdown: a kernel without exception dispatch panics here.
        Record("serial bad argument", running, () => running.SendSerial("sleep x\r"));
        Record("after error", running, () => running.SendSerial("echo still here\r"));

        mark = running.ReadSerial().Length;
        clock.Restart();
        running.SendSerial("shutdown\r");
        if (!running.WaitForExit(s_stepTimeout))
            throw new TimeoutException("QEMU still runs " + s_stepTimeout.TotalSeconds + " s after 'shutdown'.");
        ShutdownTime = clock.Elapsed;
    }

    // Waits until the serial output has not grown for a while.
    private static void WaitForQuiet(RunningBoot running)
    {
        var quietFor = TimeSpan.FromMilliseconds(300);
        var clock = Stopwatch.StartNew();
        int length = running.ReadSerial().Length;
        var unchanged = Stopwatch.StartNew();
        while (unchanged.Elapsed < quietFor)
        {
            if (clock.Elapsed > s_stepTimeout)
                throw new TimeoutException("The serial output did not settle within " + s_stepTimeout.TotalSeconds + " s.");
            Thread.Sleep(50);
            int now = running.ReadSerial().Length;
            if (now != length)
            {
                length = now;
                unchanged.Restart();
            }
        }
    }

    // Sends a command line and records what it printed.
    private void Record(string key, RunningBoot running, Action send)
    {
        int mark = running.ReadSerial().Length;
        send();
        Commands[key] = WaitForCommand(running, mark);
    }

    // From `mark` (just after a prompt) the serial shows the echoed command line, its output and the next prompt.
    private static Command WaitForCommand(RunningBoot running, int mark)
    {
        string serial = WaitForPrompt(running, mark);
        string[] lines = serial.Substring(mark).Split('\n');
        return new Command(lines[0], lines.Skip(1).Take(lines.Length - 2).ToArray());
    }

    private static string WaitForPrompt(RunningBoot running, int from) => running.WaitForPrompt(from, s_stepTimeout, Prompt);

    private static byte[] ScreenDump(QmpClient qmp, RunningBoot running, string name)
    {
        string path = Path.Combine(running.WorkDirectory, name);
        qmp.ScreenDump(path);
        return File.ReadAllBytes(path);
    }

    /// <summary>One command as seen on serial.</summary>
    public sealed class Command
    {
        /// <summary>Records a command.</summary>
        public Command(string echo, string[] output)
        {
            Echo = echo;
            Output = output;
        }

        /// <summary>The command line as echoed after the prompt (editing echoes included).</summary>
        public string Echo { get; }

        /// <summary>The lines it printed.</summary>
        public string[] Output { get; }

        /// <inheritdoc />
        public override string ToString() =>
            "echo " + Quote(Echo) + ", output [" + string.Join(", ", Output.Select(Quote)) + "]";

        private static string Quote(string text) =>
            "\"" + text.Replace("\b", "\\b").Replace("\u001b", "\\e").Replace("\r", "\\r") + "\"";
    }
}

/// <summary>
/// The interactive shell of a plain boot: commands from the keyboard and from serial, one-line errors, history,
/// <c>sleep</c> against wall time, the uptime clock ticking on screen while the shell waits, and <c>shutdown</c>.
/// All from one boot (<see cref="ShellSession"/>).
/// </summary>
public sealed class ShellBootTests : IClassFixture<ShellSession>
{
    private const uint Foreground = 0xC0C0C0; // Terminal.DefaultForeground
    private const uint Background = 0x000000;
    private const string ClockCharacters = " up0123456789:";

    private readonly ShellSession _session;

    /// <summary>Gets the shared session.</summary>
    public ShellBootTests(ShellSession session)
    {
        _session = session;
    }

    /// <summary>Commands typed on the PS/2 keyboard run: echo, uptime and tasks print what they should.</summary>
    [Fact]
    public void KeyboardCommandsPrintTheirOutput()
    {
        AssertOutput("keyboard echo hello", "echo hello", "hello");

        ShellSession.Command uptime = _session.Get("keyboard uptime");
        Assert.True(uptime.Echo == "uptime" && uptime.Output.Length == 1 && Regex.IsMatch(uptime.Output[0], @"^up 0:00:\d\d$"),
            "uptime: " + uptime + _session.Story());

        ShellSession.Command tasks = _session.Get("keyboard tasks");
        foreach (string name in new[] { "shell", "clock" })
        {
            Match line = tasks.Output.Select(l => Regex.Match(l, @"^  " + name + @" +(waiting|completed) +polled (\d+) times on cpu 0 \(home cpu 0\)$")).FirstOrDefault(m => m.Success);
            Assert.True(line != null && line.Groups[1].Value == "waiting" && long.Parse(line.Groups[2].Value) > 0,
                "tasks should list a waiting '" + name + "' task polled at least once: " + tasks + _session.Story());
        }
    }

    /// <summary>A lone Escape followed by silence is a key of its own: "[A" typed after it stays text.</summary>
    [Fact]
    public void ALoneEscapeIsResolvedBySilence()
    {
        ShellSession.Command command = _session.Get("serial lone escape");
        Assert.True(command.Output.Length == 1 && command.Output[0] == "ab[A", "lone escape: " + command + _session.Story());
    }

    /// <summary>A command typed on the serial terminal runs, and Up then Enter runs it again.</summary>
    [Fact]
    public void SerialCommandAndHistoryRun()
    {
        AssertOutput("serial echo", "echo from serial", "from serial");
        // Up recalls the line (the editor redraws it after the prompt), Enter runs it again.
        AssertOutput("serial up arrow", "echo from serial", "from serial");
    }

    /// <summary>An unknown command prints exactly one error line.</summary>
    [Fact]
    public void ErrorsAreOneLine()
    {
        AssertOutput("serial unknown", "frobnicate", "unknown command: frobnicate (type help)");
    }

    /// <summary>
    /// Issue 13: a command that throws (<c>sleep x</c>: its argument parser throws a FormatException) prints exactly
    /// one line, "error: FormatException: message", and the shell goes on to run the next command. Needs the kernel's
    /// exception dispatch: without it the throw is a panic.
    /// </summary>
    [Fact]
    public void AThrowingCommandPrintsOneErrorLineAndTheShellGoesOn()
    {
        AssertOutput("serial bad argument", "sleep x", "error: FormatException: 'x' is not a whole number from 0 to 3600");
        AssertOutput("after error", "echo still here", "still here");
    }

    /// <summary>
    /// Issue 12: a 400-character line sent in one burst over serial (wider than the screen, longer than the old
    /// 256-character limit) reaches the command whole.
    /// </summary>
    [Fact]
    public void ALongSerialLineReachesTheCommandWhole()
    {
        ShellSession.Command command = _session.Get("serial long line");
        Assert.True(command.Output.Length >= 1 && command.Output[^1] == ShellSession.LongArgument,
            "echo of a " + ShellSession.LongArgument.Length + "-character argument should print it back on one line: " + command + _session.Story());
        Assert.DoesNotContain("input too fast", string.Join("\n", command.Output));
    }

    /// <summary>
    /// Issue 12: after 'h', 'i', ESC [ H and Ctrl-L the screen shows the prompt and the line at the top with the
    /// cursor before "hi", so "echo " typed next lands there: the top row reads "> echo hi" and the command prints "hi".
    /// </summary>
    [Fact]
    public void CtrlLRedrawsWithTheCursorWhereTheEditorHasIt()
    {
        ShellSession.Command command = _session.Get("serial ctrl-l");
        Assert.True(command.Output.Length == 1 && command.Output[0] == "hi", "the line after Ctrl-L should run 'echo hi': " + command + _session.Story());

        Psf1Font font = Psf1Font.Load(RepoPaths.ConsoleFont);
        PpmImage image = PpmImage.Parse(_session.CtrlLDump);
        const string expected = "> echo hi  ";
        for (int column = 0; column < expected.Length; column++)
            Assert.True(CellShows(image, font, column, expected[column]),
                "after Ctrl-L the top row should read '" + expected + "', column " + column + " is not '" + expected[column] + "'" + _session.Story());
    }

    /// <summary>sleep 1 waits about a second of wall time and 100 ± 15 timer ticks (timer=100).</summary>
    [Fact]
    public void SleepOneTakesASecond()
    {
        ShellSession.Command sleep = _session.Get("sleep 1");
        Match slept = Regex.Match(sleep.Output.Length == 1 ? sleep.Output[0] : "", @"^slept (\d+) ticks$");
        Assert.True(slept.Success, "sleep 1 should print one 'slept N ticks' line: " + sleep + _session.Story());
        int ticks = int.Parse(slept.Groups[1].Value);
        Assert.True(ticks >= 85 && ticks <= 115, "sleep 1 slept " + ticks + " ticks, expected 100 ± 15" + _session.Story());
        TimeSpan wall = _session.SleepWallTime.Value;
        Assert.True(wall >= TimeSpan.FromSeconds(0.9) && wall < TimeSpan.FromSeconds(10),
            "sleep 1 took " + wall.TotalSeconds.ToString("0.000") + " s of wall time" + _session.Story());
    }

    /// <summary>
    /// Serial bytes sent faster than the shell reads them (during <c>sleep 1</c>) fill the kernel's 256-byte ring; the
    /// UART is held back instead of dropping (issue 12), so nothing is reported dropped, both flooded command lines run
    /// with their whole text, and the shell still runs the next command.
    /// </summary>
    [Fact]
    public void SerialFloodIsHeldBackAndArrivesWhole()
    {
        _session.EnsureRan();
        string flood = _session.FloodSerial;
        Assert.True(flood != null, "The session never got to the flood" + _session.Story());
        Assert.DoesNotContain("input too fast", flood);
        string[] lines = flood.Split('\n');
        foreach (string command in ShellSession.FloodLines)
        {
            string text = command.Substring("echo ".Length);
            Assert.True(lines.Contains("> " + command), "The flooded line '" + command + "' was not echoed whole: " + Quote(flood) + _session.Story());
            Assert.True(lines.Contains(text), "The flooded echo did not print its whole text: " + Quote(flood) + _session.Story());
        }
        AssertOutput("after flood", "echo alive", "alive");
    }

    /// <summary>
    /// The clock task redraws " up H:MM:SS " in the top-right corner while the shell waits for input: two screendumps
    /// 2.5 s apart show readable, different times about that far apart.
    /// </summary>
    [Fact]
    public void ClockTicksWhileTheShellWaits()
    {
        _session.EnsureRan();
        Assert.True(_session.ClockDumpAfter != null, "No screendumps were taken" + _session.Story());
        Psf1Font font = Psf1Font.Load(RepoPaths.ConsoleFont);
        PpmImage before = PpmImage.Parse(_session.ClockDumpBefore);
        PpmImage after = PpmImage.Parse(_session.ClockDumpAfter);

        string first = ReadTopRight(before, font, out bool firstHasInk);
        string second = ReadTopRight(after, font, out bool secondHasInk);
        Assert.True(firstHasInk && secondHasInk, "The clock region is blank: '" + first + "' / '" + second + "'" + _session.Story());
        Assert.True(RegionDiffers(before, after, font), "The clock region did not change in " + ShellSession.ClockDumpSeconds + " s" + _session.Story());

        int t1 = ClockSeconds(first);
        int t2 = ClockSeconds(second);
        Assert.True(t1 >= 0 && t2 >= 0, "The top-right corner should read ' up H:MM:SS ', it read '" + first + "' and '" + second + "'" + _session.Story());
        Assert.True(t2 - t1 >= 1 && t2 - t1 <= 5,
            "The clock went from '" + first.Trim() + "' to '" + second.Trim() + "' in " + ShellSession.ClockDumpSeconds + " s of wall time" + _session.Story());
    }

    /// <summary>shutdown prints "shutting down..." and QEMU powers off by itself with status 0.</summary>
    [Fact]
    public void ShutdownPowersOff()
    {
        _session.EnsureRan();
        BootResult boot = _session.Boot;
        Assert.True(_session.Failure == null, "The session failed" + _session.Story());
        Assert.True(boot.HasLine("shutting down..."), "No 'shutting down...' line" + _session.Story());
        Assert.False(boot.StoppedByHarness, "QEMU had to be stopped by the harness" + _session.Story());
        Assert.False(boot.TimedOut, "QEMU timed out" + _session.Story());
        Assert.True(boot.ExitCode == 0, "QEMU should exit with 0 after shutdown" + _session.Story());
        Assert.DoesNotContain("shutdown failed", boot.Serial);
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
    }

    private void AssertOutput(string key, string echo, params string[] output)
    {
        ShellSession.Command command = _session.Get(key);
        Assert.True(command.Echo == echo && command.Output.SequenceEqual(output),
            key + ": expected echo \"" + echo + "\" and output [" + string.Join(", ", output) + "], got " + command + _session.Story());
    }

    private static string Quote(string text) =>
        "\"" + (text.Length > 600 ? text.Substring(0, 600) + "..." : text).Replace("\b", "\\b").Replace("\u001b", "\\e") + "\"";

    // " up H:MM:SS " right-aligned in row 0: reads the row's last 16 cells with the console font ('?' for a cell that
    // is no clock character).
    private static string ReadTopRight(PpmImage image, Psf1Font font, out bool hasInk)
    {
        int columns = image.Width / font.Width;
        var text = new StringBuilder();
        hasInk = false;
        for (int column = columns - 16; column < columns; column++)
        {
            char found = '?';
            foreach (char c in ClockCharacters)
            {
                if (CellShows(image, font, column, c))
                {
                    found = c;
                    break;
                }
            }

            for (int y = 0; y < font.Height && !hasInk; y++)
                for (int x = 0; x < font.Width && !hasInk; x++)
                    hasInk = image.GetPixel(column * font.Width + x, y) != Background;
            text.Append(found);
        }

        return text.ToString();
    }

    private static bool CellShows(PpmImage image, Psf1Font font, int column, char c)
    {
        for (int y = 0; y < font.Height; y++)
            for (int x = 0; x < font.Width; x++)
                if (image.GetPixel(column * font.Width + x, y) != (font.IsSet(c, x, y) ? Foreground : Background))
                    return false;
        return true;
    }

    private static bool RegionDiffers(PpmImage a, PpmImage b, Psf1Font font)
    {
        int columns = a.Width / font.Width;
        for (int y = 0; y < font.Height; y++)
            for (int x = (columns - 16) * font.Width; x < columns * font.Width; x++)
                if (a.GetPixel(x, y) != b.GetPixel(x, y))
                    return true;
        return false;
    }

    // Seconds of uptime in text ending with " up H:MM:SS ", or -1.
    private static int ClockSeconds(string text)
    {
        Match m = Regex.Match(text, @" up (\d+):([0-5]\d):([0-5]\d) $");
        return m.Success ? int.Parse(m.Groups[1].Value) * 3600 + int.Parse(m.Groups[2].Value) * 60 + int.Parse(m.Groups[3].Value) : -1;
    }
}
