// The kernel proper, after ExitBootServices: the boot order, one call per step (like xv6's main). Each step's
// subsystem prints nothing itself; the lines it returns are printed here, in order, once the console is up.
using System;
using System.Collections.Generic;
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Exceptions;
using Kernel.Firmware;
using Kernel.Gc;
using Kernel.Heap;
using Kernel.Input;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Pci;
using Kernel.Shell;
using Kernel.Smp;
using Kernel.Tasks;
using Kernel.Usb;

namespace Kernel.Boot;

/// <summary>Start-up after the firmware phase, then the executor.</summary>
public static class KernelMain
{
    private const ulong NmiReportIntervalMs = 100;

    private static BootInfo s_info;
    private static BootOptions s_options;
    private static MemoryMap s_memoryMap;
    private static AcpiTables s_acpi;
    private static Madt s_madt;
    private static Fadt s_fadt;

    /// <summary>Runs the kernel; never returns.</summary>
    public static void Run(BootInfo info, BootOptions options)
    {
        s_info = info;
        s_options = options;
        LoadSymbols(info);
        BootTimeline.Mark("symbols");
        EnableExceptions(info);
        AttachScreen(info, options);
        BootTimeline.Mark("console");
        s_memoryMap = ParseMemoryMap(info);
        BootTimeline.Mark("memory map");
        // Never returns: continues in RunOnKernelStack on the kernel's own tables and stack.
        KernelAddressSpace.SwitchTo(info, s_memoryMap, RunOnKernelStack);
    }

    private static void RunOnKernelStack()
    {
        BootTimeline.Mark("page tables");
        KernelAddressSpace.ReleaseBootServicesMemory(s_memoryMap);
        StackWalker.SetPageCheck(address => KernelAddressSpace.Translate(address, out _, out _));
        ExceptionStacks.Install();
        // The collector routes `new` to the heap itself, before the first heap object, so it tracks every one.
        KernelHeap.Initialize(s_options.HeapDesign, HeapLimitBytes(), routeRuntime: false);
        GarbageCollector.Initialize(s_options.GcMode, (ulong)s_options.GcStress);
        RuntimeStartup.ReleaseUnusedEarlyHeap(KernelAddressSpace.Frames.ReleaseLoaderPages);
        BootTimeline.Mark("heap and collector");
        ReadAcpiTables();
        string whyNotEcam = ChoosePciConfigAccess();
        BootTimeline.Mark("ACPI");
        string interruptProblem = InterruptControllers.Initialize(s_options.IrqMode, s_madt, (uint)s_options.TimerHz);
        KernelLog.SetTscFrequency(SystemTimer.TscHz);
        InterruptSafeLock.ConfigureDeadlockCheck(SystemTimer.TscHz, Panic.Begin, Panic.Halt);
        GarbageCollector.SetTscFrequency(SystemTimer.TscHz);
        BootTimeline.Mark("interrupts and timer calibration");
        PciBus.Enumerate();
        BootTimeline.Mark("PCI");
        // Before the PS/2 decision: until the xHCI hand-off, the firmware's SMM may answer on the 8042's ports for a USB keyboard.
        List<string> usb = TakeUsbControllers();
        BootTimeline.Mark("USB hand-off");
        string keyboard = KeyboardDriver.Start(s_fadt, s_acpi);
        BootTimeline.Mark("PS/2");
        // What interrupt handlers touch must exist before interrupts are enabled: they may not allocate.
        Timers.Initialize(SystemTimer.RateHz);
        SystemTimer.Subscribe(Timers.OnTick);
        SystemTimer.Subscribe(Terminal.OnTimerTick);
        ConsoleInput.Initialize();
        string serialProblem = ConsoleInput.StartSerial();
        BootTimeline.Mark("input");
        string[] cpus = Multiprocessor.Start(s_madt, new CpuStartOptions(s_options.SmpEnabled, s_options.CpuLimit, LocalApic.IsX2Apic),
            s_info.ApTrampolinePage, SystemTimer.TscHz);
        BootTimeline.Mark("other CPUs");
        Cpu.EnableInterrupts();
        PrintBootLog(whyNotEcam, interruptProblem, usb, keyboard, serialProblem);
        LogLines(cpus);
        if (s_options.AcpiDump)
            AcpiDump.Write(s_info.AcpiRsdp, line => Serial16550.Write(line + "\n"));
        Executor.SetFaultReporter(ReportTaskFault);
        // One executor per CPU; the others run theirs whenever no work is posted to them.
        Executor.Initialize(Processors.Count, Multiprocessor.WakeCpu);
        Processors.SetIdleLoop(RunExecutorTurn);
        if (GarbageCollector.Enabled)
            Executor.SetIdleWork(GarbageCollector.CollectIfWorthwhile);
        BootTimeline.Mark("boot log and executor");
        Log(BootTimeline.Describe(SystemTimer.TscHz));
        Log("ready");
        if (s_options.TestMode || s_options.BenchMode)
            RunTests();
        // Pinned to the boot CPU: keyboard and serial input, the screen's clock and the NMI count are fed by its interrupts.
        Executor.Spawn("shell", KernelShell.RunAsync(new ShellContext(s_acpi, () => Power.Reboot(s_fadt), Power.Shutdown)), pinned: true);
        Executor.Spawn("clock", UptimeClock.RunAsync(), pinned: true);
        Executor.Spawn("nmi", ReportNmisAsync(), pinned: true);
        if (s_options.UsbEnabled)
            UsbStack.Start(Announce);
        Executor.Run();
    }

