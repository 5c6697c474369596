// Folder == component: every file under kernel/ declares Kernel.<its immediate folder>, every file under efi/ declares Efi.
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Kernel.HostTests.Architecture;

public class NamespaceFolderTests
{
    [Fact]
    public void EveryKernelAndEfiFileDeclaresTheNamespaceOfItsFolder()
    {
        List<string> mismatches = KernelTree.Current.Checker.CheckedTrees
            .Select(tree => Mismatch(tree.FilePath, tree.GetRoot()))
            .Where(m => m != null)
            .ToList();

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} file(s) outside their folder's namespace:\n" + string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("kernel/Acpi/Madt.cs", "Kernel.Acpi")]
    [InlineData("kernel/Platform/Arch/Cpu.cs", "Kernel.Arch")]
    [InlineData("kernel/Chapters/Tasks/Executor.cs", "Kernel.Tasks")]
    [InlineData("efi/EfiStatus.cs", "Efi")]
    [InlineData("kernel/KernelMain.cs", null)]
    public void TheImmediateFolderNamesTheNamespace(string path, string expected)
    {
        Assert.Equal(expected, ExpectedNamespace(path));
    }

    [Theory]
    [InlineData("kernel/Acpi/Madt.cs", "namespace Kernel.Acpi;", null)]
    [InlineData("kernel/Acpi/Madt.cs", "namespace Kernel { namespace Acpi { } }", null)]
    [InlineData("kernel/Acpi/Madt.cs", "namespace Kernel.Boot { }", "kernel/Acpi/Madt.cs: declares Kernel.Boot, expected Kernel.Acpi")]
    [InlineData("kernel/Acpi/Madt.cs", "namespace Kernel.Acpi { } namespace Kernel.Boot { }", "kernel/Acpi/Madt.cs: declares Kernel.Acpi, Kernel.Boot, expected Kernel.Acpi")]
    [InlineData("kernel/Acpi/Madt.cs", "class Madt { }", "kernel/Acpi/Madt.cs: declares no namespace, expected Kernel.Acpi")]
    [InlineData("kernel/Platform/Arch/Cpu.cs", "namespace Kernel.Platform.Arch;", "kernel/Platform/Arch/Cpu.cs: declares Kernel.Platform.Arch, expected Kernel.Arch")]
    [InlineData("kernel/KernelMain.cs", "namespace Kernel;", "kernel/KernelMain.cs: a file directly under kernel/ belongs to no component")]
    public void MismatchesAreNamed(string path, string text, string expected)
    {
        Assert.Equal(expected, Mismatch(path, CSharpSyntaxTree.ParseText(text).GetRoot()));
    }

    /// <summary>Why the file is outside its folder's namespace, or null when it is not.</summary>
    internal static string Mismatch(string path, SyntaxNode root)
    {
        string expected = ExpectedNamespace(path);
        if (expected == null)
        {
            return $"{path}: a file directly under kernel/ belongs to no component";
        }

        List<string> declared = ComponentNames.DeclaredNamespaces(root);
        if (declared.Count > 0 && declared.All(ns => ns == expected))
        {
            return null;
        }

        string actual = declared.Count == 0 ? "no namespace" : string.Join(", ", declared.Distinct());
        return $"{path}: declares {actual}, expected {expected}";
    }

    /// <summary>
    /// Kernel.&lt;immediate parent folder&gt; for kernel/ files (grouping folders such as Platform above it do not
    /// count), Efi for efi/ files, null for a file directly under kernel/.
    /// </summary>
    internal static string ExpectedNamespace(string path)
    {
        string[] parts = path.Split('/');
        if (parts[0] == "efi")
        {
            return ComponentNames.Efi;
        }

        if (parts[0] != "kernel")
        {
            throw new ArgumentException($"{path} is not a kernel or efi file", nameof(path));
        }

        return parts.Length > 2 ? "Kernel." + parts[parts.Length - 2] : null;
    }
}
