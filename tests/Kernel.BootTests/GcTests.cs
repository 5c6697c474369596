// Boot tests of the garbage collector (kernel/Platform/Gc): the in-kernel gc group under gc=conservative with a 4 MiB
// heap, once per heap design (bump skips the reclamation test: it frees only when everything is dead).
using System.Collections.Generic;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>Reachable objects survive, a dropped cyclic graph is reclaimed, 10x heapmax of garbage fits.</summary>
public sealed class GcBootTests
{
    /// <summary>Boots <c>test=gc gc=conservative heapmax=4 heap=DESIGN</c>; the boot log names the mode and the gc tests pass.</summary>
    [Theory]
    [InlineData("tlsf")]
    [InlineData("list")]
    [InlineData("block")]
    [InlineData("bump")]
    public void CollectorTestsPassWithDesign(string design)
    {
        BootResult boot = BootHarness.Boot("test=gc gc=conservative heapmax=4 heap=" + design);

        BootAssert.HasLineMatching(boot, "^gc: conservative mark-sweep");
        IReadOnlyList<string> tests = KernelTestCatalog.NormalTestsInGroup("gc");
        Assert.Equal(3, tests.Count);
        foreach (string name in tests)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, tests.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }
}
