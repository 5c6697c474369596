// Boot tests of NMI handling and the kernel log: a platform NMI injected from QEMU's monitor, with the APIC and with
// the 8259 PIC, is reported by name from task context, counted in `irq`, and the shell carries on; `log` shows the
// kernel's messages with timestamps, page by page.
using System;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

public sealed class NmiBootTests
{
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(30);

    /// <summary>irq=apic: LINT1 is the NMI input the MADT names; irq=pic: LINT0 carries the PIC (ExtINT), LINT1 the NMI.</summary>
    [Theory]
    [InlineData("apic", "nmi: LINT0 masked, LINT1 NMI (from the MADT)")]
    [InlineData("pic", "nmi: LINT0 ExtINT, LINT1 NMI (from the MADT)")]
    public void AnInjectedNmiIsReportedAndTheShellCarriesOn(string irqMode, string wiring)
    {
        string irqLine = null;
        string echo = null;
        BootResult boot = BootHarness.Boot("irq=" + irqMode, qmp: true, serialInput: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            running.WaitForSerial(s => s.EndsWith("\n> ", StringComparison.Ordinal), "the prompt", s_step);
            using (QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step))
                qmp.InjectNmi();
            running.WaitForSerial(s => s.Contains("\nnmi: 1 non-maskable interrupt, last reason unknown", StringComparison.Ordinal),
                "the NMI report", s_step);
            int mark = running.ReadSerial().Length;
            running.SendSerial("irq\r");
            irqLine = Regex.Match(running.WaitForSerial(s => Regex.IsMatch(s.Substring(mark), @"irq: timer \d+.*\n"), "the irq line", s_step).Substring(mark),
                @"irq: timer [^\n]*").Value;
            mark = running.ReadSerial().Length;
            running.SendSerial("echo alive\r");
            running.WaitForSerialLine("alive", s_step, mark);
            echo = "alive";
            running.SendSerial("shutdown\r");
        });

        BootAssert.HasLine(boot, wiring);
        Assert.True(echo == "alive", "the shell did not answer after the NMI:\n" + boot.Describe());
        Assert.Contains(", NMI 1,", irqLine);
        BootAssert.HasLineMatching(boot, @"^nmi: 1 non-maskable interrupt, last reason unknown \(neither SERR# nor IOCHK; port 0x61 = 0x[0-9a-f]{2}\); since boot 1 \(SERR# 0, IOCHK 0, unknown 1\); the kernel carried on$");
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
        BootAssert.ExitCode(boot, 0);
    }

    /// <summary>`log 3` shows the last three kernel messages with boot-relative timestamps; `log` pages and q stops it.</summary>
    [Fact]
    public void TheKernelLogShowsBootMessagesWithTimestampsPageByPage()
    {
        string lastThree = null;
        string paged = null;
        BootResult boot = BootHarness.Boot("console=serial", serialInput: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            running.WaitForSerial(s => s.EndsWith("\n> ", StringComparison.Ordinal), "the prompt", s_step);
            int mark = running.ReadSerial().Length;
            running.SendSerial("log 3\r");
            lastThree = running.WaitForSerial(s => s.Length > mark + 8 && s.EndsWith("\n> ", StringComparison.Ordinal), "the output of log 3", s_step).Substring(mark);
            mark = running.ReadSerial().Length;
            running.SendSerial("log\r");
            running.WaitForSerial(s => s.IndexOf("-- more: any key, q to stop --", mark, StringComparison.Ordinal) >= 0, "the pager's prompt", s_step);
            running.SendSerial("q");
            paged = running.WaitForSerial(s => s.Length > mark && s.EndsWith("\n> ", StringComparison.Ordinal), "the prompt after q", s_step).Substring(mark);
            running.SendSerial("shutdown\r");
        });

        string[] shown = lastThree.Split('\n').Skip(1).Where(l => l.StartsWith("[", StringComparison.Ordinal)).ToArray();
        Assert.True(shown.Length == 3, "log 3 printed:\n" + lastThree + "\n" + boot.Describe());
        foreach (string line in shown)
            Assert.Matches(@"^\[ {0,4}\d+\.\d{6}\] \S", line);
        Assert.EndsWith("] ready", shown[2]);
        double[] stamps = shown.Select(l => double.Parse(l.Substring(1, l.IndexOf(']') - 1), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(stamps[0] <= stamps[1] && stamps[1] <= stamps[2], "timestamps go backwards: " + string.Join(", ", stamps));

        // A serial-only console pages at 23 lines; the boot log is longer, so q stops the listing after one page.
        string[] page = paged.Split('\n').Where(l => l.StartsWith("[", StringComparison.Ordinal)).ToArray();
        Assert.True(page.Length == 23, "the first page of log:\n" + paged);
        Assert.EndsWith("] Hello World!", page[0]);
        BootAssert.ExitCode(boot, 0);
    }
}
