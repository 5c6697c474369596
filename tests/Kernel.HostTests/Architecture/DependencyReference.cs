// One place where code of one component names a symbol of another, e.g. kernel/Interrupts/X.cs:78 Tasks.Timers.OnTick.
namespace Kernel.HostTests.Architecture;

/// <param name="From">The component whose code holds the reference.</param>
/// <param name="To">The component that declares the referenced symbol.</param>
/// <param name="Path">The repo-relative file holding the reference.</param>
/// <param name="Line">The 1-based line of the reference.</param>
/// <param name="Symbol">The referenced symbol, namespace-qualified without the "Kernel." prefix (Tasks.Timers.OnTick).</param>
public sealed record DependencyReference(string From, string To, string Path, int Line, string Symbol)
{
    /// <summary>"path:line symbol", as shown in messages.</summary>
    public string Where => $"{Path}:{Line} {Symbol}";
}
