// Boot tests of the boot chapter: bad boot options are reported and ignored, and the release GPT image boots.
using System.Collections.Generic;
using System.Linq;
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
