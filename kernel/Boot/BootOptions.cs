// Boot options from boot.cfg and the UEFI LoadOptions string (UEFI 2.10 §9.1 EFI_LOADED_IMAGE_PROTOCOL.LoadOptions).
using System;
using Kernel.Console;
using Kernel.Gc;
using Kernel.Heap;
using Kernel.Interrupts;

namespace Kernel.Boot;

/// <summary>
/// Kernel boot options. Sources are applied in order, later ones overriding earlier ones per key, so
/// <see cref="Parse"/> applies boot.cfg first and LoadOptions second. Bad input never fails: each ignored
/// token is recorded as a diagnostic for the boot log.
/// </summary>
public sealed class BootOptions
{
    /// <summary>Diagnostics kept; further ones are only counted in <see cref="DroppedDiagnosticCount"/>.</summary>
    public const int MaxDiagnostics = 16;

    /// <summary>Default largest video mode width chosen from the GOP mode list.</summary>
    public const int DefaultVideoMaxWidth = 1920;

    /// <summary>Default largest video mode height chosen from the GOP mode list.</summary>
    public const int DefaultVideoMaxHeight = 1080;

    /// <summary>Smallest accepted video width.</summary>
    public const int MinVideoWidth = 320;

    /// <summary>Largest accepted video width (8K UHD).</summary>
    public const int MaxVideoWidth = 7680;

    /// <summary>Smallest accepted video height.</summary>
    public const int MinVideoHeight = 200;

    /// <summary>Largest accepted video height (8K UHD).</summary>
    public const int MaxVideoHeight = 4320;

    /// <summary>Longest accepted test name.</summary>
    public const int MaxTestNameLength = 64;

    /// <summary>The default heap design.</summary>
    public const string DefaultHeapDesign = HeapDesigns.Default;

    /// <summary>Smallest accepted heap limit in MiB.</summary>
    public const int MinHeapMaxMiB = 1;

    /// <summary>Largest accepted heap limit in MiB.</summary>
    public const int MaxHeapMaxMiB = 65536;

    /// <summary>Largest accepted gcstress=N.</summary>
    public const int MaxGcStress = 1_000_000;

    /// <summary>Default timer interrupt rate in hertz.</summary>
    public const int DefaultTimerHz = 100;

    /// <summary>Slowest accepted timer rate.</summary>
    public const int MinTimerHz = 10;

    /// <summary>Fastest accepted timer rate.</summary>
    public const int MaxTimerHz = 1000;

    /// <summary>Largest accepted cpus=N.</summary>
    public const int MaxCpuLimit = 1024;

    /// <summary>Longest token considered; longer ones cannot be valid options and are rejected unread.</summary>
    public const int MaxTokenLength = 256;

    // Diagnostics quote at most this much of a bad token so garbage input cannot flood the log.
    private const int MaxQuotedLength = 48;
    private const int Utf8BomLength = 3;

    private readonly string[] _diagnostics = new string[MaxDiagnostics];

    /// <summary>Creates options with every setting at its default.</summary>
    public BootOptions()
    {
        ConsoleTarget = ConsoleTarget.Both;
        IrqMode = IrqMode.Auto;
        VideoMaxWidth = DefaultVideoMaxWidth;
        VideoMaxHeight = DefaultVideoMaxHeight;
    }

    /// <summary>True when the kernel should run its self tests (<c>test</c> or <c>test=name</c>).</summary>
    public bool TestMode { get; private set; }

    /// <summary>Name of the single test or test group to run, or null to run all tests.</summary>
    public string TestFilter { get; private set; }

    /// <summary>
    /// True when the kernel should run its benchmarks instead (<c>bench</c> or <c>bench=name</c>); <c>test</c> and
    /// <c>bench</c> replace each other, the later one winning.
    /// </summary>
    public bool BenchMode { get; private set; }

    /// <summary>Name of the single benchmark or benchmark group to run, or null to run all benchmarks.</summary>
    public string BenchFilter { get; private set; }

    /// <summary>Console output destination (<c>console=serial|screen|both</c>).</summary>
    public ConsoleTarget ConsoleTarget { get; private set; }

    /// <summary>Timer interrupt rate in hertz (<c>timer=&lt;hz&gt;</c>, default 100).</summary>
    public int TimerHz { get; private set; } = DefaultTimerHz;

