// The kernel's build, run through ./build.sh (which installs what is missing and bootstraps Cake).
//
//   ./build.sh --target=Build        release kernel ESP folder in artifacts/esp/release
//   ./build.sh --target=Image        GPT disk image artifacts/sharpkernel.img (dd it to a USB stick)
//   ./build.sh --target=Run          boot the image in QEMU+OVMF (window if there is a display, else serial here)
//   ./build.sh --target=Test         host unit tests + boot tests in QEMU, then "N passed, N failed"
//   ./build.sh --target=Fuzz         the host property tests for minutes (CsCheck, random seeds), not part of Test
//   ./build.sh --target=Bench        build time, sizes, boot time (vs a null EFI app), in-kernel benchmarks (heap, tasks,
//                                    exceptions against the same C# on the host), USB keyboard ready and key latency
//                                    (PS/2 vs USB); JSON in artifacts/bench
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
    // The kernel's own line of phases (TSC-stamped, printed just before "ready"), per boot.
    var phaseLines = new List<string>();
    for (int i = 0; i < benchBoots; i++)
    {
        floor.Add(TimeBoot(nullImage, line => false));
        kernel.Add(TimeBoot(diskImage, line =>
        {
            if (line.StartsWith("boot: ") && line.Contains(" ms in the kernel"))
                phaseLines.Add(line.Trim());
            return line.TrimEnd().EndsWith("ready");
        }));
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
    WriteBenchTable("boot-phases", BootPhaseRows(phaseLines));

    // Heap on the host: each design inside one NativeMemory block against glibc malloc (writes its own JSON).
    if (Run("dotnet", $"run -c Release --project \"{root.CombineWithFilePath("tests/Kernel.HeapBench/Kernel.HeapBench.csproj")}\" -- \"{artifacts.CombineWithFilePath("bench/heap.json")}\"") != 0)
        throw new Exception("the heap benchmark failed");
    // Its efficiency figures (fragmentation: a fixed heap until the first allocation fails), as a table of the Bench's.
    var fragmentationRows = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(
        System.IO.File.ReadAllText(artifacts.CombineWithFilePath("bench/heap-fragmentation.json").FullPath));
    WriteBenchTable("heap-fragmentation", fragmentationRows.Select(r => r.ToDictionary(kv => kv.Key, kv => (object)kv.Value)));

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

    // Console (issue 17, item 4): lines of 80 characters that scroll, per second, through the Terminal to the screen
    // against the same text into the text grid alone (no drawing), in one boot; and with serial (goal: screen
    // within 2x of the grid).
    {
        var esp = artifacts.Combine("bench/esp-console");
        CopyEsp(testEsp, esp, "bench=console");
        var image = artifacts.CombineWithFilePath("bench/console.img");
        MakeImage(esp, image);
        string serial = CaptureSerial(image);
        var console = System.Text.RegularExpressions.Regex.Match(serial, @"bench: console lines=(\d+) columns=(\d+) rows=(\d+) grid_lps=(\d+) screen_lps=(\d+) both_lps=(\d+) serial_lps=(\d+) screen_vs_grid_x100=(\d+) frames=(\d+) scroll_frame_us=(\d+)");
        if (!console.Success)
            throw new Exception("no console benchmark line in the kernel's output:\n" + serial);
        long Group(int i) => long.Parse(console.Groups[i].Value);
        string screenSize = Group(2).ToString() + "x" + Group(3).ToString() + " cells";
        WriteBenchTable("console", new[]
        {
            new Dictionary<string, object> { ["name"] = "text grid alone", ["lines_per_s"] = Group(4), ["lines"] = Group(1), ["screen"] = screenSize },
            new Dictionary<string, object> { ["name"] = "screen", ["lines_per_s"] = Group(5), ["lines"] = Group(1), ["screen"] = screenSize,
                ["vs_grid"] = Group(8) / 100.0, ["frames"] = Group(9), ["scroll_frame_us"] = Group(10) },
            new Dictionary<string, object> { ["name"] = "screen + serial", ["lines_per_s"] = Group(6) },
            new Dictionary<string, object> { ["name"] = "serial", ["lines_per_s"] = Group(7) },
        });
    }

    // Exceptions in the kernel (the default design's boot ran them last) against the host, the same C# and the same
    // clock (the TSC). A kernel without exception dispatch panics at the first throw: its rows say so instead.
    WriteBenchTable("exceptions", ExceptionRows(defaultDesignSerial, hostExceptionsJson));

    // USB keyboard (issue 16), last so its table ends the output.
    WriteBenchTable("usb-keyboard", UsbKeyboardRows());
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
string QemuArguments(FilePath image, FilePath varsCopy, string machine = "q35")
{
    var (code, vars) = FindOvmf();
    EnsureDirectoryExists(varsCopy.GetDirectory());
    System.IO.File.Copy(vars, varsCopy.FullPath, overwrite: true);
    return $"-machine {machine} -m 512M {(useKvm ? "-enable-kvm -cpu host" : "-cpu max")} -nodefaults -vga std "
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

// The USB keyboard on the release kernel with console=serial, in boots of a machine without PS/2 (q35,i8042=off, a
// usb-kbd on qemu-xhci) interleaved with boots of the default q35 (its PS/2 keyboard). Each USB boot runs `log` over
// serial and takes, from the kernel's own timestamps, the time from "ready" to the keyboard's line (the driver has
// reset the controller, addressed and configured the keyboard). Every boot then times its share of 100 keys per path:
// host wall time from writing QMP's send-key of a letter to the shell's echo of that letter arriving on serial, one
// key at a time, the line cleared with Ctrl-U every 20 keys.
List<Dictionary<string, object>> UsbKeyboardRows()
{
    const int keysPerPath = 100;
    const int keysPerLine = 20;
    const string keyboardLine = @"usb: port \d+: 0627:0001 \w+ speed, boot keyboard \(interface 0, endpoint 0x81\)";
    var esp = artifacts.Combine("bench/esp-usb");
    CopyEsp(releaseEsp, esp, "console=serial");
    var image = artifacts.CombineWithFilePath("bench/usb.img");
    MakeImage(esp, image);
    var vars = artifacts.CombineWithFilePath("bench/ovmf-vars.fd");
    int keysPerBoot = (keysPerPath + benchBoots - 1) / benchBoots;
    var readyToRunning = new List<double>();
    var readyToKeyboard = new List<double>();
    var modes = new SortedSet<string>();
    var latency = new Dictionary<string, List<double>> { ["USB"] = new List<double>(), ["PS/2"] = new List<double>() };
    var pause = new Random(16);
    for (int boot = 0; boot < benchBoots || latency.Values.Any(l => l.Count < keysPerPath); boot++)
    {
        foreach (var path in new[] { "USB", "PS/2" })
        {
            bool usb = path == "USB";
            if (!usb && latency[path].Count >= keysPerPath)
                continue;
            string args = usb
                ? QemuArguments(image, vars, "q35,i8042=off") + " -device qemu-xhci,id=xhci -device usb-kbd,bus=xhci.0"
                : QemuArguments(image, vars);
            using var machine = SerialQmpMachine.Start(args);
            var step = TimeSpan.FromSeconds(120);
            if (usb)
            {
                machine.WaitFor(t => System.Text.RegularExpressions.Regex.IsMatch(t, keyboardLine) && t.EndsWith("\n> "), "the USB keyboard's line and a prompt", step);
                int mark = machine.Text.Length;
                machine.SendSerial("log 2048\r");
                string log = machine.WaitFor(t => t.Length > mark + 10 && t.EndsWith("\n> "), "the kernel log", step).Substring(mark);
                var ready = System.Text.RegularExpressions.Regex.Match(log, @"(?m)^\[\s*(\d+\.\d+)\] ready$");
                var running = System.Text.RegularExpressions.Regex.Match(log, @"(?m)^\[\s*(\d+\.\d+)\] usb: \S+ running \(([^)]+)\)$");
                var keyboard = System.Text.RegularExpressions.Regex.Match(log, @"(?m)^\[\s*(\d+\.\d+)\] " + keyboardLine + "$");
                if (!ready.Success || !running.Success || !keyboard.Success)
                    throw new Exception("the kernel log lacks the ready, running or keyboard line:\n" + log);
                double Seconds(System.Text.RegularExpressions.Match m) => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                readyToRunning.Add((Seconds(running) - Seconds(ready)) * 1000);
                readyToKeyboard.Add((Seconds(keyboard) - Seconds(ready)) * 1000);
                modes.Add(running.Groups[2].Value);
                if (latency[path].Count >= keysPerPath)
                    continue;
            }
            else
            {
                machine.WaitFor(t => t.Contains("\nready\n") && t.EndsWith("\n> "), "ready and a prompt", step);
            }
            int count = Math.Min(keysPerBoot, keysPerPath - latency[path].Count);
            string typed = "";
            for (int k = 0; k < count; k++)
            {
                if (k > 0 && k % keysPerLine == 0)
                {
                    CheckLine(machine, typed, path);
                    typed = "";
                    machine.TimeKey(new[] { "ctrl", "u" }, '\0', TimeSpan.FromSeconds(30)); // the editor's echo moves back and erases
                    System.Threading.Thread.Sleep(200);
                }
                char letter = (char)('a' + k % 26);
                latency[path].Add(machine.TimeKey(new[] { letter.ToString() }, letter, TimeSpan.FromSeconds(30)));
                typed += letter;
                // QEMU releases the key after 100 ms; the random part spreads the sends over the USB polling period.
                System.Threading.Thread.Sleep(150 + pause.Next(50));
            }
            CheckLine(machine, typed, path);
        }
    }
    string mode = string.Join("/", modes);
    string usbPath = mode == "polled" ? "xHCI events polled every 10 ms" : "xHCI interrupts (" + mode + ")";
    // Latency rows first, so the table's columns are in reading order.
    var rows = new List<Dictionary<string, object>>();
    foreach (var path in new[] { "PS/2", "USB" })
    {
        var samples = latency[path];
        rows.Add(new Dictionary<string, object>
        {
            ["name"] = "key latency " + path, ["ms_median"] = Math.Round(Median(samples), 1), ["ms_p90"] = Math.Round(Percentile(samples, 90), 1),
            ["ms_p99"] = Math.Round(Percentile(samples, 99), 1), ["ms_min"] = Math.Round(samples.Min(), 1), ["ms_max"] = Math.Round(samples.Max(), 1),
            ["samples"] = samples.Count,
            ["note"] = "host time from QMP send-key to the echo on serial; includes the send-key handling of QEMU" + (path == "USB" ? ", " + usbPath : ""),
        });
    }
    foreach (var (name, samples) in new[] { ("USB: ready to controller running", readyToRunning), ("USB: ready to keyboard ready", readyToKeyboard) })
        rows.Add(new Dictionary<string, object>
        {
            ["name"] = name, ["ms_median"] = Math.Round(Median(samples), 1), ["ms_min"] = Math.Round(samples.Min(), 1), ["ms_max"] = Math.Round(samples.Max(), 1),
            ["samples"] = samples.Count, ["note"] = "boots; kernel log timestamps; driver " + mode,
        });
    return rows;
}

// Every key of a line was echoed once, in order: nothing lost, nothing repeated.
void CheckLine(SerialQmpMachine machine, string typed, string path)
{
    string text = machine.Text;
    if (!text.EndsWith("> " + typed))
        throw new Exception($"the {path} line does not end with the {typed.Length} keys sent ('{typed}'):\n" + text.Substring(Math.Max(0, text.Length - 500)));
}

// Nearest-rank percentile.
double Percentile(List<double> samples, int percent)
{
    var sorted = samples.OrderBy(x => x).ToList();
    int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
    return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
}

// A QEMU run whose COM1 is a unix socket read by a thread here (escape sequences and CRs dropped), with a QMP socket
// for keys. TimeKey's clock stops on the reader thread the moment the expected character arrives.
sealed class SerialQmpMachine : IDisposable
{
    private readonly string _directory;
    private readonly Process _qemu;
    private readonly System.Text.StringBuilder _qemuOutput = new System.Text.StringBuilder();
    private System.Net.Sockets.Socket _serial;
    private System.Net.Sockets.Socket _qmp;
    private System.IO.StreamReader _qmpReader;
    private System.IO.StreamWriter _qmpWriter;
    private System.Threading.Thread _reader;
    private readonly System.Text.StringBuilder _text = new System.Text.StringBuilder();
    private int _escape; // 0 text, 1 after ESC, 2 in a control sequence
    private char _expected;
    private int _expectedFrom = int.MaxValue;
    private long _arrived;
    private readonly System.Threading.ManualResetEventSlim _arrival = new System.Threading.ManualResetEventSlim();

    private SerialQmpMachine(string directory, Process qemu)
    {
        _directory = directory;
        _qemu = qemu;
    }

    public static SerialQmpMachine Start(string qemuArgs)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("usb-bench-").FullName;
        string serialPath = System.IO.Path.Combine(directory, "serial.sock");
        string qmpPath = System.IO.Path.Combine(directory, "qmp.sock");
        // wait=on: the machine starts once the serial socket is connected, so no output is lost.
        string args = qemuArgs + $" -display none -monitor none -chardev socket,id=com1,path={serialPath},server=on,wait=on -serial chardev:com1"
            + $" -qmp unix:{qmpPath},server=on,wait=off";
        var info = new ProcessStartInfo("qemu-system-x86_64", args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var machine = new SerialQmpMachine(directory, Process.Start(info));
        machine._qemu.OutputDataReceived += (_, e) => { if (e.Data != null) lock (machine._qemuOutput) machine._qemuOutput.AppendLine(e.Data); };
        machine._qemu.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (machine._qemuOutput) machine._qemuOutput.AppendLine(e.Data); };
        machine._qemu.BeginOutputReadLine();
        machine._qemu.BeginErrorReadLine();
        try
        {
            machine._serial = machine.Connect(serialPath);
            machine._reader = new System.Threading.Thread(machine.ReadSerial) { IsBackground = true };
            machine._reader.Start();
            machine._qmp = machine.Connect(qmpPath);
            var stream = new System.Net.Sockets.NetworkStream(machine._qmp, ownsSocket: false) { ReadTimeout = 30_000 };
            machine._qmpReader = new System.IO.StreamReader(stream);
            machine._qmpWriter = new System.IO.StreamWriter(stream) { AutoFlush = true, NewLine = "\n" };
            machine._qmpReader.ReadLine(); // the greeting
            machine.Execute("{\"execute\":\"qmp_capabilities\"}");
            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    /// <summary>The serial output so far, without escape sequences and CRs.</summary>
    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    public string WaitFor(Func<string, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string text = Text;
            if (condition(text))
                return text;
            if (_qemu.HasExited || clock.Elapsed > timeout)
            {
                string qemuSaid;
                lock (_qemuOutput)
                    qemuSaid = _qemuOutput.ToString();
                throw new Exception($"waiting for {what}: " + (_qemu.HasExited ? "QEMU ended" : "timed out") + "\n--- serial ---\n"
                    + text.Substring(Math.Max(0, text.Length - 3000)) + "\n--- QEMU ---\n" + qemuSaid);
            }
            System.Threading.Thread.Sleep(20);
        }
    }

    public void SendSerial(string text)
    {
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(text);
        int sent = 0;
        while (sent < bytes.Length)
            sent += _serial.Send(bytes, sent, bytes.Length - sent, System.Net.Sockets.SocketFlags.None);
    }

    /// <summary>
    /// Milliseconds from writing send-key (qcodes held together) to the character echo arriving on serial after that
    /// ('\0': any output at all, escape sequences too).
    /// </summary>
    public double TimeKey(string[] qcodes, char echo, TimeSpan timeout)
    {
        lock (_text)
        {
            _arrival.Reset();
            _expected = echo;
            _expectedFrom = _text.Length;
        }
        string keys = string.Join(",", qcodes.Select(q => "{\"type\":\"qcode\",\"data\":\"" + q + "\"}"));
        long sent = Stopwatch.GetTimestamp();
        Execute("{\"execute\":\"send-key\",\"arguments\":{\"keys\":[" + keys + "]}}");
        if (!_arrival.Wait(timeout))
            WaitFor(_ => false, $"the echo of '{echo}'", TimeSpan.Zero);
        return (_arrived - sent) * 1000.0 / Stopwatch.Frequency;
    }

    private System.Net.Sockets.Socket Connect(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            try
            {
                socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (System.Net.Sockets.SocketException)
            {
                socket.Dispose();
                if (_qemu.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                    WaitFor(_ => false, "the socket " + path, TimeSpan.Zero);
                System.Threading.Thread.Sleep(20);
            }
        }
    }

    private string Execute(string command)
    {
        _qmpWriter.WriteLine(command);
        while (true)
        {
            string line = _qmpReader.ReadLine() ?? throw new Exception("QEMU closed the QMP socket");
            if (line.Contains("\"return\""))
                return line;
            if (line.Contains("\"error\""))
                throw new Exception("QMP command " + command + " failed: " + line);
        }
    }

    private void ReadSerial()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int count;
            try
            {
                count = _serial.Receive(buffer);
            }
            catch (Exception)
            {
                return;
            }
            if (count <= 0)
                return;
            long now = Stopwatch.GetTimestamp();
            lock (_text)
            {
                for (int i = 0; i < count; i++)
                {
                    char c = (char)buffer[i];
                    if (_expected == '\0' && _expectedFrom != int.MaxValue)
                    {
                        _arrived = now;
                        _expectedFrom = int.MaxValue;
                        _arrival.Set();
                    }
                    if (_escape == 1)
                        _escape = c == '[' ? 2 : 0;
                    else if (_escape == 2)
                        _escape = c >= '@' && c <= '~' ? 0 : 2;
                    else if (c == '\x1b')
                        _escape = 1;
                    else if (c != '\r')
                    {
                        if (c == _expected && _text.Length >= _expectedFrom)
                        {
                            _arrived = now;
                            _expectedFrom = int.MaxValue;
                            _arrival.Set();
                        }
                        _text.Append(c);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_qemu.HasExited)
                _qemu.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _qemu.WaitForExit();
        _qmpReader?.Dispose();
        _qmpWriter?.Dispose();
        _qmp?.Dispose();
        _serial?.Dispose();
        _reader?.Join(TimeSpan.FromSeconds(5));
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (System.IO.IOException)
        {
        }
    }
}

// One row per phase of the kernel's "boot: X ms in the kernel (...): phase 1.2, phase 3.4, ..." lines: median and
// min-max over the boots, the total first.
List<Dictionary<string, object>> BootPhaseRows(List<string> lines)
{
    if (lines.Count == 0)
        throw new Exception("no 'boot: ... ms in the kernel' line in the kernel's output");
    var order = new List<string>();
    var samples = new Dictionary<string, List<double>>();
    void Add(string name, double ms)
    {
        if (!samples.ContainsKey(name))
        {
            samples[name] = new List<double>();
            order.Add(name);
        }
        samples[name].Add(ms);
    }
    foreach (var line in lines)
    {
        var total = System.Text.RegularExpressions.Regex.Match(line, @"^boot: ([\d.]+) ms in the kernel");
        Add("in the kernel (EfiMain to ready)", double.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        string phases = line.Substring(line.IndexOf("): ", StringComparison.Ordinal) + 3);
        foreach (var part in phases.Split(", "))
        {
            int space = part.LastIndexOf(' ');
            Add(part.Substring(0, space), double.Parse(part.Substring(space + 1), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
    return order.Select(name => new Dictionary<string, object>
    {
        ["name"] = name,
        ["ms_median"] = Math.Round(Median(samples[name]), 1),
        ["ms_min"] = Math.Round(samples[name].Min(), 1),
        ["ms_max"] = Math.Round(samples[name].Max(), 1),
        ["boots"] = samples[name].Count,
    }).ToList();
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
