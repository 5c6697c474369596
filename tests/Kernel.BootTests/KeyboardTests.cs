// Boot tests of the keyboard chapter: keys typed through QMP are echoed on serial and screen, and a burst is survived.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>
/// Keys typed through QMP send-key reach the PS/2 keyboard driver in both interrupt modes: the decoded characters
/// are echoed on serial and drawn on screen, and a burst of keys neither crashes nor hangs the kernel.
/// </summary>
public sealed class KeyboardBootTests
{
    private const uint Foreground = 0xC0C0C0; // Terminal.DefaultForeground
    private const uint Background = 0x000000;
    private static readonly TimeSpan s_qmpTimeout = TimeSpan.FromSeconds(10);

    // "Hi, C#!" then a Backspace: the '!' is erased, leaving "Hi, C#".
    private static readonly string[][] s_typed =
    {
        new[] { "shift", "h" }, new[] { "i" }, new[] { "comma" }, new[] { "spc" }, new[] { "shift", "c" },
        new[] { "shift", "3" }, new[] { "shift", "1" }, new[] { "backspace" },
    };

    private const string ExpectedEcho = "Hi, C#!\b \b";
    private const string ExpectedOnScreen = "Hi, C#";
    private const string Prompt = "> "; // KernelShell.Prompt

    /// <summary>Typed keys are echoed on serial and screen with the right characters, shifted ones and Backspace included.</summary>
    [Theory]
    [InlineData("apic")]
    [InlineData("pic")]
    public void TypedKeysAreEchoedOnSerialAndScreen(string irq)
    {
        byte[] dump = null;
        string serialBeforeKeys = null;
        BootResult boot = BootHarness.Boot("irq=" + irq, qmp: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            serialBeforeKeys = running.ReadSerial();
            using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_qmpTimeout);
            foreach (string[] key in s_typed)
                qmp.SendKey(key);
            WaitForSerial(running, serialBeforeKeys.Length, ExpectedEcho);
            string path = Path.Combine(running.WorkDirectory, "keys.ppm");
            qmp.ScreenDump(path);
            dump = File.ReadAllBytes(path);
        });

        BootAssert.HasLineMatching(boot, irq == "apic" ? @"^interrupts: APIC " : @"^interrupts: 8259 PIC");
        // q35's tables agree with its controller (issue 12 names the evidence).
        BootAssert.HasLineMatching(boot,
            @"^keyboard: PS/2 on IRQ 1 \(scancode set 1, US layout; FADT says 8042 present, DSDT declares PNP0303, controller answered\)$");
        string echoed = boot.Serial.Substring(serialBeforeKeys.Length);
        Assert.True(echoed.Contains(ExpectedEcho, StringComparison.Ordinal),
            "serial after 'ready' should contain the echo " + Escape(ExpectedEcho) + " but was " + Escape(echoed) + "\n" + boot.Describe());
        // The shell's prompt comes right after "ready", before anything typed.
        Assert.True(boot.Serial.Contains("\nready\n" + Prompt + ExpectedEcho, StringComparison.Ordinal),
            "serial should read 'ready', then the prompt " + Escape(Prompt) + " and the echo\n" + boot.Describe());

        // The prompt and the echo land on the text row after "ready": find that row by the banner's line count.
        Psf1Font font = Psf1Font.Load(RepoPaths.ConsoleFont);
        PpmImage image = PpmImage.Parse(dump);
        int row = ReadyRow(boot, image.Width / font.Width);
        string expectedRow = Prompt + ExpectedOnScreen;
        for (int i = 0; i < expectedRow.Length; i++)
            AssertGlyph(image, font, i, row, expectedRow[i], boot);
        AssertGlyph(image, font, expectedRow.Length, row, ' ', boot);
    }

    /// <summary>
    /// 500 keys as fast as QMP sends them (more than QEMU's PS/2 queue or the kernel's 256-byte input ring holds, so
    /// some are dropped by the device, the kernel, or both): the kernel keeps running, reports its own drops in one
    /// line, and still runs a command typed after the burst.
    /// </summary>
    [Fact]
    public void BurstOfKeysNeitherCrashesNorHangs()
    {
        string echoed = null;
        int burstEnd = 0;
        BootResult boot = BootHarness.Boot("irq=apic console=serial", qmp: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            int start = running.ReadSerial().Length;
            using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_qmpTimeout);
            for (int i = 0; i < 500; i++)
                qmp.SendKey(i % 2 == 0 ? "a" : "b");
            // Let the device drain its queue, then Ctrl+C abandons the line: its "^C" shows a key after the
            // burst is handled.
            System.Threading.Thread.Sleep(2000);
            qmp.SendKey("ctrl", "c");
            string serial = running.WaitForSerial(s => s.IndexOf("^C\n" + Prompt, start, StringComparison.Ordinal) >= 0,
                "the ^C echo of Ctrl+C after the burst", BootHarness.DefaultTimeout);
            burstEnd = serial.IndexOf("^C\n" + Prompt, start, StringComparison.Ordinal) - start;
            int beforeCommand = serial.Length;
            qmp.TypeText("echo ok\n");
            running.WaitForSerialLine("ok", BootHarness.DefaultTimeout, beforeCommand);
            echoed = running.ReadSerial().Substring(start);
        });

        Assert.True(boot.StoppedByHarness, "the kernel should still be running after the burst\n" + boot.Describe());
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
        Assert.True(echoed != null, "the session did not finish\n" + boot.Describe());

        // The kernel's own drops (if any: QEMU's PS/2 queue may have dropped first) are reported, with sane counts.
        string burst = echoed.Substring(0, burstEnd);
        MatchCollection warnings = Regex.Matches(echoed, @"\(input too fast: (\d+) key bytes dropped, (\d+) in all\)");
        long lastTotal = 0;
        foreach (Match warning in warnings)
        {
            long batch = long.Parse(warning.Groups[1].Value);
            long total = long.Parse(warning.Groups[2].Value);
            Assert.True(batch > 0 && total == lastTotal + batch, "drop report '" + warning.Value + "' after " + lastTotal + " in all\n" + boot.Describe());
            lastTotal = total;
        }

        int burstEchoes = Regex.Replace(burst, @"\(input too fast:[^)]*\)", "").Count(c => c == 'a' || c == 'b');
        Assert.True(burstEchoes > 0 && burstEchoes <= 500, "burst echoes: " + burstEchoes + "\n" + boot.Describe());
    }

    /// <summary>
    /// Issue 12: on q35 with i8042=off the FADT clears its 8042 flag and the DSDT declares no keyboard; the probe
    /// still runs, reads status 0xFF (nothing at port 0x64) and concludes "absent" at once, and the shell works on
    /// serial.
    /// </summary>
    [Fact]
    public void WithoutAn8042TheProbeConcludesAbsentAndTheShellWorksOnSerial()
    {
        BootResult boot = BootHarness.Boot("console=serial", machine: "q35,i8042=off", serialInput: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            int mark = running.ReadSerial().Length;
            running.SendSerial("echo no keyboard, still a shell\r");
            running.WaitForSerialLine("no keyboard, still a shell", BootHarness.DefaultTimeout, mark);
        });

        BootAssert.HasLineMatching(boot,
            @"^keyboard: no PS/2 keyboard \(FADT says no 8042, DSDT declares no PS/2 keyboard, no controller \(status 0xFF\)\)$");
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
        Assert.True(boot.StoppedByHarness, "the kernel should still be running\n" + boot.Describe());
    }

    private static void WaitForSerial(RunningBoot running, int from, string text) =>
        running.WaitForSerial(s => s.IndexOf(text, from, StringComparison.Ordinal) >= 0, Escape(text) + " on serial", BootHarness.DefaultTimeout);

    // Serial lines before "ready" (from "Hello World!" on) are the screen's rows 0.. in order.
    // The text row after "ready": each boot log line from the banner on takes as many rows as it needs at columns
    // characters a row (the boot phases line is longer than a row and wraps).
    private static int ReadyRow(BootResult boot, int columns)
    {
        List<string> lines = boot.Serial.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int hello = lines.FindIndex(l => l.EndsWith("Hello World!", StringComparison.Ordinal));
        int ready = lines.IndexOf("ready");
        Assert.True(hello >= 0 && ready > hello, "banner not found\n" + boot.Describe());
        int row = 0;
        for (int i = hello; i <= ready; i++)
            row += Math.Max(1, (lines[i].Length + columns - 1) / columns);
        return row;
    }

    private static void AssertGlyph(PpmImage image, Psf1Font font, int column, int row, char c, BootResult boot)
    {
        int wrong = 0;
        for (int y = 0; y < font.Height; y++)
        {
            for (int x = 0; x < font.Width; x++)
            {
                uint expected = font.IsSet(c, x, y) ? Foreground : Background;
                if (image.GetPixel(column * font.Width + x, row * font.Height + y) != expected)
                    wrong++;
            }
        }
        Assert.True(wrong == 0, "screen cell (" + column + ", " + row + ") should show '" + c + "' but " + wrong + " pixels differ\n" + boot.Describe());
    }

    private static string Escape(string text) => "\"" + text.Replace("\b", "\\b") + "\"";
}
