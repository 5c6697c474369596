// Where in the repository the boot tests find the test kernel, the catalog, the font and the scripts.
using System;
using System.IO;

namespace Kernel.BootTests.Harness;

/// <summary>Locations in the repository that the boot tests read: the test ESP, the catalog, the font.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new Lazy<string>(FindRoot);

    /// <summary>The repository root: the nearest folder above the test binaries that holds Directory.Build.props.</summary>
    public static string Root => s_root.Value;

    /// <summary>The test kernel's ESP folder (EFI/BOOT/BOOTX64.EFI, boot.cfg, kernel.sym).</summary>
    public static string TestEsp => Path.Combine(Root, "artifacts", "esp", "test");

    /// <summary>The test kernel's UEFI executable.</summary>
    public static string TestKernelImage => Path.Combine(TestEsp, "EFI", "BOOT", "BOOTX64.EFI");

    /// <summary>The in-kernel test catalog source.</summary>
    public static string TestCatalogSource => Path.Combine(Root, "kernel", "Testing", "TestCatalog.cs");

    /// <summary>The decompressed PSF font the test kernel embeds.</summary>
    public static string ConsoleFont => Path.Combine(Root, "artifacts", "native", "test", "console-font.psf");

    /// <summary>The script that builds the release (GPT + FAT32 ESP) disk image.</summary>
    public static string MakeImageScript => Path.Combine(Root, "scripts", "make-image.sh");

    /// <summary>Where screenshots for the README go.</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

    /// <summary>Throws with build instructions when the test kernel has not been built.</summary>
    public static void RequireTestKernel()
    {
        if (!File.Exists(TestKernelImage))
        {
            throw new InvalidOperationException(
                "The test kernel is missing: " + TestKernelImage + " does not exist. "
                + "Build it first with ./build.sh --target=Test (the boot tests never build the kernel themselves).");
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
                return dir.FullName;
        }

        throw new InvalidOperationException("No Directory.Build.props above " + AppContext.BaseDirectory + "; cannot find the repository root.");
    }
}
