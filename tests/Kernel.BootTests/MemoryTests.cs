// Boot tests of the paging chapter: the memory tests pass with little (64 MiB) and with much RAM (16 GiB).
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>The memory tests pass with little and with much RAM: the direct map, frame allocator and page tables scale.</summary>
public sealed class MemorySizeBootTests
{
    /// <summary>Boots <c>test=memory</c> with the given RAM size (the harness default is 256 MiB).</summary>
    [Theory]
    [InlineData("64M", 40)]
    [InlineData("16G", 15000)]
    public void MemoryTestsPassWithRamSize(string ramSize, int minimumUsableMiB)
    {
        BootResult boot = BootHarness.Boot("test=memory", extraQemuArgs: new[] { "-m", ramSize });

        IReadOnlyList<string> group = KernelTestCatalog.NormalTestsInGroup("memory");
        foreach (string name in group)
            BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, group.Count, 0);
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
        var usable = Regex.Match(boot.Serial, @"memory: (\d+) MiB usable");
        Assert.True(usable.Success, "no memory line in the boot log");
        Assert.True(int.Parse(usable.Groups[1].Value) >= minimumUsableMiB,
            $"with -m {ramSize} expected at least {minimumUsableMiB} MiB usable, the kernel saw {usable.Groups[1].Value}");

        // The early heap is sized to need and its unused pages go back: the loader keeps little for good.
        Match early = BootAssert.HasLineMatching(boot, @"^early heap: (\d+) KiB used, (\d+) KiB from the firmware in \d+ step\(s\), (\d+) KiB given back$");
        Assert.True(int.Parse(early.Groups[3].Value) > 0, "nothing of the early heap was given back: " + early.Value);
        Match reserved = BootAssert.HasLineMatching(boot, @"reserved (\d+) KiB kernel and loader");
        Assert.True(int.Parse(reserved.Groups[1].Value) < 4096, "the kernel and loader keep too much: " + reserved.Value);
    }
}
