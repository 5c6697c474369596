// Model-specific registers (Intel SDM Vol. 4 lists them; Vol. 3A §9.4 explains rdmsr/wrmsr): read and written
// through this type only, so every MSR a driver touches is a named constant at its declaration.
namespace Kernel.Arch;

/// <summary>One model-specific register.</summary>
public readonly struct ModelSpecificRegister
{
    /// <summary>The MSR at index (ecx for rdmsr/wrmsr).</summary>
    public ModelSpecificRegister(uint index) => Index = index;

    /// <summary>The register's index.</summary>
    public uint Index { get; }

    /// <summary>The MSR offset registers above this one (the x2APIC registers form such a block).</summary>
    public ModelSpecificRegister At(uint offset) => new ModelSpecificRegister(Index + offset);

    /// <summary>rdmsr. Reading an MSR the CPU lacks raises #GP: check CPUID first.</summary>
    public ulong Read() => Native.ReadMsr(Index);

    /// <summary>wrmsr. Writing reserved bits or an MSR the CPU lacks raises #GP.</summary>
    public void Write(ulong value) => Native.WriteMsr(Index, value);
}
