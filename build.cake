// The kernel's build, run through ./build.sh (which installs what is missing and bootstraps Cake).
//
//   ./build.sh --target=Build        release kernel ESP folder in artifacts/esp/release
//   ./build.sh --target=Image        GPT disk image artifacts/sharpkernel.img (dd it to a USB stick)
//   ./build.sh --target=Run          boot the image in QEMU+OVMF (window if there is a display, else serial here)
//   ./build.sh --target=Test         host unit tests + boot tests in QEMU, then "N passed, N failed"
//   ./build.sh --target=Fuzz         the host property tests for minutes (CsCheck, random seeds), not part of Test
//   ./build.sh --target=Bench        build time, sizes, boot time (vs a null EFI app), in-kernel benchmarks (heap, tasks,
//                                    exceptions against the same C# on the host); JSON in artifacts/bench
//   ./build.sh --target=Screenshot   boot, screendump, docs/screenshot.png
//   ./build.sh --target=Clean
//
// Options: --configuration=Release|Test, --boot-options="console=serial irq=pic" (Run), --qemu-args="..." (Run),
//          --boots=5 (Bench), --fuzz-seconds=10 (Fuzz: per property), --kvm (use KVM instead of software emulation).
using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;

var target = Argument("target", "Build");
var bootOptions = Argument("boot-options", "");
var extraQemuArgs = Argument("qemu-args", "");
var benchBoots = Argument("boots", 5);
var fuzzSeconds = Argument("fuzz-seconds", 10);
// KVM only on request: a /dev/kvm that exists can still fail inside nested virtualization.
var useKvm = HasArgument("kvm");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var kernelProject = root.CombineWithFilePath("kernel/Boot/Kernel.csproj");
var nullEfiProject = root.CombineWithFilePath("scripts/NullEfi/NullEfi.csproj");
var releaseEsp = artifacts.Combine("esp/release");
var testEsp = artifacts.Combine("esp/test");
var diskImage = artifacts.CombineWithFilePath("sharpkernel.img");
var testResults = artifacts.Combine("test-results");

// ---------------------------------------------------------------------------------------------------------------
// Targets

Task("Clean")
    .Does(() =>
{
    if (DirectoryExists(artifacts))
        DeleteDirectory(artifacts, new DeleteDirectorySettings { Recursive = true, Force = true });
});

Task("Build")
    .Does(() => BuildKernel("Release"));

Task("BuildTestKernel")
    .Does(() => BuildKernel("Test"));

Task("Image")
    .IsDependentOn("Build")
    .Does(() => MakeImage(releaseEsp, diskImage));

Task("Run")
    .IsDependentOn("Image")
    .Does(() =>
{
    FilePath image = diskImage;
    if (bootOptions.Length > 0)
    {
        // Boot options for this run only: a copy of the ESP with the options appended to boot.cfg.
        var esp = artifacts.Combine("esp/run");
        CopyEsp(releaseEsp, esp, bootOptions);
        image = artifacts.CombineWithFilePath("run.img");
        MakeImage(esp, image);
    }
    bool window = HasDisplay();
    var args = QemuArguments(image, artifacts.CombineWithFilePath("ovmf-vars.fd"))
        + (window ? " -serial stdio" : " -display none -serial mon:stdio")
        + (extraQemuArgs.Length > 0 ? " " + extraQemuArgs : "");
    Information(window
        ? "Booting in a QEMU window; serial output follows here. Close the window to stop."
        : "No display: serial console on this terminal. Quit QEMU with Ctrl-A then X.");
    using var qemu = Process.Start(new ProcessStartInfo("qemu-system-x86_64", args) { UseShellExecute = false });
    qemu.WaitForExit();
    if (qemu.ExitCode != 0)
        throw new Exception($"QEMU exited with status {qemu.ExitCode}");
});

