// Tests for BootOptions: boot.cfg syntax, LoadOptions precedence, the shell's program path, and diagnostics.
using System;
using System.Collections.Generic;
using System.Text;
using CsCheck;
using Kernel.Boot;
using Kernel.Console;
using Kernel.HostTests.PropertyTesting;
using Kernel.Interrupts;
using Xunit;

namespace Kernel.HostTests.Boot;

public class BootOptionsTests
{
    private static BootOptions Parse(string config, string loadOptions)
    {
        return BootOptions.Parse(Encoding.UTF8.GetBytes(config ?? ""), (loadOptions ?? "").AsSpan());
    }

    private static List<string> Diagnostics(BootOptions options)
    {
        List<string> messages = new List<string>();
        for (int i = 0; i < options.DiagnosticCount; i++)
        {
            messages.Add(options.GetDiagnostic(i));
        }

        return messages;
    }

    [Fact]
    public void DefaultsWhenNothingIsGiven()
    {
        BootOptions options = Parse("", "");
        Assert.False(options.TestMode);
        Assert.Null(options.TestFilter);
        Assert.False(options.BenchMode);
        Assert.Null(options.BenchFilter);
        Assert.Equal(ConsoleTarget.Both, options.ConsoleTarget);
        Assert.Equal(IrqMode.Auto, options.IrqMode);
        Assert.Equal(1920, options.VideoMaxWidth);
        Assert.Equal(1080, options.VideoMaxHeight);
        Assert.Equal(0, options.DiagnosticCount);
        Assert.Equal("console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", options.EffectiveLine);
    }

    [Fact]
    public void ReadsConfigWithCommentsBlankLinesAndCrLf()
    {
        string config = "# kernel boot options\r\n\r\n  console=serial   # log to COM1 only\r\nirq=apic\tvideo=1024x768\r\n#test\r\n";
        BootOptions options = Parse(config, null);

        Assert.Equal(ConsoleTarget.Serial, options.ConsoleTarget);
        Assert.Equal(IrqMode.Apic, options.IrqMode);
        Assert.Equal(1024, options.VideoMaxWidth);
        Assert.Equal(768, options.VideoMaxHeight);
        Assert.False(options.TestMode);
        Assert.Empty(Diagnostics(options));
        Assert.Equal("console=serial irq=apic timer=100 heap=tlsf gc=precise video=1024x768", options.EffectiveLine);
    }

    [Fact]
    public void CommentMayFollowTokenWithoutSpace()
    {
        BootOptions options = Parse("irq=pic#forced for old boards\ntest", null);
        Assert.Equal(IrqMode.Pic, options.IrqMode);
        Assert.True(options.TestMode);
        Assert.Empty(Diagnostics(options));
    }

    [Fact]
    public void SkipsUtf8ByteOrderMarkAndCommentWithoutFinalNewline()
    {
        byte[] config = { 0xEF, 0xBB, 0xBF };
        byte[] text = Encoding.ASCII.GetBytes("console=screen # no newline at end");
        byte[] all = new byte[config.Length + text.Length];
        config.CopyTo(all, 0);
        text.CopyTo(all, config.Length);

        BootOptions options = BootOptions.Parse(all, ReadOnlySpan<char>.Empty);
        Assert.Equal(ConsoleTarget.Screen, options.ConsoleTarget);
        Assert.Empty(Diagnostics(options));
    }

    [Fact]
    public void LoadOptionsOverrideConfigForSameKey()
    {
        BootOptions options = Parse("console=serial irq=pic timer=100 heap=tlsf gc=precise video=800x600 test=Memory", "irq=apic test");

        Assert.Equal(ConsoleTarget.Serial, options.ConsoleTarget);
        Assert.Equal(IrqMode.Apic, options.IrqMode);
        Assert.Equal(800, options.VideoMaxWidth);
        Assert.True(options.TestMode);
        Assert.Null(options.TestFilter);
        Assert.Equal("test console=serial irq=apic timer=100 heap=tlsf gc=precise video=800x600", options.EffectiveLine);
    }

    [Fact]
    public void InvalidLoadOptionKeepsConfigValue()
    {
        BootOptions options = Parse("irq=pic", "irq=bogus");
        Assert.Equal(IrqMode.Pic, options.IrqMode);
        Assert.Equal(new[] { "boot option ignored: irq=bogus (expected pic, apic or auto)" }, Diagnostics(options));
    }

