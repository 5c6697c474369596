// The kernel's name and version, shown in the boot banner.
namespace Kernel.Boot;

/// <summary>Name and version.</summary>
public static class KernelVersion
{
    /// <summary>The kernel's name.</summary>
    public const string Name = "SharpKernel";

    /// <summary>Semantic version.</summary>
    public const string Version = "0.1.0";
}
