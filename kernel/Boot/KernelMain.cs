// The kernel proper, after ExitBootServices: one call per subsystem, in order.
using System;
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Heap;
using Kernel.Interrupts;
using Kernel.Keyboard;
using Kernel.Memory;

namespace Kernel.Boot
{
    /// <summary>Start-up after the firmware phase, then the idle loop.</summary>
    internal static unsafe class KernelMain
    {
        /// <summary>What the boot found, for tests and later subsystems.</summary>
        public static BootInfo Info { get; private set; }

        /// <summary>The effective boot options.</summary>
        public static BootOptions Options { get; private set; }

        /// <summary>The parsed firmware memory map (a map the parser rejects stops the boot with a panic).</summary>
        public static MemoryMap MemoryMap { get; private set; }

        /// <summary>The ACPI tables found (never null after start-up).</summary>
        public static AcpiTables Acpi { get; private set; }

        /// <summary>The parsed MADT, or null when there is none.</summary>
        public static Madt Madt { get; private set; }

        /// <summary>The parsed FADT, or null when there is none.</summary>
        public static Fadt Fadt { get; private set; }

        /// <summary>The console font.</summary>
        public static PsfFont Font { get; private set; }

        public static void Run(BootInfo info, BootOptions options)
        {
            Info = info;
            Options = options;
            LoadSymbols(info);
            AttachScreen(info, options);
            MemoryMap = ParseMemoryMap(info);
            // Never returns: continues in RunOnKernelStack on the kernel's own tables and stack.
            KernelAddressSpace.SwitchTo(info, MemoryMap, &RunOnKernelStack);
        }

        private static void RunOnKernelStack()
        {
            KernelAddressSpace.ReleaseBootServicesMemory(MemoryMap);
            ExceptionStacks.Install();
            KernelHeap.Initialize(Options.HeapDesign, HeapLimitBytes());
            ReadAcpiTables();
            InterruptControllers.Initialize(Options.IrqMode, Madt, (uint)Options.TimerHz);
            string keyboard = StartKeyboard();
            // What interrupt handlers touch must exist before interrupts are enabled: they may not allocate.
            Tasks.Timers.Initialize();
            Tasks.ConsoleInput.Initialize();
            Serial16550.EnableReceiveInterrupt();
            InterruptControllers.EnableIsaIrq(Vectors.Com1 - Vectors.IsaBase);
            Cpu.EnableInterrupts();
            PrintBanner(Info, Options);
            Terminal.WriteLine(InterruptControllers.Describe());
            Terminal.WriteLine(keyboard);
            if (Options.AcpiDump)
                AcpiDump.Write(Info.AcpiRsdp);
            Terminal.WriteLine("ready");
            if (Options.TestMode || Options.BenchMode)
                RunTests(Options);
            Tasks.Executor.Spawn("shell", Shell.KernelShell.RunAsync());
            Tasks.Executor.Spawn("clock", Shell.UptimeClock.RunAsync());
            Tasks.Executor.Run();
        }

        private static void LoadSymbols(BootInfo info)
        {
            if (info.SymbolTable == null)
            {
                Terminal.WriteLine("symbols: no kernel.sym on the boot volume; panics show addresses only");
                return;
            }
            SymbolTableStatus status = SymbolTable.TryParse(info.SymbolTable, out SymbolTable table);
            if (status != SymbolTableStatus.Ok)
            {
                Terminal.WriteLine("symbols: kernel.sym rejected (" + SymbolTableStatusName(status) + "); panics show addresses only");
                return;
            }
            Symbols.Initialize(table, info.ImageBase, info.ImageSize);
        }

        private static void AttachScreen(BootInfo info, BootOptions options)
        {
            if (info.Framebuffer.Base == 0)
                return;
            int fontSize;
            byte* fontData = Native.ConsoleFontData(&fontSize);
            PsfParseStatus status = PsfFont.TryParse(new ReadOnlySpan<byte>(fontData, fontSize), out PsfFont font);
            if (status != PsfParseStatus.Ok)
            {
                Terminal.WriteLine("console: embedded font rejected: " + PsfFont.Describe(status) + "; serial only");
                return;
            }
            Font = font;
            Terminal.AttachScreen(new Framebuffer(info.Framebuffer), font);
            Terminal.SelectTargets(options.ConsoleTarget);
        }