Task("Test")
    .IsDependentOn("BuildTestKernel")
    .Does(() =>
{
    ExportOvmfForTests();
    EnsureDirectoryExists(testResults);
    CleanDirectory(testResults);
    var suites = new[] { "tests/Kernel.HostTests/Kernel.HostTests.csproj", "tests/Kernel.BootTests/Kernel.BootTests.csproj" };
    int exitFailures = 0;
    foreach (var suite in suites)
    {
        string name = System.IO.Path.GetFileNameWithoutExtension(suite);
        Information($"== {name}");
        int exit = Run("dotnet", $"test \"{root.CombineWithFilePath(suite)}\" --logger \"trx;LogFileName={name}.trx\" --logger \"console;verbosity=normal\" --results-directory \"{testResults}\"");
        if (exit != 0)
            exitFailures++;
    }
    // One closing line for every suite together, read by people and by CI; build.sh repeats it after Cake's
    // task table so that it is the last line of the run.
    var (passed, failed, skipped) = CountTrxResults(testResults);
    string summary = $"{passed} passed, {failed} failed, {skipped} skipped";
    Console.WriteLine(summary);
    System.IO.File.WriteAllText(artifacts.CombineWithFilePath("closing-line.txt").FullPath, summary + "\n");
    if (failed > 0 || exitFailures > 0 || passed == 0)
        throw new Exception($"tests failed ({failed} failed test(s), {exitFailures} suite(s) with a failing exit code)");
});

Task("Fuzz")
    .Does(() =>
{
    // Test runs each property on a fixed number of inputs from a fixed seed (tests/Kernel.HostTests/PropertyTesting);
    // CsCheck's own CsCheck_Time turns that into random seeds for this many seconds per property. A failure prints
    // its shrunk input and a seed: CsCheck_Seed=<seed> dotnet test tests/Kernel.HostTests --filter <test> replays it.
    var hostTests = root.CombineWithFilePath("tests/Kernel.HostTests/Kernel.HostTests.csproj");
    var results = artifacts.Combine("fuzz-results");
    EnsureDirectoryExists(results);
    CleanDirectory(results);
    Information($"== property tests, {fuzzSeconds} s each");
    int exit = Run("dotnet", $"test \"{hostTests}\" --filter Category=Property --logger \"trx;LogFileName=fuzz.trx\" --logger \"console;verbosity=normal\" --results-directory \"{results}\"",
        ("CsCheck_Time", fuzzSeconds.ToString()));
    var (passed, failed, skipped) = CountTrxResults(results);
    string summary = $"{passed} passed, {failed} failed, {skipped} skipped";
    Console.WriteLine(summary);
    System.IO.File.WriteAllText(artifacts.CombineWithFilePath("closing-line.txt").FullPath, summary + "\n");
    if (exit != 0 || failed > 0 || passed == 0)
        throw new Exception("a property failed; its shrunk input and seed are in the output above");
});

Task("Screenshot")
    .IsDependentOn("BuildTestKernel")
    .Does(() =>
{
    // The boot tests' screenshot test boots the kernel and saves a QMP screendump; this turns it into the README picture.
    ExportOvmfForTests();
    int exit = Run("dotnet", $"test \"{root.CombineWithFilePath("tests/Kernel.BootTests/Kernel.BootTests.csproj")}\" --filter \"FullyQualifiedName~Screenshot\"");
    if (exit != 0)
        throw new Exception("the screenshot test failed");
    var ppm = artifacts.CombineWithFilePath("screenshots/boot.ppm");
    var png = root.CombineWithFilePath("docs/screenshot.png");
    EnsureDirectoryExists(png.GetDirectory());
    RequireTool("pnmtopng", "netpbm");
    // The top of the screen, where the boot log, the shell prompt and the clock are: the whole 1920x1080 screen
    // would shrink the text out of sight.
    if (Run("sh", $"-c \"pnmcut -left 0 -top 0 -width 1920 -height 240 '{ppm}' | pnmtopng > '{png}'\"") != 0)
        throw new Exception("pnmcut/pnmtopng failed");
    Information($"Screenshot: {png}");
});

