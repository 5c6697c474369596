// Finds the repository (the folder holding build.cake above the test assembly) and reads its kernel, efi and corelib sources.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Kernel.HostTests.Architecture;

public static class RepoSources
{
    /// <summary>The source folders, repo-relative; kernel/ and efi/ are checked, corelib/ is compiled only to bind.</summary>
    private static readonly (string Folder, bool IsChecked)[] Folders = { ("kernel", true), ("efi", true), ("corelib", false) };

    /// <summary>The repository root: the first folder holding build.cake, walking up from the test assembly.</summary>
    public static string FindRoot()
    {
        for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build.cake")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder holding build.cake above {AppContext.BaseDirectory}");
    }

    /// <summary>Every .cs file of kernel/, efi/ and corelib/ (build output folders bin/ and obj/ skipped), sorted by path.</summary>
    public static List<KernelSource> Read(string root)
    {
        List<KernelSource> sources = new List<KernelSource>();
        foreach ((string folder, bool isChecked) in Folders)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (IsBuildOutput(relative))
                {
                    continue;
                }

                sources.Add(new KernelSource(relative, File.ReadAllText(file), isChecked));
            }
        }

        return sources.OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split('/').Any(part => part == "bin" || part == "obj");
}