        private static void PrintBanner(BootInfo info, BootOptions options)
        {
            Terminal.WriteLine("Hello World!");
            Terminal.WriteLine(KernelVersion.Name + " " + KernelVersion.Version + ", a kernel in C#");
            Terminal.WriteLine("firmware: " + info.FirmwareVendor + " rev 0x" + info.FirmwareRevision.ToString("x"));
            if (info.Framebuffer.Base != 0)
            {
                Terminal.WriteLine("screen: " + info.Framebuffer.Width.ToString() + "x" + info.Framebuffer.Height.ToString()
                    + " (mode " + info.Framebuffer.ModeNumber.ToString() + ", stride " + info.Framebuffer.PixelsPerScanLine.ToString()
                    + ", " + (info.Framebuffer.Format == PixelFormat.Bgr ? "BGR" : "RGB") + "), font "
                    + Font?.Width.ToString() + "x" + Font?.Height.ToString());
            }
            else
            {
                Terminal.WriteLine("screen: none (serial console only)");
            }
            PrintMemory();
            Terminal.WriteLine(KernelHeap.StatisticsLine());
            PrintAcpi();
            Terminal.WriteLine("boot options: " + options.EffectiveLine);
            for (int i = 0; i < options.DiagnosticCount; i++)
                Terminal.WriteLine(options.GetDiagnostic(i));
            if (info.LoadOptionsProblem != null)
                Terminal.WriteLine(info.LoadOptionsProblem);
        }

        // heapmax= in MiB, or half of the memory still free.
        private static ulong HeapLimitBytes() =>
            Options.HeapMaxMiB > 0 ? (ulong)Options.HeapMaxMiB << 20 : KernelAddressSpace.Frames.FreeFrames * FrameAllocator.FrameSize / 2;

        private static void ReadAcpiTables()
        {
            Acpi = AcpiTables.Discover(Info.AcpiRsdp, new DirectMapReader());
            ReadOnlySpan<byte> madt = Acpi.Find(Kernel.Acpi.Madt.Signature);
            if (!madt.IsEmpty)
                Madt = Kernel.Acpi.Madt.Parse(madt);
            ReadOnlySpan<byte> fadt = Acpi.Find(Kernel.Acpi.Fadt.Signature);
            if (!fadt.IsEmpty)
                Fadt = Kernel.Acpi.Fadt.Parse(fadt);
        }

        // The FADT's IA-PC boot flags say whether an 8042 exists; an ACPI 1.0 FADT cannot say, so one is assumed.
        private static string StartKeyboard()
        {
            if (Fadt != null && !Fadt.Has8042)
                return "keyboard: the FADT says there is no 8042 controller; PS/2 keyboard skipped";
            if (!Ps2Controller.Initialize())
                return "keyboard: PS/2 controller not usable (" + Ps2Controller.Problem + "); no keyboard";
            InterruptControllers.EnableIsaIrq(1);
            return "keyboard: PS/2 on IRQ 1 (scancode set 1, US layout)";
        }

        private static void PrintAcpi()
        {
            AcpiTables acpi = Acpi;
            string tables = "";
            for (int i = 0; i < acpi.Count; i++)
                tables = tables + (i == 0 ? "" : " ") + acpi[i].Signature;
            Terminal.WriteLine("acpi: " + acpi.DescribeRsdp() + ", tables: " + tables);
            for (int i = 0; i < acpi.Count; i++)
            {
                if (!acpi[i].IsValid)
                    Terminal.WriteLine("acpi: table skipped: " + acpi[i].Describe());
            }
            if (Madt != null)
            {
                Terminal.WriteLine("acpi: MADT " + Kernel.Acpi.Madt.StatusName(Madt.Status) + ": " + Madt.ProcessorCount.ToString() + " processors, "
                    + Madt.IoApics.Length.ToString() + " I/O APIC, " + Madt.Overrides.Length.ToString() + " source overrides, local APIC at 0x"
                    + Madt.LocalApicAddress.ToString("x") + (Madt.IsPcAtCompatible ? ", PCAT_COMPAT" : ""));
            }
            else
            {
                Terminal.WriteLine("acpi: no MADT");
            }
        }