    [Fact]
    public void LaterOptionWinsWithinOneSource()
    {
        BootOptions options = Parse("console=serial console=screen", "video=640x480 video=1280x720");
        Assert.Equal(ConsoleTarget.Screen, options.ConsoleTarget);
        Assert.Equal((1280, 720), (options.VideoMaxWidth, options.VideoMaxHeight));
    }

    [Theory]
    [InlineData("fs0:\\EFI\\BOOT\\BOOTX64.EFI console=serial")]
    [InlineData("BOOTX64.EFI console=serial")]
    [InlineData("kernel.efi console=serial")]
    [InlineData("\"fs0:\\My Kernels\\kernel.efi\" console=serial")]
    [InlineData("  fs0:\\EFI\\BOOT\\BOOTX64.EFI\tconsole=serial\0\0")]
    public void SkipsProgramPathFromUefiShell(string loadOptions)
    {
        BootOptions options = Parse("", loadOptions);
        Assert.Equal(ConsoleTarget.Serial, options.ConsoleTarget);
        Assert.Empty(Diagnostics(options));
    }

    [Fact]
    public void ProgramPathIsOnlySkippedAsFirstToken()
    {
        BootOptions options = Parse("", "console=serial BOOTX64.EFI");
        Assert.Equal(new[] { "boot option ignored: BOOTX64.EFI (unknown option)" }, Diagnostics(options));
    }

    [Fact]
    public void StopsLoadOptionsAtFirstNul()
    {
        BootOptions options = Parse("", "irq=pic\0irq=apic garbage");
        Assert.Equal(IrqMode.Pic, options.IrqMode);
        Assert.Empty(Diagnostics(options));
    }

    [Theory]
    [InlineData("test=Memory", "Memory")]
    [InlineData("test=console.grid_scroll-2", "console.grid_scroll-2")]
    [InlineData("TEST=Psf", "Psf")]
    public void TestOptionWithNameSetsFilter(string token, string filter)
    {
        BootOptions options = Parse(token, null);
        Assert.True(options.TestMode);
        Assert.Equal(filter, options.TestFilter);
        Assert.Equal("test=" + filter + " console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", options.EffectiveLine);
    }

    [Theory]
    [InlineData("bench", null)]
    [InlineData("bench=heap", "heap")]
    [InlineData("BENCH=tasks.interrupt_wake", "tasks.interrupt_wake")]
    public void BenchOptionSetsBenchModeAndFilter(string token, string filter)
    {
        BootOptions options = Parse(token, null);
        Assert.True(options.BenchMode);
        Assert.Equal(filter, options.BenchFilter);
        Assert.False(options.TestMode);
        Assert.Equal((filter == null ? "bench" : "bench=" + filter) + " console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", options.EffectiveLine);
    }

    [Fact]
    public void TestAndBenchReplaceEachOtherLaterWinning()
    {
        BootOptions bench = Parse("test=heap", "bench=tasks");
        Assert.True(bench.BenchMode);
        Assert.Equal("tasks", bench.BenchFilter);
        Assert.False(bench.TestMode);
        Assert.Null(bench.TestFilter);

        BootOptions test = Parse("bench=heap test", null);
        Assert.True(test.TestMode);
        Assert.Null(test.TestFilter);
        Assert.False(test.BenchMode);
        Assert.Null(test.BenchFilter);
        Assert.Equal("test console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", test.EffectiveLine);
    }

    [Theory]
    [InlineData("console=SERIAL", ConsoleTarget.Serial)]
    [InlineData("console=screen", ConsoleTarget.Screen)]
    [InlineData("Console=Both", ConsoleTarget.Both)]
    public void AcceptsEveryConsoleTarget(string token, ConsoleTarget expected)
    {
        Assert.Equal(expected, Parse("", token).ConsoleTarget);
    }

    [Theory]
    [InlineData("irq=pic", IrqMode.Pic)]
    [InlineData("irq=APIC", IrqMode.Apic)]
    [InlineData("irq=auto", IrqMode.Auto)]
    public void AcceptsEveryIrqMode(string token, IrqMode expected)
    {
        Assert.Equal(expected, Parse("irq=pic", token).IrqMode);
    }

