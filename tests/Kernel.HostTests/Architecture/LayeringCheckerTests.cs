// Tests of the layering checker itself, on small in-memory sources: each way of naming a symbol of a higher
// component (fully qualified, using static, alias, generic argument, attribute, base list, new) is reported, and
// an allowed downward edge is not.
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Kernel.HostTests.Architecture;

public class LayeringCheckerTests
{
    /// <summary>Arch is the bottom, Tasks sits on it.</summary>
    private static readonly LayerRules Rules = LayerRules.Parse("Corelib:\nArch: Corelib\nTasks: Arch Corelib\n");

    /// <summary>Just enough of a corelib for the snippets to bind, compiled but not checked, like corelib/.</summary>
    private const string CorelibStub = @"
namespace System
{
    public class Object { }
    public abstract class ValueType { }
    public struct Void { }
    public struct Int32 { }
    public struct Boolean { }
    public sealed class String { }
    public abstract class Attribute { }
}";

    private const string TasksSource = @"
namespace Kernel.Tasks
{
    public static class Executor { public static void Run() { } }
    public class Job { }
    public sealed class MarkAttribute : System.Attribute { }
}";

    private const string ArchSource = @"
namespace Kernel.Arch
{
    public static class Cpu { public static void Halt() { } }
}";

    [Fact]
    public void FullyQualifiedCallWithoutUsingIsReported()
    {
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch { class A { void F() => Kernel.Tasks.Executor.Run(); } }",
            "kernel/Arch/A.cs:1 Tasks.Executor.Run");
    }

    [Fact]
    public void NameQualifiedFromInsideKernelIsReported()
    {
        // Inside namespace Kernel.Arch, "Tasks.Executor" already means Kernel.Tasks.Executor.
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch;\nclass A\n{\n    void F() => Tasks.Executor.Run();\n}",
            "kernel/Arch/A.cs:4 Tasks.Executor.Run");
    }

    [Fact]
    public void UsingStaticIsReported()
    {
        AssertOnlyArchToTasks(
            "using static Kernel.Tasks.Executor;\nnamespace Kernel.Arch { class A { void F() => Run(); } }",
            "kernel/Arch/A.cs:1 Tasks.Executor");
    }

    [Fact]
    public void CallThroughUsingStaticIsReportedOnItsOwnLine()
    {
        DependencyGraph graph = Check("using static Kernel.Tasks.Executor;\nnamespace Kernel.Arch { class A { void F() => Run(); } }");

        DependencyEdge edge = Assert.Single(graph.Violations(Rules));
        Assert.Contains(edge.References, r => r.Where == "kernel/Arch/A.cs:2 Tasks.Executor.Run");
    }

    [Fact]
    public void UsingAliasIsReported()
    {
        AssertOnlyArchToTasks(
            "using J = Kernel.Tasks.Job;\nnamespace Kernel.Arch { class A { object F() => null; } }",
            "kernel/Arch/A.cs:1 Tasks.Job");
    }

    [Fact]
    public void GenericTypeArgumentIsReported()
    {
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch { class Box<T> { } class A { Box<Kernel.Tasks.Job> _box; } }",
            "kernel/Arch/A.cs:1 Tasks.Job");
    }

    [Fact]
    public void GenericTypeArgumentNamedThroughUsingIsReported()
    {
        AssertOnlyArchToTasks(
            "using Kernel.Tasks;\nnamespace Kernel.Arch { class Box<T> { } class A { Box<Job> _box; } }",
            "kernel/Arch/A.cs:2 Tasks.Job");
    }

    [Fact]
    public void AttributeIsReported()
    {
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch { [Kernel.Tasks.Mark] class A { } }",
            "kernel/Arch/A.cs:1 Tasks.MarkAttribute");
    }

    [Fact]
    public void AttributeNamedThroughUsingIsReported()
    {
        AssertOnlyArchToTasks(
            "using Kernel.Tasks;\nnamespace Kernel.Arch { [Mark] class A { } }",
            "kernel/Arch/A.cs:2 Tasks.MarkAttribute");
    }

    [Fact]
    public void BaseListIsReported()
    {
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch { class A : Kernel.Tasks.Job { } }",
            "kernel/Arch/A.cs:1 Tasks.Job");
    }

    [Fact]
    public void ObjectCreationIsReported()
    {
        AssertOnlyArchToTasks(
            "namespace Kernel.Arch { class A { object F() => new Kernel.Tasks.Job(); } }",
            "kernel/Arch/A.cs:1 Tasks.Job");
    }

    [Fact]
    public void AllowedEdgeIsFoundButNotReported()
    {
        DependencyGraph graph = Check("namespace Kernel.Tasks { class T { void F() => Kernel.Arch.Cpu.Halt(); } }", "kernel/Tasks/T.cs");

        Assert.Empty(graph.Violations(Rules));
        DependencyEdge edge = Assert.Single(graph.Edges, e => e.From == "Tasks" && e.To == "Arch");
        Assert.Equal("Tasks -> Arch (kernel/Tasks/T.cs:1 Arch.Cpu.Halt)", edge.ToString());
    }

    [Fact]
    public void NamespaceOnlyUsingIsNotADependency()
    {
        DependencyGraph graph = Check("using Kernel.Tasks;\nnamespace Kernel.Arch { class A { } }");

        Assert.Empty(graph.Violations(Rules));
    }

    [Fact]
    public void UnlistedComponentIsNamedAndItsEdgesLeftToThatCheck()
    {
        DependencyGraph graph = Check("namespace Kernel.Keyboard { class K { void F() => Kernel.Tasks.Executor.Run(); } }", "kernel/Keyboard/K.cs");

        Assert.Equal(new[] { "Keyboard" }, graph.Unlisted(Rules));
        Assert.Empty(graph.Violations(Rules));
    }

    [Fact]
    public void ViolationMessageCountsAndListsEdgesSorted()
    {
        LayerRules rules = LayerRules.Parse("Corelib:\nArch: Corelib\nTasks: Corelib\n");
        DependencyGraph graph = Check(
            "namespace Kernel.Arch { class A { void F() => Kernel.Tasks.Executor.Run(); } }\n"
            + "namespace Kernel.Tasks { class T { void F() => Kernel.Arch.Cpu.Halt(); } }");

        string message = DependencyGraph.FormatViolations(graph.Violations(rules));

        Assert.Equal(
            "2 forbidden dependency edge(s) (see Architecture/layers.txt):\n"
            + "Arch -> Tasks (kernel/Arch/A.cs:1 Tasks.Executor.Run)\n"
            + "Tasks -> Arch (kernel/Arch/A.cs:2 Arch.Cpu.Halt)\n",
            message.Replace("\r\n", "\n"));
    }

    private static void AssertOnlyArchToTasks(string archFile, string expectedExample)
    {
        DependencyGraph graph = Check(archFile);

        DependencyEdge edge = Assert.Single(graph.Violations(Rules));
        Assert.Equal("Arch", edge.From);
        Assert.Equal("Tasks", edge.To);
        Assert.Equal($"Arch -> Tasks ({expectedExample})", edge.ToString());
        Assert.Empty(graph.Unlisted(Rules));
    }

    private static DependencyGraph Check(string checkedFile, string path = "kernel/Arch/A.cs")
    {
        List<KernelSource> sources = new List<KernelSource>
        {
            new KernelSource("corelib/System/Stub.cs", CorelibStub, false),
            new KernelSource("kernel/Tasks/Executor.cs", TasksSource, false),
            new KernelSource("kernel/Arch/Cpu.cs", ArchSource, false),
            new KernelSource(path, checkedFile, true),
        };
        return new LayeringChecker(sources).FindDependencies();
    }
}
