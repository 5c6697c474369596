// Boot tests of the heap chapter: the whole in-kernel suite passes with every allocator design.
using System.Collections.Generic;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>
/// Every heap design can run the whole kernel: the complete in-kernel suite (heap, exceptions, tasks, ...) passes
/// with each design selected by boot option. The default design, tlsf, is the suite's own boot (InKernelSuite).
/// </summary>
public sealed class HeapBootTests
{
    /// <summary>Boots <c>test heap=DESIGN</c>; the boot log names the design and every catalog test passes.</summary>
    [Theory]
    [InlineData("bump")]
    [InlineData("list")]
    [InlineData("block")]
    public void WholeSuitePassesWithDesign(string design)
    {
        BootResult boot = BootHarness.Boot("test heap=" + design);

        BootAssert.HasLineMatching(boot, "^heap " + design + ": ");
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTests;
        Assert.True(KernelTestCatalog.NormalTestsInGroup("exceptions").Count >= 10, "the exceptions group is in the catalog");
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
