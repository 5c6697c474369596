// Boot tests of NMI handling and the kernel log: platform NMIs injected from QEMU's monitor, with the APIC and with
// the 8259 PIC, are reported by name from task context (above the line being typed), counted in `irq`, and the
// shell carries on; `log` shows the kernel's messages with boot-relative timestamps, page by page.
using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

public sealed class NmiBootTests
{
    // Enough NMIs, each reported on a line of its own, that the kernel log outgrows one serial page (23 lines).
    private const int Nmis = 7;
    private const int SerialPageLines = 23;
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(30);

    /// <summary>
    /// irq=apic: LINT1 is the NMI input the MADT names; irq=pic: LINT0 carries the PIC (ExtINT), LINT1 the NMI. Each
    /// injected NMI gets its report; `irq` counts them; `echo` still answers; `log 3` and a paged `log` show the log.
    /// </summary>
    [Theory]
    [InlineData("apic", "nmi: LINT0 masked, LINT1 NMI (from the MADT)")]
    [InlineData("pic", "nmi: LINT0 ExtINT, LINT1 NMI (from the MADT)")]
    public void InjectedNmisAreReportedAndTheShellAndLogCarryOn(string irqMode, string wiring)
    {
        string irqOutput = null;
        string echoOutput = null;
        string lastThree = null;
        string firstPage = null;
        BootResult boot = BootHarness.Boot("console=serial irq=" + irqMode, qmp: true, serialInput: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            running.WaitForPrompt(0, s_step);
            // A half-typed line: the reports go above it, and it is still there afterwards.
            running.SendSerial("ech");
            using (QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step))
            {
                for (int i = 1; i <= Nmis; i++)
                {
                    qmp.InjectNmi();
                    string since = "since boot " + i + " (";
                    running.WaitForSerial(s => s.Contains(since, StringComparison.Ordinal), "the report of NMI " + i, s_step);
                }
            }
            echoOutput = Command(running, "o alive");
            irqOutput = Command(running, "irq");
            lastThree = Command(running, "log 3");
            int mark = running.ReadSerial().Length;
            running.SendSerial("log\r");
            running.WaitForSerial(s => s.IndexOf("-- more: any key, q to stop --", mark, StringComparison.Ordinal) >= 0, "the pager's prompt", s_step);
            running.SendSerial("q");
            firstPage = running.WaitForPrompt(mark, s_step).Substring(mark);
            running.SendSerial("shutdown\r");
            running.WaitForExit(s_step);
        });

        BootAssert.HasLine(boot, wiring);
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
        for (int i = 1; i <= Nmis; i++)
            BootAssert.HasLineMatching(boot, @"^nmi: 1 non-maskable interrupt, last reason unknown \(neither SERR# nor IOCHK; port 0x61 = 0x[0-9a-f]{2}\); since boot "
                + i + @" \(SERR# 0, IOCHK 0, unknown " + i + @"\); the kernel carried on$");
        // Each report moved the half-typed line below it: the line after a report is the prompt with "ech".
        Assert.True(boot.Lines.Count(l => l == "> ech") >= Nmis, "the typed line was not redrawn after the reports:\n" + boot.Describe(40));
        Assert.Contains("\nalive\n", echoOutput);
        Assert.Matches(", NMI " + Nmis + ",", irqOutput);

        string[] shown = LogLines(lastThree);
        Assert.True(shown.Length == 3, "log 3 printed:\n" + lastThree);
        Assert.All(shown, line => Assert.Matches(@"^\[ {0,4}\d+\.\d{6}\] nmi: 1 non-maskable interrupt", line));
        double[] stamps = shown.Select(Timestamp).ToArray();
        Assert.True(stamps[0] < stamps[1] && stamps[1] < stamps[2], "timestamps do not grow: " + string.Join(", ", stamps));

        string[] page = LogLines(firstPage);
        Assert.True(page.Length == SerialPageLines, "the first page of log has " + page.Length + " lines:\n" + firstPage);
        Assert.EndsWith("] Hello World!", page[0]);
        Assert.True(Timestamp(page[0]) < stamps[0], "boot messages are not older than the NMI reports");
        BootAssert.ExitCode(boot, 0);
    }

    private static string[] LogLines(string output) => output.Split('\n').Where(l => l.StartsWith("[", StringComparison.Ordinal)).ToArray();

    private static double Timestamp(string line) => double.Parse(line.Substring(1, line.IndexOf(']') - 1), CultureInfo.InvariantCulture);

    // Sends the rest of a command line and returns what follows, up to the next prompt.
    private static string Command(RunningBoot running, string text)
    {
        int mark = running.ReadSerial().Length;
        running.SendSerial(text + "\r");
        return running.WaitForPrompt(mark, s_step).Substring(mark);
    }
}
