// Boot tests of the boot chapter: bad boot options are reported and ignored, and the release GPT image boots.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>The boot with bad options next to <c>test=boot</c>: three options the kernel must ignore and report.</summary>
public sealed class BadOptionsBoot : SharedBoot
{
    /// <summary>The unknown or malformed options in the boot.cfg.</summary>
    public static readonly string[] BadOptions = { "irq=foo", "bogus_option", "video=12x" };

    /// <summary>Prepares the boot.</summary>
    public BadOptionsBoot()
        : base("test=boot " + string.Join(" ", BadOptions))
    {
    }
}

/// <summary>Bad boot options are reported on serial and never stop the boot or its tests.</summary>
public sealed class BootOptionsBootTests : IClassFixture<BadOptionsBoot>
{
    private readonly BootResult _boot;

    /// <summary>Gets the shared boot.</summary>
    public BootOptionsBootTests(BadOptionsBoot boot)
    {
        _boot = boot.Result;
    }

    /// <summary>Rows for <see cref="BadOptionIsReported"/>.</summary>
    public static IEnumerable<object[]> BadOptionData => BadOptionsBoot.BadOptions.Select(o => new object[] { o });

    /// <summary>Each bad option gets its own "boot option ignored: OPTION (why)" line.</summary>
    [Theory]
    [MemberData(nameof(BadOptionData))]
    public void BadOptionIsReported(string option) =>
        BootAssert.HasLineMatching(_boot, "^boot option ignored: " + System.Text.RegularExpressions.Regex.Escape(option) + @" \(.+\)$");

    /// <summary>The boot group ran and passed despite the bad options, and the run reported success.</summary>
    [Fact]
    public void BootGroupStillPasses()
    {
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("boot");
        Assert.True(group.Count > 0, "The catalog has no boot.* tests.");
        foreach (string name in group)
            BootAssert.TestPassed(_boot, name);
        BootAssert.Summary(_boot, group.Count, 0);
        BootAssert.ExitCode(_boot, BootResult.SuccessExitCode);
    }

    /// <summary>
    /// Just before "ready" the boot log has one line of TSC-stamped phases from EfiMain on (issue 17), in boot order,
    /// and the total is the sum of the phases within rounding.
    /// </summary>
    [Fact]
    public void BootLogTimesEveryPhase()
    {
        string line = _boot.Lines.FirstOrDefault(l => l.StartsWith("boot: ", StringComparison.Ordinal) && l.Contains(" ms in the kernel", StringComparison.Ordinal));
        Assert.True(line != null, "no boot phases line\n" + _boot.Describe());
        Match header = Regex.Match(line, @"^boot: (\d+\.\d) ms in the kernel \(TSC at entry \d+\.\d ms\): (.+)$");
        Assert.True(header.Success, line);
        string[] phases = header.Groups[2].Value.Split(", ");
        string[] expected = { "runtime start", "boot files", "firmware tables", "screen mode", "exit boot services", "own GDT and IDT", "symbols",
            "console", "memory map", "page tables", "heap and collector", "ACPI", "interrupts and timer calibration", "PCI", "USB hand-off",
            "PS/2", "input", "other CPUs", "boot log and executor" };
        Assert.Equal(expected, phases.Select(p => p.Substring(0, p.LastIndexOf(' '))).ToArray());
        double sum = phases.Sum(p => double.Parse(p.Substring(p.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture));
        double total = double.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(total, sum - 0.05 * phases.Length - 0.05, sum + 0.05 * phases.Length + 0.05);
        int ready = Array.FindIndex(_boot.Lines, l => l.TrimEnd() == "ready");
        Assert.Equal(line.TrimEnd(), _boot.Lines[ready - 1].TrimEnd());
    }

    /// <summary>The bad options changed nothing: the effective line shows the test filter and the irq default.</summary>
    [Fact]
    public void BadOptionsLeaveSettingsAlone()
    {
        BootAssert.HasLineMatching(_boot, @"^boot options: test=boot console=both irq=auto timer=100 heap=tlsf gc=precise video=\d+x\d+$");
        Assert.True(_boot.Lines.Count(l => l.StartsWith("boot option ignored")) == BadOptionsBoot.BadOptions.Length,
            "Expected exactly " + BadOptionsBoot.BadOptions.Length + " diagnostics.\n" + _boot.Describe());
    }
}

/// <summary>The release image format (scripts/make-image.sh: GPT disk, FAT32 ESP), as written to a USB stick, boots.</summary>
public sealed class GptImageBootTest
{
    /// <summary>Boots a make-image.sh image with <c>test=boot</c>; its tests pass and the run succeeds.</summary>
    [Fact]
    public void ReleaseImageFormatBootsAndPasses()
    {
        BootResult boot = BootHarness.Boot("test=boot", gptImage: true);

        BootAssert.HasLine(boot, "Hello World!");
        BootAssert.HasLineMatching(boot, @"^boot options: test=boot ");
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("boot");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