Task("Bench")
    .IsDependentOn("BuildTestKernel")
    .Does(() =>
{
    EnsureDirectoryExists(artifacts.Combine("bench"));

    // Build: a clean build of the release kernel (NuGet packages stay cached).
    foreach (var dir in new[] { "obj/Kernel", "bin/Kernel", "obj/Corelib", "bin/Corelib", "native/release", "esp/release" })
        if (DirectoryExists(artifacts.Combine(dir)))
            DeleteDirectory(artifacts.Combine(dir), new DeleteDirectorySettings { Recursive = true, Force = true });
    var buildWatch = Stopwatch.StartNew();
    BuildKernel("Release");
    long cleanBuildMs = buildWatch.ElapsedMilliseconds;
    DotNetBuild(nullEfiProject.FullPath, new DotNetBuildSettings { Configuration = "Release", Verbosity = DotNetVerbosity.Quiet });
    MakeImage(releaseEsp, diskImage);
    long efiBytes = new System.IO.FileInfo(releaseEsp.CombineWithFilePath("EFI/BOOT/BOOTX64.EFI").FullPath).Length;
    long nullEfiBytes = new System.IO.FileInfo(artifacts.CombineWithFilePath("esp/null-efi/EFI/BOOT/BOOTX64.EFI").FullPath).Length;
    long symbolBytes = new System.IO.FileInfo(releaseEsp.CombineWithFilePath("kernel.sym").FullPath).Length;
    long imageBytes = new System.IO.FileInfo(diskImage.FullPath).Length;
    var buildRows = new[]
    {
        new Dictionary<string, object> { ["name"] = "kernel", ["clean_build_ms"] = cleanBuildMs, ["efi_bytes"] = efiBytes, ["symbols_bytes"] = symbolBytes, ["disk_image_bytes"] = imageBytes },
        new Dictionary<string, object> { ["name"] = "null-efi", ["efi_bytes"] = nullEfiBytes },
    };
    WriteBenchTable("build", buildRows);

    // Boot: QEMU start to the kernel's "ready" line, against the floor (the null app exiting QEMU), interleaved.
    var nullImage = artifacts.CombineWithFilePath("bench/null-efi.img");
    MakeImage(artifacts.Combine("esp/null-efi"), nullImage);
    var floor = new List<double>();
    var kernel = new List<double>();
    for (int i = 0; i < benchBoots; i++)
    {
        floor.Add(TimeBoot(nullImage, line => false));
        kernel.Add(TimeBoot(diskImage, line => line.TrimEnd().EndsWith("ready")));
    }
    double floorMedian = Median(floor);
    double kernelMedian = Median(kernel);
    var bootRows = new[]
    {
        BootRow("null-efi (floor)", floor),
        BootRow("kernel ready", kernel),
        new Dictionary<string, object> { ["name"] = "kernel own (ready - floor)", ["boot_ms_median"] = Math.Round(kernelMedian - floorMedian, 1), ["boots"] = benchBoots },
    };
    WriteBenchTable("boot", bootRows);

    // Heap on the host: each design inside one NativeMemory block against glibc malloc (writes its own JSON).
    if (Run("dotnet", $"run -c Release --project \"{root.CombineWithFilePath("tests/Kernel.HeapBench/Kernel.HeapBench.csproj")}\" -- \"{artifacts.CombineWithFilePath("bench/heap.json")}\"") != 0)
        throw new Exception("the heap benchmark failed");

    // Exceptions on the host: the kernel's exception benchmarks run on .NET, the reference for the kernel's figures.
    var hostExceptionsJson = artifacts.CombineWithFilePath("bench/exceptions-host.json");
    if (Run("dotnet", $"run -c Release --project \"{root.CombineWithFilePath("tests/Kernel.ExceptionBench/Kernel.ExceptionBench.csproj")}\" -- \"{hostExceptionsJson}\"") != 0)
        throw new Exception("the host exception benchmark failed");

    // Heap in the kernel: allocate+free cycles per design, one boot each with the in-kernel benchmarks of the heap
    // (bench=heap); the default design's boot runs every in-kernel benchmark (bench), the executor's too.
    var kernelHeapRows = new List<Dictionary<string, object>>();
    string defaultDesignSerial = "";
    foreach (var design in new[] { "bump", "list", "block", "tlsf" })
    {
        var esp = artifacts.Combine("bench/esp-heap");
        CopyEsp(testEsp, esp, (design == "tlsf" ? "bench" : "bench=heap") + " heap=" + design);
        var image = artifacts.CombineWithFilePath("bench/heap.img");
        MakeImage(esp, image);
        string serial = CaptureSerial(image);
        if (design == "tlsf")
            defaultDesignSerial = serial;
        var match = System.Text.RegularExpressions.Regex.Match(serial, @"bench: heap=(\w+) allocate\+free cycles median=(\d+) p99=(\d+)");
        if (!match.Success || match.Groups[1].Value != design)
            throw new Exception($"no heap benchmark line for {design} in the kernel's output");
        kernelHeapRows.Add(new Dictionary<string, object> { ["name"] = design, ["cycles_median"] = long.Parse(match.Groups[2].Value), ["cycles_p99"] = long.Parse(match.Groups[3].Value) });
        if (design != "tlsf")
            continue;
        // The default heap's boot also measured the executor: an await round trip and a wake from the timer interrupt.
        var taskRows = new List<Dictionary<string, object>>();
        foreach (var (label, pattern) in new[] { ("await round trip", @"bench: await round trip cycles median=(\d+) p99=(\d+)"), ("interrupt wake", @"bench: interrupt wake cycles median=(\d+) p99=(\d+)") })
        {
            var taskMatch = System.Text.RegularExpressions.Regex.Match(serial, pattern);
            if (!taskMatch.Success)
                throw new Exception($"no '{label}' benchmark line in the kernel's output");
            taskRows.Add(new Dictionary<string, object> { ["name"] = label, ["cycles_median"] = long.Parse(taskMatch.Groups[1].Value), ["cycles_p99"] = long.Parse(taskMatch.Groups[2].Value) });
        }
        WriteBenchTable("tasks-kernel", taskRows);
        // And the collector (issue 14): pause per MiB of live heap, objects marked per ms, allocate-and-drop with the
        // collector against collection suppressed, bitmap bytes per MiB of heap (benchmarks skip the root cross-check).
        var pause = System.Text.RegularExpressions.Regex.Match(serial, @"bench: gc pause us median=(\d+) max=(\d+) live_kib=(\d+) marked=(\d+)");
        var perMiB = System.Text.RegularExpressions.Regex.Match(serial, @"bench: gc pause us per live MiB median=([\d.]+) max=([\d.]+) objects marked per ms=(\d+)");
        var drop = System.Text.RegularExpressions.Regex.Match(serial, @"bench: gc allocate\+drop iterations=(\d+) cycles with_gc=(\d+) without_gc=(\d+) ratio_x100=(\d+) collections=(\d+)");
        var bitmap = System.Text.RegularExpressions.Regex.Match(serial, @"bench: gc bitmap bytes=(\d+) heap_mapped_kib=(\d+) bytes per heap MiB=(\d+)");
        if (!pause.Success || !perMiB.Success || !drop.Success || !bitmap.Success)
            throw new Exception("no gc benchmark lines in the kernel's output");
        var gcRows = new[]
        {
            new Dictionary<string, object> { ["name"] = "pause", ["us_median"] = long.Parse(pause.Groups[1].Value), ["us_max"] = long.Parse(pause.Groups[2].Value),
                ["live_kib"] = long.Parse(pause.Groups[3].Value), ["objects_marked"] = long.Parse(pause.Groups[4].Value),
                ["us_per_live_mib_median"] = double.Parse(perMiB.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                ["us_per_live_mib_max"] = double.Parse(perMiB.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                ["objects_marked_per_ms"] = long.Parse(perMiB.Groups[3].Value) },
            new Dictionary<string, object> { ["name"] = "allocate+drop", ["iterations"] = long.Parse(drop.Groups[1].Value), ["cycles_with_gc"] = long.Parse(drop.Groups[2].Value),
                ["cycles_without_gc"] = long.Parse(drop.Groups[3].Value), ["ratio"] = long.Parse(drop.Groups[4].Value) / 100.0, ["collections"] = long.Parse(drop.Groups[5].Value) },
            new Dictionary<string, object> { ["name"] = "bitmaps", ["bytes"] = long.Parse(bitmap.Groups[1].Value), ["heap_mapped_kib"] = long.Parse(bitmap.Groups[2].Value),
                ["bytes_per_heap_mib"] = long.Parse(bitmap.Groups[3].Value) },
        };
        WriteBenchTable("gc-kernel", gcRows);
    }
    WriteBenchTable("heap-kernel", kernelHeapRows);

    // SMP (issue 15), one boot with two CPUs under multi-threaded TCG: the parallel demo's work on both CPUs against
    // the same work on one (goal: 1.7x), each CPU's start-up, a wake across CPUs, a contended lock's hand-off.
    {
        var esp = artifacts.Combine("bench/esp-smp");
        CopyEsp(testEsp, esp, "bench=smp");
        var image = artifacts.CombineWithFilePath("bench/smp.img");
        MakeImage(esp, image);
        string serial = CaptureSerial(image, " -smp 2 -accel tcg,thread=multi");
        var speedup = System.Text.RegularExpressions.Regex.Match(serial, @"bench: smp cpus=(\d+) one_cpu_ms=(\d+) all_cpus_ms=(\d+) speedup_x100=(\d+)");
        var start = System.Text.RegularExpressions.Regex.Match(serial, @"bench: smp start us per cpu median=(\d+) max=(\d+) cpus=(\d+)");
        var wake = System.Text.RegularExpressions.Regex.Match(serial, @"bench: smp cross-cpu wake cycles median=(\d+) p99=(\d+)");
        var handoff = System.Text.RegularExpressions.Regex.Match(serial, @"bench: smp lock cycles per acquire alone=(\d+) contended=(\d+) cpus=(\d+)");
        if (!speedup.Success || !start.Success || !wake.Success || !handoff.Success)
            throw new Exception("no smp benchmark lines in the kernel's output:\n" + serial);
        WriteBenchTable("smp-kernel", new[]
        {
            new Dictionary<string, object> { ["name"] = "parallel hashing", ["cpus"] = long.Parse(speedup.Groups[1].Value), ["one_cpu_ms"] = long.Parse(speedup.Groups[2].Value),
                ["all_cpus_ms"] = long.Parse(speedup.Groups[3].Value), ["speedup"] = long.Parse(speedup.Groups[4].Value) / 100.0 },
            new Dictionary<string, object> { ["name"] = "start per CPU", ["us_median"] = long.Parse(start.Groups[1].Value), ["us_max"] = long.Parse(start.Groups[2].Value), ["cpus"] = long.Parse(start.Groups[3].Value) },
            new Dictionary<string, object> { ["name"] = "cross-CPU wake", ["cycles_median"] = long.Parse(wake.Groups[1].Value), ["cycles_p99"] = long.Parse(wake.Groups[2].Value) },
            new Dictionary<string, object> { ["name"] = "lock acquire+release", ["cycles_alone"] = long.Parse(handoff.Groups[1].Value), ["cycles_contended"] = long.Parse(handoff.Groups[2].Value), ["cpus"] = long.Parse(handoff.Groups[3].Value) },
        });
    }

    // Exceptions in the kernel (the default design's boot ran them last) against the host, the same C# and the same
    // clock (the TSC). A kernel without exception dispatch panics at the first throw: its rows say so instead.
    WriteBenchTable("exceptions", ExceptionRows(defaultDesignSerial, hostExceptionsJson));
});

RunTarget(target);

// ---------------------------------------------------------------------------------------------------------------
// Helpers

void BuildKernel(string configuration) =>
    DotNetBuild(kernelProject.FullPath, new DotNetBuildSettings { Configuration = configuration, Verbosity = DotNetVerbosity.Minimal });

void MakeImage(DirectoryPath esp, FilePath image)
{
    if (Run(root.CombineWithFilePath("scripts/make-image.sh").FullPath, $"\"{esp}\" \"{image}\"") != 0)
        throw new Exception("make-image.sh failed");
}

void CopyEsp(DirectoryPath from, DirectoryPath to, string options)
{
    if (DirectoryExists(to))
        DeleteDirectory(to, new DeleteDirectorySettings { Recursive = true, Force = true });
    CopyDirectory(from, to);
    var cfg = to.CombineWithFilePath("boot.cfg").FullPath;
    System.IO.File.AppendAllText(cfg, "\n# from --boot-options\n" + options + "\n");
}

// OVMF from Debian's ovmf package; Ubuntu ships only the 4 MiB build. OVMF_CODE / OVMF_VARS override both.
(string Code, string Vars) FindOvmf()
{
    string code = Environment.GetEnvironmentVariable("OVMF_CODE");
    string vars = Environment.GetEnvironmentVariable("OVMF_VARS");
    if (!string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(vars))
        return (code, vars);
    foreach (var suffix in new[] { "", "_4M" })
    {
        code = $"/usr/share/OVMF/OVMF_CODE{suffix}.fd";
        vars = $"/usr/share/OVMF/OVMF_VARS{suffix}.fd";
        if (System.IO.File.Exists(code) && System.IO.File.Exists(vars))
            return (code, vars);
    }
    throw new Exception("OVMF firmware not found: install the Debian package ovmf (./build.sh does this when run as root)");
}

// The boot tests find the firmware through these variables.
void ExportOvmfForTests()
{
    var (code, vars) = FindOvmf();
    Environment.SetEnvironmentVariable("OVMF_CODE", code);
    Environment.SetEnvironmentVariable("OVMF_VARS", vars);
}

// The firmware's variable store is copied, never written in place under /usr/share.
string QemuArguments(FilePath image, FilePath varsCopy)
{
    var (code, vars) = FindOvmf();
    EnsureDirectoryExists(varsCopy.GetDirectory());
    System.IO.File.Copy(vars, varsCopy.FullPath, overwrite: true);
    return $"-machine q35 -m 512M {(useKvm ? "-enable-kvm -cpu host" : "-cpu max")} -nodefaults -vga std "
        + $"-drive if=pflash,format=raw,readonly=on,file=\"{code}\" -drive if=pflash,format=raw,file=\"{varsCopy}\" "
        + $"-drive format=raw,file=\"{image}\" -net none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04";
}

bool HasDisplay() =>
    !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
    || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));

