// One C# source file given to the layering checker: its repo-relative path, its text, and whether it is checked.
namespace Kernel.HostTests.Architecture;

/// <param name="Path">Repo-relative with forward slashes (kernel/Acpi/Madt.cs); it is what violation messages show.</param>
/// <param name="Text">The file's contents.</param>
/// <param name="IsChecked">
/// True for kernel/ and efi/ files, whose references are recorded; false for corelib/ files, which are compiled
/// only so that references into them bind.
/// </param>
public sealed record KernelSource(string Path, string Text, bool IsChecked);