        private static MemoryMap ParseMemoryMap(BootInfo info)
        {
            MemoryMapInfo raw = info.MemoryMap;
            if (!MemoryMap.TryParse(new ReadOnlySpan<byte>(raw.Buffer, raw.SizeInBytes), raw.SizeInBytes, raw.DescriptorSize, out MemoryMap map, out MemoryMapError error))
                Panic.Halt("the firmware's memory map was rejected, the kernel cannot manage memory", MemoryMap.Describe(error));
            return map;
        }

        private static void PrintMemory()
        {
            MemoryMap map = MemoryMap;
            FrameAllocator frames = KernelAddressSpace.Frames;
            Terminal.WriteLine("memory: " + Mebibytes(map.UsableBytes) + " MiB usable (the firmware's map describes "
                + Mebibytes(map.TotalBytes) + " MiB in " + map.Count.ToString() + " regions, device memory included)");
            Terminal.WriteLine("mem: " + frames.FreeFrames.ToString() + " of " + frames.TotalFrames.ToString() + " frames free ("
                + Mebibytes(frames.FreeFrames * FrameAllocator.FrameSize) + " MiB), " + KernelAddressSpace.Mapper.TableFrames.ToString()
                + " page-table frames, direct map " + Mebibytes(KernelAddressSpace.DirectMapBytes) + " MiB in "
                + (KernelAddressSpace.UsesGigabytePages ? "1 GiB" : "2 MiB") + " pages, NX " + (KernelAddressSpace.NoExecute != PageFlags.None ? "on" : "unavailable"));
            Terminal.WriteLine("mem: reserved " + Kibibytes(frames.ReservedBytes(MemoryType.LoaderCode) + frames.ReservedBytes(MemoryType.LoaderData)) + " KiB kernel and loader, "
                + Kibibytes(frames.ReservedBytes(MemoryType.RuntimeServicesCode) + frames.ReservedBytes(MemoryType.RuntimeServicesData)) + " KiB UEFI runtime, "
                + Kibibytes(frames.ReservedBytes(MemoryType.AcpiReclaim) + frames.ReservedBytes(MemoryType.AcpiNvs)) + " KiB ACPI, "
                + Kibibytes(frames.ReservedBytes(MemoryType.Reserved) + frames.ReservedBytes(MemoryType.MemoryMappedIo)) + " KiB reserved and MMIO");
        }

        private static string Mebibytes(ulong bytes) => (bytes >> 20).ToString();

        private static string Kibibytes(ulong bytes) => (bytes >> 10).ToString();

        private static void RunTests(BootOptions options)
        {
#if KERNEL_TESTS
            if (options.BenchMode)
                Testing.BenchmarkRunner.Run(options.BenchFilter);
            else
                Testing.TestRunner.Run(options.TestFilter);
#else
            Terminal.WriteLine("test: this kernel was built without tests or benchmarks (build with -c Test)");
            QemuExit.Exit(success: false);
#endif
        }

        private static string SymbolTableStatusName(SymbolTableStatus status) => status switch
        {
            SymbolTableStatus.TooShort => "too short",
            SymbolTableStatus.BadMagic => "bad magic",
            SymbolTableStatus.UnsupportedVersion => "unsupported version",
            SymbolTableStatus.Truncated => "truncated",
            SymbolTableStatus.NameOutOfRange => "name out of range",
            SymbolTableStatus.NotSorted => "not sorted",
            _ => "unknown",
        };
    }
}