    [Theory]
    [InlineData("video=320x200", 320, 200)]
    [InlineData("video=7680x4320", 7680, 4320)]
    [InlineData("video=2560X1440", 2560, 1440)]
    [InlineData("video=01024x0768", 1024, 768)]
    public void AcceptsVideoModesWithinBounds(string token, int width, int height)
    {
        BootOptions options = Parse(token, null);
        Assert.Equal((width, height), (options.VideoMaxWidth, options.VideoMaxHeight));
        Assert.Empty(Diagnostics(options));
    }

    [Theory]
    [InlineData("console=", "expected serial, screen or both")]
    [InlineData("console", "expected serial, screen or both")]
    [InlineData("console=vga", "expected serial, screen or both")]
    [InlineData("irq=foo", "expected pic, apic or auto")]
    [InlineData("irq=", "expected pic, apic or auto")]
    [InlineData("irq", "expected pic, apic or auto")]
    [InlineData("video=12x", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=x480", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=1024", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=319x200", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=320x199", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=7681x4320", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=7680x4321", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=99999999999x600", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=800x600x32", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=-800x600", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video=", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("video", "expected <width>x<height> between 320x200 and 7680x4320")]
    [InlineData("test=", "expected test or test=<name> using letters, digits, '.', '_' or '-'")]
    [InlineData("test=a/b", "expected test or test=<name> using letters, digits, '.', '_' or '-'")]
    [InlineData("test=a=b", "expected test or test=<name> using letters, digits, '.', '_' or '-'")]
    [InlineData("bench=", "expected bench or bench=<name> using letters, digits, '.', '_' or '-'")]
    [InlineData("bench=a/b", "expected bench or bench=<name> using letters, digits, '.', '_' or '-'")]
    [InlineData("quiet", "unknown option")]
    [InlineData("=value", "unknown option")]
    [InlineData("=", "unknown option")]
    [InlineData("consoles=serial", "unknown option")]
    public void MalformedOptionProducesDiagnosticAndIsIgnored(string token, string reason)
    {
        foreach (BootOptions options in new[] { Parse(token, null), Parse(null, token) })
        {
            Assert.Equal(new[] { "boot option ignored: " + token + " (" + reason + ")" }, Diagnostics(options));
            Assert.Equal("console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", options.EffectiveLine);
        }
    }

    [Fact]
    public void TestNameLongerThanLimitIsRejected()
    {
        string name = new string('a', BootOptions.MaxTestNameLength);
        Assert.Equal(name, Parse("test=" + name, null).TestFilter);

        BootOptions options = Parse("test=" + name + "b", null);
        Assert.False(options.TestMode);
        Assert.Equal(1, options.DiagnosticCount);
    }

    [Fact]
    public void OverlongTokenIsRejectedAndQuotedShortened()
    {
        string token = "x" + new string('y', 1000);
        BootOptions options = Parse(token + " irq=apic", null);
        Assert.Equal(IrqMode.Apic, options.IrqMode);
        string message = Assert.Single(Diagnostics(options));
        Assert.Equal("boot option ignored: " + token.Substring(0, 48) + "... (too long)", message);
    }

    [Fact]
    public void NonAsciiConfigBytesAreRejectedVisibly()
    {
        byte[] config = Encoding.UTF8.GetBytes("console=s\u00E9rial");
        BootOptions options = BootOptions.Parse(config, ReadOnlySpan<char>.Empty);
        Assert.Equal(ConsoleTarget.Both, options.ConsoleTarget);
        Assert.Equal("boot option ignored: console=s\uFFFD\uFFFDrial (expected serial, screen or both)", options.GetDiagnostic(0));
    }

    [Fact]
    public void DiagnosticsStopAtCapacityAndCountOverflow()
    {
        StringBuilder config = new StringBuilder();
        for (int i = 0; i < 20; i++)
        {
            config.Append("bad").Append(i).Append('\n');
        }

        BootOptions options = Parse(config.ToString(), "irq=x irq=apic");
        Assert.Equal(BootOptions.MaxDiagnostics, options.DiagnosticCount);
        Assert.Equal(5, options.DroppedDiagnosticCount);
        Assert.Equal("boot option ignored: bad0 (unknown option)", options.GetDiagnostic(0));
        Assert.Equal("boot option ignored: bad15 (unknown option)", options.GetDiagnostic(15));
        Assert.Null(options.GetDiagnostic(16));
        Assert.Null(options.GetDiagnostic(-1));
        // Options after the overflow still apply.
        Assert.Equal(IrqMode.Apic, options.IrqMode);
    }

    [Fact]
    public void ApplyOptionCanBeUsedDirectly()
    {
        BootOptions options = new BootOptions();
        options.ApplyOption("console=serial".AsSpan());
        options.ApplyConfigFile(Encoding.ASCII.GetBytes("irq=pic"));
        options.ApplyLoadOptions("x.efi video=640x480".AsSpan());
        Assert.Equal("console=serial irq=pic timer=100 heap=tlsf gc=precise video=640x480", options.EffectiveLine);
    }

    [Fact]
    public void OnlyWhitespaceAndCommentsYieldDefaults()
    {
        BootOptions options = Parse(" \t\r\n#only a comment\r\n\f\v\0", " \t ");
        Assert.Equal("console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080", options.EffectiveLine);
        Assert.Equal(0, options.DiagnosticCount);
    }

    [Fact]
    public void SmpIsOnAndAllCpusRunByDefault()
    {
        BootOptions options = Parse("", "");
        Assert.True(options.SmpEnabled);
        Assert.Equal(0, options.CpuLimit);
    }

    [Theory]
    [InlineData("smp=off", false, 0, "console=both irq=auto timer=100 heap=tlsf gc=precise smp=off video=1920x1080")]
    [InlineData("smp=OFF smp=on", true, 0, "console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080")]
    [InlineData("cpus=1", true, 1, "console=both irq=auto timer=100 heap=tlsf gc=precise cpus=1 video=1920x1080")]
    [InlineData("CPUS=1024", true, 1024, "console=both irq=auto timer=100 heap=tlsf gc=precise cpus=1024 video=1920x1080")]
    [InlineData("cpus=4 cpus=0", true, 0, "console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080")]
    [InlineData("cpus=002", true, 2, "console=both irq=auto timer=100 heap=tlsf gc=precise cpus=2 video=1920x1080")]
    [InlineData("smp=off cpus=2 gcstress=7", false, 2,
        "console=both irq=auto timer=100 heap=tlsf gc=precise gcstress=7 smp=off cpus=2 video=1920x1080")]
    public void SmpAndCpusAreReadAndShownOnlyWhenNotDefault(string text, bool smp, int cpus, string line)
    {
        foreach (BootOptions options in new[] { Parse(text, null), Parse(null, text) })
        {
            Assert.Empty(Diagnostics(options));
            Assert.Equal((smp, cpus), (options.SmpEnabled, options.CpuLimit));
            Assert.Equal(line, options.EffectiveLine);
        }
    }

    /// <summary>usb=off turns the USB stack off and is shown; usb=on is the default and is not.</summary>
    [Theory]
    [InlineData("usb=off", false, "console=both irq=auto timer=100 heap=tlsf gc=precise usb=off video=1920x1080")]
    [InlineData("usb=OFF usb=on", true, "console=both irq=auto timer=100 heap=tlsf gc=precise video=1920x1080")]
    public void UsbIsReadAndShownOnlyWhenOff(string text, bool usb, string line)
    {
        foreach (BootOptions options in new[] { Parse(text, null), Parse(null, text) })
        {
            Assert.Empty(Diagnostics(options));
            Assert.Equal(usb, options.UsbEnabled);
            Assert.Equal(line, options.EffectiveLine);
        }
    }

    /// <summary>A usb value other than on or off is rejected with a diagnostic and the default kept.</summary>
    [Fact]
    public void UsbRejectsOtherValues()
    {
        BootOptions options = Parse("usb=maybe", null);

        Assert.True(options.UsbEnabled);
        Assert.Contains("expected on or off", Assert.Single(Diagnostics(options)));
    }

    [Fact]
    public void LoadOptionsOverrideSmpAndCpusFromConfig()
    {
        BootOptions options = Parse("smp=off cpus=2", "smp=on cpus=8");
        Assert.Equal((true, 8), (options.SmpEnabled, options.CpuLimit));
    }

    [Theory]
    [InlineData("smp", "expected on or off")]
    [InlineData("smp=", "expected on or off")]
    [InlineData("smp=1", "expected on or off")]
    [InlineData("smp=yes", "expected on or off")]
    [InlineData("cpus", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    [InlineData("cpus=", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    [InlineData("cpus=1025", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    [InlineData("cpus=-1", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    [InlineData("cpus=two", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    [InlineData("cpus=99999999999", "expected cpus=<N> between 1 and 1024, or 0 for all")]
    public void BadSmpAndCpusValuesAreRejectedAndKeepTheEarlierValue(string token, string reason)
    {
        foreach (BootOptions options in new[] { Parse("smp=off cpus=3", token), Parse("smp=off cpus=3 " + token, null) })
        {
            Assert.Equal(new[] { "boot option ignored: " + token + " (" + reason + ")" }, Diagnostics(options));
            Assert.Equal((false, 3), (options.SmpEnabled, options.CpuLimit));
        }
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void NoConfigFileOrLoadOptionsMakeTheParserThrow()
    {
        // Any bytes for boot.cfg, any UTF-16 text for the load options, and text made of option-like pieces.
        Gen<string> pieces = Gen.OneOf(Gen.Const("timer="), Gen.Const("video="), Gen.Const("heap="), Gen.Const("x"), Gen.Const("="),
            Gen.Const(" "), Gen.Const("\n"), Gen.Const("#"), Gen.Const("\0"), Gen.Const("99999999999"), Gen.Const("test="),
            Gen.Const("cpus="), Gen.Const("smp="), Gen.Const("1024"), Gen.Const("off"))
            .Array[0, 30].Select(p => string.Concat(p));
        Gen.Select(Gen.Byte.Array[0, 200], Gen.OneOf(Gen.String, pieces)).ForAll((config, loadOptions) =>
        {
            BootOptions options = BootOptions.Parse(config, loadOptions.AsSpan());

            Assert.InRange(options.DiagnosticCount, 0, BootOptions.MaxDiagnostics);
            for (int i = 0; i < options.DiagnosticCount; i++)
                Assert.NotNull(options.GetDiagnostic(i));
            Assert.InRange(options.VideoMaxWidth, BootOptions.MinVideoWidth, BootOptions.MaxVideoWidth);
            Assert.InRange(options.VideoMaxHeight, BootOptions.MinVideoHeight, BootOptions.MaxVideoHeight);
            Assert.InRange(options.CpuLimit, 0, BootOptions.MaxCpuLimit);
        }, iterations: 1000, print: t => $"boot.cfg {Convert.ToHexString(t.Item1)}, load options \"{t.Item2}\"");
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ValidOptionsInEitherSourceReadBackAsWritten()
    {
        Gen.Select(Gen.Int[BootOptions.MinTimerHz, BootOptions.MaxTimerHz], Gen.Int[BootOptions.MinVideoWidth, BootOptions.MaxVideoWidth],
                Gen.Int[BootOptions.MinVideoHeight, BootOptions.MaxVideoHeight], Gen.OneOf(Gen.Const("bump"), Gen.Const("list"), Gen.Const("block"), Gen.Const("tlsf")),
                Gen.Bool)
            .ForAll((hz, width, height, heap, inConfig) =>
            {
                string text = $"timer={hz} video={width}x{height} heap={heap}";
                BootOptions options = inConfig ? Parse(text.Replace(' ', '\n'), null) : Parse(null, text);

                Assert.Empty(Diagnostics(options));
                Assert.Equal((hz, width, height, heap), (options.TimerHz, options.VideoMaxWidth, options.VideoMaxHeight, options.HeapDesign));
            });
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void SmpAndCpusReadBackAsWritten()
    {
        Gen.Select(Gen.Int[0, BootOptions.MaxCpuLimit], Gen.Bool, Gen.Bool).ForAll((cpus, smp, inConfig) =>
        {
            string text = "cpus=" + cpus + " smp=" + (smp ? "on" : "off");
            BootOptions options = inConfig ? Parse(text, null) : Parse(null, text);

            Assert.Empty(Diagnostics(options));
            Assert.Equal((cpus, smp), (options.CpuLimit, options.SmpEnabled));
            Assert.Equal(cpus > 0, options.EffectiveLine.Contains(" cpus=" + cpus + " "));
            Assert.Equal(!smp, options.EffectiveLine.Contains(" smp=off "));
        });
    }
}
