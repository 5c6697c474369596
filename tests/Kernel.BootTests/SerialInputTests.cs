// Boot tests of serial input flow control (issue 12, item 7): a paste larger than every buffer on the way arrives
// whole, because the kernel holds the UART back (receive interrupt off, RTS down) instead of dropping bytes.
using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>
/// 64 KiB of shell lines sent on COM1 at once: the kernel's 256-byte serial ring fills again and again, each time
/// the UART is held back and QEMU's serial backend stops reading the socket until the shell has caught up, so
/// every line runs and nothing is dropped.
/// </summary>
public sealed class SerialInputBootTests
{
    private const int Lines = 512;
    private const int LineBytes = 128; // with its "\r": 512 x 128 = 64 KiB, each line well under the editor's limit
    private static readonly TimeSpan s_pasteTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Every pasted <c>echo</c> line prints its text once, in order, and the counters show hold-backs and no drops.</summary>
    [Fact]
    public void A64KiBPasteArrivesWhole()
    {
        string[] expected = Enumerable.Range(0, Lines).Select(Payload).ToArray();
        string paste = string.Concat(expected.Select(text => "echo " + text + "\r"));
        Assert.Equal(Lines * LineBytes, paste.Length);
        string output = null;
        BootResult boot = BootHarness.Boot("console=serial", timeout: s_pasteTimeout + TimeSpan.FromMinutes(1), serialInput: true,
            whileRunning: running =>
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                int mark = running.ReadSerial().Length;
                running.SendSerial(paste);
                running.WaitForSerialLine(expected[Lines - 1], s_pasteTimeout, mark);
                running.SendSerial("irq\r");
                string serial = running.WaitForSerial(s => s.IndexOf("\ninput: serial held back ", mark, StringComparison.Ordinal) >= 0,
                    "the input counters of 'irq'", BootHarness.DefaultTimeout);
                output = serial.Substring(mark);
            });

        Assert.True(output != null, "the paste did not finish\n" + boot.Describe());
        Assert.DoesNotContain("input too fast", output);
        string[] printed = output.Split('\n').Where(line => line.StartsWith("paste ", StringComparison.Ordinal)).ToArray();
        Assert.True(printed.SequenceEqual(expected),
            "echo printed " + printed.Length + " of " + Lines + " lines" + FirstDifference(expected, printed) + "\n" + boot.Describe());
        Match counters = Regex.Match(output, @"\ninput: serial held back (\d+) times, (\d+) key bytes dropped\n");
        Assert.True(counters.Success, "no input counters in the output of 'irq'\n" + boot.Describe());
        Assert.True(long.Parse(counters.Groups[1].Value) > 0, "64 KiB never filled the 256-byte ring? " + counters.Value);
        Assert.Equal("0", counters.Groups[2].Value);
    }

    // "paste 0042 " and filler letters, LineBytes long once "echo " and "\r" are added.
    private static string Payload(int index)
    {
        var text = new StringBuilder("paste " + index.ToString("D4") + " ");
        for (int i = 0; text.Length < LineBytes - "echo \r".Length; i++)
            text.Append((char)('a' + (index + i) % 26));
        return text.ToString();
    }

    private static string FirstDifference(string[] expected, string[] printed)
    {
        for (int i = 0; i < Math.Min(expected.Length, printed.Length); i++)
        {
            if (expected[i] != printed[i])
                return "; line " + i + " was '" + printed[i] + "', expected '" + expected[i] + "'";
        }
        return "";
    }
}