// Milliseconds from QEMU's start until a serial line matches (or QEMU exits, for the floor).
double TimeBoot(FilePath image, Func<string, bool> isReady)
{
    var args = QemuArguments(image, artifacts.CombineWithFilePath("bench/ovmf-vars.fd")) + " -display none -serial stdio -monitor none";
    var info = new ProcessStartInfo("qemu-system-x86_64", args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    var watch = Stopwatch.StartNew();
    using var qemu = Process.Start(info);
    double readyMs = -1;
    var done = new System.Threading.ManualResetEventSlim();
    qemu.OutputDataReceived += (_, e) =>
    {
        if (e.Data == null)
            return;
        if (readyMs < 0 && isReady(e.Data))
        {
            readyMs = watch.Elapsed.TotalMilliseconds;
            done.Set();
        }
    };
    qemu.Exited += (_, _) => done.Set();
    qemu.EnableRaisingEvents = true;
    qemu.BeginOutputReadLine();
    qemu.BeginErrorReadLine();
    if (!done.Wait(TimeSpan.FromSeconds(60)))
        throw new Exception($"boot of {image} timed out");
    if (readyMs < 0)
    {
        qemu.WaitForExit();
        readyMs = watch.Elapsed.TotalMilliseconds;
    }
    if (!qemu.HasExited)
        qemu.Kill(entireProcessTree: true);
    qemu.WaitForExit();
    return readyMs;
}

// Boots image until QEMU exits (a test or benchmark run ends with isa-debug-exit) and returns what it printed on serial.
string CaptureSerial(FilePath image, string extraArgs = "")
{
    var args = QemuArguments(image, artifacts.CombineWithFilePath("bench/ovmf-vars.fd")) + " -display none -serial stdio -monitor none" + extraArgs;
    var info = new ProcessStartInfo("qemu-system-x86_64", args) { UseShellExecute = false, RedirectStandardOutput = true };
    using var qemu = Process.Start(info);
    var output = qemu.StandardOutput.ReadToEndAsync();
    if (!qemu.WaitForExit(120_000))
    {
        qemu.Kill(entireProcessTree: true);
        throw new Exception($"boot of {image} timed out");
    }
    return output.Result;
}

Dictionary<string, object> BootRow(string name, List<double> samples) => new Dictionary<string, object>
{
    ["name"] = name,
    ["boot_ms_median"] = Math.Round(Median(samples), 1),
    ["boot_ms_min"] = Math.Round(samples.Min(), 1),
    ["boot_ms_max"] = Math.Round(samples.Max(), 1),
    ["boots"] = samples.Count,
};

// One row per exception benchmark: kernel and host cycles (median, p99) and the kernel/host ratio of the medians,
// plus try/finally's cost over the empty body on each side.
List<Dictionary<string, object>> ExceptionRows(string kernelSerial, FilePath hostJson)
{
    var host = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(System.IO.File.ReadAllText(hostJson.FullPath))
        .ToDictionary(r => r["name"].GetString(), r => (Median: r["cycles_median"].GetInt64(), P99: r["cycles_p99"].GetInt64()));
    bool panicked = kernelSerial.Contains("KERNEL PANIC: unhandled exception");
    var kernel = new Dictionary<string, (long Median, long P99)>();
    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(kernelSerial, @"bench: (empty body|try/finally|throw\+catch \d+ frames?) cycles median=(\d+) p99=(\d+)"))
        kernel[m.Groups[1].Value] = (long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value));
    var rows = new List<Dictionary<string, object>>();
    foreach (var (name, hostFigures) in host)
    {
        var row = new Dictionary<string, object> { ["name"] = name, ["host_cycles_median"] = hostFigures.Median, ["host_cycles_p99"] = hostFigures.P99 };
        if (kernel.TryGetValue(name, out var k))
        {
            row["kernel_cycles_median"] = k.Median;
            row["kernel_cycles_p99"] = k.P99;
            row["kernel_over_host"] = hostFigures.Median == 0 ? "" : Math.Round((double)k.Median / hostFigures.Median, 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            row["kernel_cycles_median"] = panicked ? "exceptions not supported by this kernel (panic)" : "not measured";
        }
        rows.Add(row);
    }
    if (host.TryGetValue("empty body", out var hostEmpty) && host.TryGetValue("try/finally", out var hostTry))
    {
        var row = new Dictionary<string, object> { ["name"] = "try/finally over empty body", ["host_cycles_median"] = hostTry.Median - hostEmpty.Median };
        if (kernel.TryGetValue("empty body", out var kernelEmpty) && kernel.TryGetValue("try/finally", out var kernelTry))
            row["kernel_cycles_median"] = kernelTry.Median - kernelEmpty.Median;
        rows.Add(row);
    }
    return rows;
}