    private static void RunExecutorTurn() => Executor.RunOnce(haltWhenIdle: true);

    // The NMI handler only counts (it may strike while the console's lock is held); this task reports from task
    // context, at most one line per interval however many came.
    private static async KernelTask ReportNmisAsync()
    {
        while (true)
        {
            await Timers.Delay(NmiReportIntervalMs);
            string report = NonMaskableInterrupts.TakeReport();
            if (report != null)
                Announce(report);
        }
    }

    // A spawned task whose method threw: one line naming it and the exception, on the console (above the line being
    // typed) and in the kernel log; the kernel and the other tasks go on.
    private static void ReportTaskFault(KernelTask task) => Announce(task.DescribeFault());

    private static void LoadSymbols(BootInfo info)
    {
        if (info.SymbolTable == null)
        {
            Log("symbols: no kernel.sym on the boot volume; panics show addresses only");
            return;
        }
        SymbolTableStatus status = SymbolTable.TryParse(info.SymbolTable, out SymbolTable table);
        if (status != SymbolTableStatus.Ok)
        {
            Log("symbols: kernel.sym rejected (" + SymbolTable.StatusName(status) + "); panics show addresses only");
            return;
        }
        Symbols.Initialize(table, info.ImageBase, info.ImageSize);
    }

    // C# exceptions need the image's unwind records (.pdata): until here every throw is an unhandled-exception panic.
    private static void EnableExceptions(BootInfo info)
    {
        string problem = ExceptionSupport.Enable(info.ImageBase, info.ImageSize);
        if (problem != null)
            Log("exceptions: " + problem + "; every throw panics");
    }

    private static void AttachScreen(BootInfo info, BootOptions options)
    {
        if (info.Framebuffer.Base == 0)
            return;
        PsfParseStatus status = PsfFont.TryParse(EmbeddedFont.Bytes, out PsfFont font);
        if (status != PsfParseStatus.Ok)
        {
            Log("console: embedded font rejected: " + PsfFont.Describe(status) + "; serial only");
            return;
        }
        Terminal.AttachScreen(new Framebuffer(info.Framebuffer), font);
        Terminal.SelectTargets(options.ConsoleTarget);
    }

    private static MemoryMap ParseMemoryMap(BootInfo info)
    {
        MemoryMapInfo raw = info.MemoryMap;
        if (!MemoryMap.TryParse(raw.Bytes, raw.SizeInBytes, raw.DescriptorSize, out MemoryMap map, out MemoryMapError error))
            Panic.Halt("the firmware's memory map was rejected, the kernel cannot manage memory", MemoryMap.Describe(error));
        return map;
    }

    private static string DescribeGc() => GarbageCollector.Enabled
        ? "gc: " + BootOptions.GcModeName(GarbageCollector.Mode) + " mark-sweep"
            + (GarbageCollector.StressEvery != 0 ? ", a collection every " + GarbageCollector.StressEvery.ToString() + " allocations" : "")
        : "gc: off (objects live until KernelHeap.Free; boot option gc=precise or gc=conservative turns the collector on)";

    // heapmax= in MiB, or half of the memory still free.
    private static ulong HeapLimitBytes() =>
        s_options.HeapMaxMiB > 0 ? (ulong)s_options.HeapMaxMiB << 20 : KernelAddressSpace.Frames.FreeFrames * FrameAllocator.FrameSize / 2;

