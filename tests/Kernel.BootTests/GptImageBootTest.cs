using System.Collections.Generic;

namespace Kernel.BootTests
{
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
}
