// Boot test of issue 12 item 3: no page of the kernel's tables is both writable and executable, as seen from
// outside the guest (QMP: CR0, CR3 and EFER from the monitor, RAM from pmemsave, walked on the host).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Kernel.BootTests.Paging;
using Xunit.Abstractions;

namespace Kernel.BootTests;

/// <summary>The live page tables after boot, read from outside the guest, hold no writable and executable page.</summary>
public sealed class WritableExecutableBootTests
{
    private const ulong RamBytes = 256UL << 20; // the harness boots with -m 256M; q35 puts all of it below 2 GiB
    private const ulong Cr0WriteProtect = 1UL << 16;
    private const ulong EferNoExecuteEnable = 1UL << 11;
    private static readonly TimeSpan s_qmpTimeout = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    /// <summary>Gets the test's output.</summary>
    public WritableExecutableBootTests(ITestOutputHelper output) => _output = output;

    /// <summary>After "ready" the machine is paused; walking its tables from CR3 finds zero W+X 4 KiB pages.</summary>
    [Fact]
    public void KernelTablesHaveNoWritableExecutablePage()
    {
        string registers = null;
        byte[] ram = null;
        BootResult boot = BootHarness.Boot("console=serial", qmp: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_qmpTimeout);
            qmp.Stop();
            registers = qmp.HumanMonitorCommand("info registers");
            string path = Path.Combine(running.WorkDirectory, "ram.bin");
            qmp.PhysicalMemorySave(0, RamBytes, path);
            ram = File.ReadAllBytes(path);
        });
        Assert.True(ram != null, "the machine never reached 'ready'\n" + boot.Describe());
        // OVMF publishes a memory attributes table: runtime code is mapped RX, data NX, nothing RWX even in the
        // firmware's own space.
        System.Text.RegularExpressions.Match efi = BootAssert.HasLineMatching(boot,
            @"^efi: runtime services in their own address space: \d+ pages RX, \d+ RW\+NX, \d+ R\+NX, 0 RWX, \d+ MMIO; rights from the memory attributes table v\d \(\d+ entries\)$");
        _output.WriteLine(efi.Value);

        ulong cr0 = Register(registers, "CR0");
        ulong cr3 = Register(registers, "CR3");
        ulong efer = Register(registers, "EFER");
        Assert.True((cr0 & Cr0WriteProtect) != 0, "CR0.WP is clear: the supervisor may write every page. " + registers);
        Assert.True((efer & EferNoExecuteEnable) != 0, "EFER.NXE is clear: no page is protected from execution. " + registers);

        var walk = new PageTableWalk(ram, noExecuteEnabled: true, writeProtect: true);
        List<MappedPage> pages = walk.Pages(cr3);
        List<WritableExecutableRange> ranges = walk.WritableExecutable(cr3);
        ulong count = (ulong)ranges.Sum(r => (long)r.Pages4KiB);
        _output.WriteLine("CR3 0x" + cr3.ToString("x") + ": " + pages.Count + " leaf entries, " + count + " W+X 4 KiB pages");
        foreach (WritableExecutableRange range in ranges)
            _output.WriteLine("  W+X " + range);
        Assert.True(pages.Count > 0, "no page is mapped under CR3 0x" + cr3.ToString("x"));
        Assert.True(count == 0, count + " W+X 4 KiB pages in the kernel's tables (CR3 0x" + cr3.ToString("x") + "): "
            + string.Join(", ", ranges.Take(8)));
    }

    private static ulong Register(string registers, string name)
    {
        Match match = Regex.Match(registers, @"\b" + name + @"=([0-9a-fA-F]+)");
        Assert.True(match.Success, name + " not found in 'info registers':\n" + registers);
        return ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber);
    }
}