    /// <summary>Kernel heap design (<c>heap=bump|list|block|tlsf</c>, default tlsf).</summary>
    public string HeapDesign { get; private set; } = DefaultHeapDesign;

    /// <summary>Most MiB the kernel heap may grow to (<c>heapmax=&lt;MiB&gt;</c>); 0 means half of free memory.</summary>
    public int HeapMaxMiB { get; private set; }

    /// <summary>Garbage collector mode (<c>gc=off|conservative|precise</c>, default precise).</summary>
    public GcMode GcMode { get; private set; } = GcMode.Precise;

    /// <summary>Collect every N allocations (<c>gcstress=N</c>); 0 means only when needed.</summary>
    public int GcStress { get; private set; }

    /// <summary>Whether to take the xHCI controllers and run the USB stack (<c>usb=on|off</c>, default on).</summary>
    public bool UsbEnabled { get; private set; } = true;

    /// <summary>Whether to start the other processors (<c>smp=on|off</c>, default on).</summary>
    public bool SmpEnabled { get; private set; } = true;

    /// <summary>Most CPUs to run, the boot CPU included (<c>cpus=N</c>, 1 to 1024); 0 means all.</summary>
    public int CpuLimit { get; private set; }

    /// <summary>Print the raw ACPI tables on serial (<c>acpidump</c>), to capture them as test data.</summary>
    public bool AcpiDump { get; private set; }

    /// <summary>Interrupt controller choice (<c>irq=pic|apic|auto</c>).</summary>
    public IrqMode IrqMode { get; private set; }

    /// <summary>Largest GOP mode width to pick (<c>video=WxH</c>).</summary>
    public int VideoMaxWidth { get; private set; }

    /// <summary>Largest GOP mode height to pick (<c>video=WxH</c>).</summary>
    public int VideoMaxHeight { get; private set; }

    /// <summary>Number of stored diagnostics, at most <see cref="MaxDiagnostics"/>.</summary>
    public int DiagnosticCount { get; private set; }

    /// <summary>Number of diagnostics that did not fit.</summary>
    public int DroppedDiagnosticCount { get; private set; }

    /// <summary>The effective settings as one canonical option line, for the boot log.</summary>
    public string EffectiveLine
    {
        get
        {
            string test = TestMode ? (TestFilter == null ? "test " : "test=" + TestFilter + " ")
                : BenchMode ? (BenchFilter == null ? "bench " : "bench=" + BenchFilter + " ") : "";
            return test + "console=" + ConsoleName(ConsoleTarget) + " irq=" + IrqName(IrqMode)
                + " timer=" + BootOptionSyntax.FormatDecimal(TimerHz) + " heap=" + HeapDesign
                + (HeapMaxMiB > 0 ? " heapmax=" + BootOptionSyntax.FormatDecimal(HeapMaxMiB) : "")
                + " gc=" + GcModeName(GcMode) + (GcStress > 0 ? " gcstress=" + BootOptionSyntax.FormatDecimal(GcStress) : "")
                + (SmpEnabled ? "" : " smp=off") + (UsbEnabled ? "" : " usb=off") + (CpuLimit > 0 ? " cpus=" + BootOptionSyntax.FormatDecimal(CpuLimit) : "")
                + " video=" + BootOptionSyntax.FormatDecimal(VideoMaxWidth) + "x" + BootOptionSyntax.FormatDecimal(VideoMaxHeight)
                + (AcpiDump ? " acpidump" : "");
        }
    }

    /// <summary>The gc= spelling of a mode.</summary>
    public static string GcModeName(GcMode mode) => mode == GcMode.Conservative ? "conservative" : mode == GcMode.Precise ? "precise" : "off";

    /// <summary>Parses boot.cfg contents, then LoadOptions, so LoadOptions win for keys set in both.</summary>
    public static BootOptions Parse(ReadOnlySpan<byte> bootConfig, ReadOnlySpan<char> loadOptions)
    {
        BootOptions options = new BootOptions();
        options.ApplyConfigFile(bootConfig);
        options.ApplyLoadOptions(loadOptions);
        return options;
    }

    /// <summary>Returns diagnostic <paramref name="index"/>, or null when out of range.</summary>
    public string GetDiagnostic(int index)
    {
        return index >= 0 && index < DiagnosticCount ? _diagnostics[index] : null;
    }

