// Boot tests of the paging chapter: the memory tests pass with little and with much RAM.
using System.Collections.Generic;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>The memory tests pass with little and with much RAM: the direct map, frame allocator and page tables scale.</summary>
public sealed class MemorySizeBootTests
{
    /// <summary>Boots <c>test=memory</c> with the given RAM size (the harness default is 256 MiB).</summary>
    [Theory]
    [InlineData("128M", 64)]
    [InlineData("2G", 1800)]
    public void MemoryTestsPassWithRamSize(string ramSize, int minimumUsableMiB)
    {
        BootResult boot = BootHarness.Boot("test=memory", extraQemuArgs: new[] { "-m", ramSize });

        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("memory");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
        var usable = System.Text.RegularExpressions.Regex.Match(boot.Serial, @"memory: (\d+) MiB usable");
        Assert.True(usable.Success, "no memory line in the boot log");
        Assert.True(int.Parse(usable.Groups[1].Value) >= minimumUsableMiB,
            $"with -m {ramSize} expected at least {minimumUsableMiB} MiB usable, the kernel saw {usable.Groups[1].Value}");
    }
}