    private static void ReadAcpiTables()
    {
        s_acpi = AcpiTables.Discover(s_info.AcpiRsdp, new DirectMapReader());
        ReadOnlySpan<byte> madt = s_acpi.Find(Madt.Signature);
        if (!madt.IsEmpty)
            s_madt = Madt.Parse(madt);
        ReadOnlySpan<byte> fadt = s_acpi.Find(Fadt.Signature);
        if (!fadt.IsEmpty)
            s_fadt = Fadt.Parse(fadt);
    }

    // ECAM when the MCFG has a well-formed entry for segment 0, else the legacy ports; returns why not ECAM.
    private static string ChoosePciConfigAccess()
    {
        ReadOnlySpan<byte> table = s_acpi.Find(Mcfg.Signature);
        if (table.IsEmpty)
            return "no MCFG";
        Mcfg mcfg = Mcfg.Parse(table);
        if (mcfg.Status != McfgStatus.Ok)
            return mcfg.DescribeStatus();
        if (!mcfg.TryFindSegment(0, out McfgEntry entry))
            return "the MCFG has no entry for segment 0";
        PciConfigSpace.UseEcam(entry.BaseAddress, entry.Segment, entry.StartBus, entry.EndBus);
        return null;
    }

    private static List<string> TakeUsbControllers()
    {
        if (s_options.UsbEnabled)
            return UsbStack.TakeControllers(PciBus.Functions, SystemTimer.TscHz);
        var off = new List<string>();
        off.Add("usb: off (boot option usb=off)");
        return off;
    }

    private static void PrintBootLog(string whyNotEcam, string interruptProblem, List<string> usb, string keyboard, string serialProblem)
    {
        Log("Hello World!");
        Log(KernelVersion.Name + " " + KernelVersion.Version + ", a kernel in C#");
        Log("firmware: " + s_info.FirmwareVendor + " rev 0x" + s_info.FirmwareRevision.ToString("x"));
        for (int i = 0; i < s_info.Notes.Count; i++)
            Log(s_info.Notes[i]);
        Log(Terminal.DescribeScreen());
        Log(s_memoryMap.Summary());
        LogLines(KernelAddressSpace.Summary());
        Log(RuntimeStartup.Summary());
        Log(KernelHeap.StatisticsLine());
        Log(DescribeGc());
        LogLines(s_acpi.Summary());
        Log(s_madt != null ? s_madt.Summary() : "acpi: no MADT");
        Log(PciConfigSpace.Describe(whyNotEcam));
        // Before any driver: sizing turns each function's decoding off for a moment.
        Log(PciListing.Summary(PciBus.Scan));
        LogLines(PciBus.Scan.Problems);
        Log("boot options: " + s_options.EffectiveLine);
        for (int i = 0; i < s_options.DiagnosticCount; i++)
            Log(s_options.GetDiagnostic(i));
        if (s_info.LoadOptionsProblem != null)
            Log(s_info.LoadOptionsProblem);
        if (interruptProblem != null)
            Log(interruptProblem);
        Log(InterruptControllers.Describe());
        Log(InterruptControllers.DescribeNmiWiring());
        for (int i = 0; i < usb.Count; i++)
            Log(usb[i]);
        Log(keyboard);
        if (serialProblem != null)
            Log(serialProblem);
    }

    private static void LogLines(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
            Log(lines[i]);
    }

    // A kernel message: on the console and in the kernel log (the shell's `log`, the panic screen).
    private static void Log(string line)
    {
        KernelLog.Write(line);
        Terminal.WriteLine(line);
    }

    // A kernel message once the shell runs: in the kernel log, and on the console above the line being typed.
    private static void Announce(string line)
    {
        KernelLog.Write(line);
        KernelShell.Announce(line);
    }

    private static void RunTests()
    {
#if KERNEL_TESTS
        if (s_options.BenchMode)
            Testing.BenchmarkRunner.Run(s_options.BenchFilter);
        else
            Testing.TestRunner.Run(s_options.TestFilter, new Testing.BootFacts(s_info, s_memoryMap, s_acpi, s_madt,
                s_options.HeapDesign, s_options.IrqMode, s_options.TimerHz, s_options.VideoMaxWidth, s_options.TestMode, s_options.EffectiveLine));
#else
        Log("test: this kernel was built without tests or benchmarks (build with -c Test)");
        QemuExit.Exit(success: false);
#endif
    }
}