    /// <summary>
    /// Applies a boot.cfg file: ASCII/UTF-8 text, options separated by whitespace or line breaks (LF or CRLF),
    /// '#' starting a comment that runs to the end of the line. A leading UTF-8 byte order mark is skipped.
    /// </summary>
    public void ApplyConfigFile(ReadOnlySpan<byte> text)
    {
        int i = 0;
        if (text.Length >= Utf8BomLength && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF)
        {
            i = Utf8BomLength;
        }

        while (i < text.Length)
        {
            byte b = text[i];
            if (b == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (BootOptionSyntax.IsSeparator(b))
            {
                i++;
            }
            else
            {
                int start = i;
                while (i < text.Length && !BootOptionSyntax.IsSeparator(text[i]) && text[i] != '#')
                {
                    i++;
                }

                ApplyOption(BootOptionSyntax.ToChars(text.Slice(start, i - start)));
            }
        }
    }

    /// <summary>
    /// Applies the UEFI LoadOptions string: whitespace-separated options, ending at the first NUL. When the
    /// image was started from the UEFI shell the first token is the image's own path; a first token ending in
    /// ".efi" (any case, optionally double-quoted) is therefore skipped.
    /// </summary>
    public void ApplyLoadOptions(ReadOnlySpan<char> text)
    {
        int end = 0;
        while (end < text.Length && text[end] != '\0')
        {
            end++;
        }

        int i = 0;
        bool first = true;
        while (i < end)
        {
            if (BootOptionSyntax.IsSeparator(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            bool quoted = first && text[i] == '"';
            if (quoted)
            {
                i++;
                while (i < end && text[i] != '"')
                {
                    i++;
                }

                i = Math.Min(i + 1, end);
            }
            else
            {
                while (i < end && !BootOptionSyntax.IsSeparator(text[i]))
                {
                    i++;
                }
            }

            ReadOnlySpan<char> token = text.Slice(start, i - start);
            if (!(first && BootOptionSyntax.IsProgramPath(token, quoted)))
            {
                ApplyOption(token);
            }

            first = false;
        }
    }

    /// <summary>Applies one option token such as <c>irq=apic</c>; anything not understood becomes a diagnostic.</summary>
    public void ApplyOption(ReadOnlySpan<char> token)
    {
        if (token.Length > MaxTokenLength)
        {
            Reject(token, "too long");
            return;
        }

        int equals = 0;
        while (equals < token.Length && token[equals] != '=')
        {
            equals++;
        }

        bool hasValue = equals < token.Length;
        ReadOnlySpan<char> key = token.Slice(0, equals);
        ReadOnlySpan<char> value = hasValue ? token.Slice(equals + 1) : default;

        if (BootOptionSyntax.EqualsIgnoreCase(key, "test"))
        {
            if (!hasValue)
            {
                TestMode = true;
                TestFilter = null;
                BenchMode = false;
                BenchFilter = null;
            }
            else if (BootOptionSyntax.IsValidTestName(value))
            {
                TestMode = true;
                TestFilter = new string(value);
                BenchMode = false;
                BenchFilter = null;
            }
            else
            {
                Reject(token, "expected test or test=<name> using letters, digits, '.', '_' or '-'");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "bench"))
        {
            if (!hasValue)
            {
                BenchMode = true;
                BenchFilter = null;
                TestMode = false;
                TestFilter = null;
            }
            else if (BootOptionSyntax.IsValidTestName(value))
            {
                BenchMode = true;
                BenchFilter = new string(value);
                TestMode = false;
                TestFilter = null;
            }
            else
            {
                Reject(token, "expected bench or bench=<name> using letters, digits, '.', '_' or '-'");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "console"))
        {
            int target = hasValue ? BootOptionSyntax.IndexOfName(value, "serial", "screen", "both") : -1;
            if (target < 0)
            {
                Reject(token, "expected serial, screen or both");
            }
            else
            {
                ConsoleTarget = target == 0 ? ConsoleTarget.Serial : target == 1 ? ConsoleTarget.Screen : ConsoleTarget.Both;
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "irq"))
        {
            int mode = hasValue ? BootOptionSyntax.IndexOfName(value, "pic", "apic", "auto") : -1;
            if (mode < 0)
            {
                Reject(token, "expected pic, apic or auto");
            }
            else
            {
                IrqMode = mode == 0 ? IrqMode.Pic : mode == 1 ? IrqMode.Apic : IrqMode.Auto;
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "timer"))
        {
            int hz;
            if (hasValue && BootOptionSyntax.TryParseDecimal(value, MinTimerHz, MaxTimerHz, out hz))
            {
                TimerHz = hz;
            }
            else
            {
                Reject(token, "expected timer=<hz> between 10 and 1000");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "heap"))
        {
            int design = hasValue ? BootOptionSyntax.IndexOfName(value, "bump", "list", "block") : -1;
            if (design < 0 && hasValue && BootOptionSyntax.EqualsIgnoreCase(value, "tlsf"))
            {
                design = 3;
            }

            if (design < 0)
            {
                Reject(token, "expected bump, list, block or tlsf");
            }
            else
            {
                HeapDesign = design == 0 ? "bump" : design == 1 ? "list" : design == 2 ? "block" : "tlsf";
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "heapmax"))
        {
            int mebibytes;
            if (hasValue && BootOptionSyntax.TryParseDecimal(value, MinHeapMaxMiB, MaxHeapMaxMiB, out mebibytes))
            {
                HeapMaxMiB = mebibytes;
            }
            else
            {
                Reject(token, "expected heapmax=<MiB> between 1 and 65536");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "gc"))
        {
            int mode = hasValue ? BootOptionSyntax.IndexOfName(value, "off", "conservative", "precise") : -1;
            if (mode < 0)
            {
                Reject(token, "expected off, conservative or precise");
            }
            else
            {
                GcMode = mode == 0 ? GcMode.Off : mode == 1 ? GcMode.Conservative : GcMode.Precise;
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "gcstress"))
        {
            int every;
            if (hasValue && BootOptionSyntax.TryParseDecimal(value, 1, MaxGcStress, out every))
            {
                GcStress = every;
            }
            else
            {
                Reject(token, "expected gcstress=<N> between 1 and 1000000");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "usb"))
        {
            if (hasValue && BootOptionSyntax.EqualsIgnoreCase(value, "on"))
                UsbEnabled = true;
            else if (hasValue && BootOptionSyntax.EqualsIgnoreCase(value, "off"))
                UsbEnabled = false;
            else
                Reject(token, "expected on or off");
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "smp"))
        {
            if (hasValue && BootOptionSyntax.EqualsIgnoreCase(value, "on"))
            {
                SmpEnabled = true;
            }
            else if (hasValue && BootOptionSyntax.EqualsIgnoreCase(value, "off"))
            {
                SmpEnabled = false;
            }
            else
            {
                Reject(token, "expected on or off");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "cpus"))
        {
            int cpus;
            if (hasValue && BootOptionSyntax.TryParseDecimal(value, 0, MaxCpuLimit, out cpus))
            {
                CpuLimit = cpus;
            }
            else
            {
                Reject(token, "expected cpus=<N> between 1 and 1024, or 0 for all");
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "acpidump"))
        {
            if (hasValue)
            {
                Reject(token, "acpidump takes no value");
            }
            else
            {
                AcpiDump = true;
            }
        }
        else if (BootOptionSyntax.EqualsIgnoreCase(key, "video"))
        {
            int width;
            int height;
            if (hasValue && BootOptionSyntax.TryParseVideoMode(value, out width, out height))
            {
                VideoMaxWidth = width;
                VideoMaxHeight = height;
            }
            else
            {
                Reject(token, "expected <width>x<height> between 320x200 and 7680x4320");
            }
        }
        else
        {
            Reject(token, "unknown option");
        }
    }

    private void Reject(ReadOnlySpan<char> token, string reason)
    {
        if (DiagnosticCount == MaxDiagnostics)
        {
            DroppedDiagnosticCount++;
            return;
        }

        string quoted = token.Length > MaxQuotedLength ? new string(token.Slice(0, MaxQuotedLength)) + "..." : new string(token);
        _diagnostics[DiagnosticCount] = "boot option ignored: " + quoted + " (" + reason + ")";
        DiagnosticCount++;
    }

    private static string ConsoleName(ConsoleTarget target)
    {
        return target == ConsoleTarget.Serial ? "serial" : target == ConsoleTarget.Screen ? "screen" : "both";
    }

    private static string IrqName(IrqMode mode)
    {
        return mode == IrqMode.Pic ? "pic" : mode == IrqMode.Apic ? "apic" : "auto";
    }
}
