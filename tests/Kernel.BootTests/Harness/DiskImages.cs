// The disk a boot starts from: a plain FAT image or the release GPT image, each with the boot's own boot.cfg.
using System.IO;

namespace Kernel.BootTests.Harness;

/// <summary>Builds the disk a boot starts from: the test ESP plus a boot.cfg written for that boot.</summary>
internal static class DiskImages
{
    // 64 MiB superfloppy (a FAT file system with no partition table); OVMF boots it as removable media.
    private const string FatImageKibibytes = "65536";

    /// <summary>A partitionless FAT image in <paramref name="workDirectory"/>: quick, used for most boots.</summary>
    public static string CreateFatImage(string workDirectory, string bootConfig)
    {
        string image = Path.Combine(workDirectory, "disk.img");
        string config = WriteBootConfig(workDirectory, bootConfig);
        ExternalTool.Run("mkfs.fat", "-C", image, FatImageKibibytes);
        var copyEsp = new System.Collections.Generic.List<string> { "-s", "-i", image };
        foreach (string entry in Directory.GetFileSystemEntries(RepoPaths.TestEsp))
            copyEsp.Add(entry);
        copyEsp.Add("::/");
        ExternalTool.Run("mcopy", copyEsp.ToArray());
        ExternalTool.Run("mcopy", "-o", "-i", image, config, "::/boot.cfg");
        return image;
    }

    /// <summary>
    /// The release format: scripts/make-image.sh run on a copy of the test ESP with our boot.cfg, giving a GPT
    /// disk with a FAT32 EFI System Partition (what gets written to a USB stick).
    /// </summary>
    public static string CreateGptImage(string workDirectory, string bootConfig)
    {
        string esp = Path.Combine(workDirectory, "esp");
        CopyDirectory(RepoPaths.TestEsp, esp);
        File.Copy(WriteBootConfig(workDirectory, bootConfig), Path.Combine(esp, "boot.cfg"), overwrite: true);
        string image = Path.Combine(workDirectory, "gpt.img");
        ExternalTool.Run("bash", RepoPaths.MakeImageScript, esp, image);
        return image;
    }

    private static string WriteBootConfig(string workDirectory, string bootConfig)
    {
        string path = Path.Combine(workDirectory, "boot.cfg");
        File.WriteAllText(path, "# written by Kernel.BootTests\n" + bootConfig + "\n");
        return path;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(source))
            CopyDirectory(dir, Path.Combine(target, Path.GetFileName(dir)));
    }
}
