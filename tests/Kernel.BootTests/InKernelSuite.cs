// The full in-kernel test run (boot option test): one xunit test per catalog test, the banner and the summary.
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>The boot with <c>test</c>: every normal in-kernel test, run once and shared by <see cref="InKernelSuite"/>.</summary>
public sealed class FullTestRunBoot : SharedBoot
{
    /// <summary>Prepares the boot.</summary>
    public FullTestRunBoot()
        : base("test")
    {
    }
}

/// <summary>One xunit test per in-kernel test of the catalog, plus checks of the banner and the run's outcome.</summary>
public sealed class InKernelSuite : IClassFixture<FullTestRunBoot>
{
    private static readonly Regex s_testLine = new Regex(@"^test (?<name>\S+) \.\.\. ");
    private readonly BootResult _boot;

    /// <summary>Gets the shared boot.</summary>
    public InKernelSuite(FullTestRunBoot boot)
    {
        _boot = boot.Result;
    }

    /// <summary>The kernel test passed in the full run.</summary>
    [Theory]
    [MemberData(nameof(KernelTestCatalog.NormalTestData), MemberType = typeof(KernelTestCatalog))]
    public void KernelTestPasses(string name) => BootAssert.TestPassed(_boot, name);

    /// <summary>The kernel reported success to QEMU.</summary>
    [Fact]
    public void RunExitsWithSuccess() => BootAssert.ExitCode(_boot, BootResult.SuccessExitCode);

    /// <summary>The summary counts every normal catalog test as passed.</summary>
    [Fact]
    public void SummaryCountsEveryCatalogTest() => BootAssert.Summary(_boot, KernelTestCatalog.NormalTests.Count, 0);

    /// <summary>The kernel ran exactly the normal catalog tests, in catalog order (so the catalog parser misses none).</summary>
    [Fact]
    public void KernelRanTheCatalogTestsInOrder()
    {
        List<string> ran = _boot.Lines.Select(l => s_testLine.Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToList();
        Assert.True(ran.SequenceEqual(KernelTestCatalog.NormalTests),
            "Catalog: " + string.Join(", ", KernelTestCatalog.NormalTests) + "\nKernel ran: " + string.Join(", ", ran) + "\n" + _boot.Describe());
    }

    /// <summary>The banner (Hello World!, screen, memory, ready) comes before the first test.</summary>
    [Fact]
    public void BannerPrecedesTheTests()
    {
        int hello = BootAssert.HasLine(_boot, "Hello World!");
        (int width, int height) = BootAssert.ScreenSize(_boot);
        Assert.True(width >= 320 && height >= 200, "Implausible screen size " + width + "x" + height + ".\n" + _boot.Describe());
        BootAssert.HasLineMatching(_boot, @"^memory: \d+ MiB usable \(the firmware.s map describes \d+ MiB in \d+ regions, device memory included\)$");
        int ready = BootAssert.HasLine(_boot, "ready");
        int firstTest = System.Array.FindIndex(_boot.Lines, l => s_testLine.IsMatch(l));
        Assert.True(hello < ready && ready < firstTest, "Expected 'Hello World!', then 'ready', then the tests.\n" + _boot.Describe());
        string[] banner = _boot.Lines.Skip(hello).Take(ready - hello).ToArray();
        Assert.True(banner.Any(l => l.StartsWith("screen: ")) && banner.Any(l => l.StartsWith("memory: ")),
            "The screen and memory lines belong between 'Hello World!' and 'ready'.\n" + _boot.Describe());
    }

    /// <summary>A boot.cfg of just <c>test</c> gives no ignored-option diagnostics and no panic.</summary>
    [Fact]
    public void CleanRunHasNoDiagnosticsOrPanic()
    {
        Assert.True(_boot.FirstLineStartingWith("boot option ignored") == null, "Unexpected diagnostic.\n" + _boot.Describe());
        Assert.True(!_boot.Serial.Contains("KERNEL PANIC"), "Unexpected panic.\n" + _boot.Describe());
    }
}
