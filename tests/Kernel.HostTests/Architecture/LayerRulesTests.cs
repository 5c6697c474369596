// Tests of the layers.txt format: comments and blank lines, self-dependency, and the mistakes it refuses.
using System;
using Xunit;

namespace Kernel.HostTests.Architecture;

public class LayerRulesTests
{
    [Fact]
    public void ParsesComponentsInOrderSkippingComments()
    {
        LayerRules rules = LayerRules.Parse("# bottom first\n\nCorelib:\nArch: Corelib   # the CPU\r\nTasks: Arch Corelib\n");

        Assert.Equal(new[] { "Corelib", "Arch", "Tasks" }, rules.Components);
        Assert.True(rules.IsAllowed("Tasks", "Arch"));
        Assert.True(rules.IsAllowed("Arch", "Corelib"));
        Assert.False(rules.IsAllowed("Arch", "Tasks"));
        Assert.False(rules.IsAllowed("Corelib", "Arch"));
    }

    [Fact]
    public void AComponentMayAlwaysUseItself()
    {
        LayerRules rules = LayerRules.Parse("Corelib:\n");

        Assert.True(rules.IsAllowed("Corelib", "Corelib"));
        Assert.True(rules.IsAllowed("Unlisted", "Unlisted"));
    }

    [Fact]
    public void AnUnlistedComponentMayUseNothingElse()
    {
        LayerRules rules = LayerRules.Parse("Corelib:\n");

        Assert.False(rules.Contains("Keyboard"));
        Assert.False(rules.IsAllowed("Keyboard", "Corelib"));
    }

    [Theory]
    [InlineData("Arch: Corelib\nCorelib:\n", "line 1")]
    [InlineData("Corelib:\nCorelib:\n", "listed twice")]
    [InlineData("Corelib\n", "expected")]
    [InlineData(": Corelib\n", "expected")]
    [InlineData("Corelib:\nArch: Core-lib\n", "not a component name")]
    public void RefusesMistakes(string text, string expectedInMessage)
    {
        FormatException error = Assert.Throws<FormatException>(() => LayerRules.Parse(text));

        Assert.Contains(expectedInMessage, error.Message);
    }

    [Fact]
    public void TheKernelsLayersFileParses()
    {
        LayerRules rules = LayerRules.LoadDefault();

        Assert.Equal("Corelib", rules.Components[0]);
        Assert.Equal("Boot", rules.Components[rules.Components.Count - 1]);
        Assert.True(rules.IsAllowed("Interrupts", "Acpi"));
        Assert.False(rules.IsAllowed("Interrupts", "Tasks"));
    }
}