double Median(List<double> samples)
{
    var sorted = samples.OrderBy(x => x).ToList();
    int middle = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

void WriteBenchTable(string table, IEnumerable<Dictionary<string, object>> rows)
{
    var list = rows.ToList();
    var columns = list.SelectMany(r => r.Keys).Distinct().ToList();
    Information($"== {table}");
    Information(string.Join(" | ", columns));
    foreach (var row in list)
        Information(string.Join(" | ", columns.Select(c => row.TryGetValue(c, out var v) ? v.ToString() : "")));
    var path = artifacts.CombineWithFilePath($"bench/{table}.json").FullPath;
    System.IO.File.WriteAllText(path, JsonSerializer.Serialize(list, new JsonSerializerOptions { WriteIndented = true }));
    Information($"-> {path}");
}

(int Passed, int Failed, int Skipped) CountTrxResults(DirectoryPath directory)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var file in GetFiles($"{directory}/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "Counters");
        if (counters == null)
            continue;
        passed += (int?)counters.Attribute("passed") ?? 0;
        failed += ((int?)counters.Attribute("failed") ?? 0) + ((int?)counters.Attribute("error") ?? 0) + ((int?)counters.Attribute("timeout") ?? 0);
        skipped += ((int?)counters.Attribute("notExecuted") ?? 0);
    }
    return (passed, failed, skipped);
}

void RequireTool(string tool, string debianPackage)
{
    if (Run("sh", $"-c \"command -v {tool} >/dev/null\"") == 0)
        return;
    if (Run("sh", "-c \"test $(id -u) -eq 0\"") == 0 && Run("sh", $"-c \"apt-get install -y -q --no-install-recommends {debianPackage} >/dev/null\"") == 0)
        return;
    throw new Exception($"{tool} is needed: sudo apt-get install -y {debianPackage}");
}

int Run(string file, string arguments, params (string Name, string Value)[] environment)
{
    var start = new ProcessStartInfo(file, arguments) { UseShellExecute = false };
    foreach (var (name, value) in environment)
        start.Environment[name] = value;
    using var process = Process.Start(start);
    process.WaitForExit();
    return process.ExitCode;
}
