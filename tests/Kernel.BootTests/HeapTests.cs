// Boot tests of the heap chapter: the heap tests pass with every allocator design.
using System.Collections.Generic;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>Every heap design can run the whole kernel: the heap and exceptions groups pass with each one selected by boot option.</summary>
public sealed class HeapBootTests
{
    /// <summary>Boots <c>test=heap heap=DESIGN</c>; the boot log names the design and every heap test passes.</summary>
    [Theory]
    [InlineData("bump")]
    [InlineData("list")]
    [InlineData("block")]
    [InlineData("tlsf")]
    public void HeapTestsPassWithDesign(string design)
    {
        BootResult boot = BootHarness.Boot("test=heap heap=" + design);

        BootAssert.HasLineMatching(boot, "^heap " + design + ": ");
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("heap");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    /// <summary>Boots <c>test=exceptions heap=DESIGN</c>: exception dispatch allocates (traces, exception objects) on each design.</summary>
    [Theory]
    [InlineData("bump")]
    [InlineData("list")]
    [InlineData("block")]
    [InlineData("tlsf")]
    public void ExceptionTestsPassWithDesign(string design)
    {
        BootResult boot = BootHarness.Boot("test=exceptions heap=" + design);

        BootAssert.HasLineMatching(boot, "^heap " + design + ": ");
        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("exceptions");
        Assert.True(group.Count >= 10, "the exceptions group is in the catalog");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
