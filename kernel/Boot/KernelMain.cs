// The kernel proper, after ExitBootServices: one call per subsystem, in order.
using System;
using Kernel.Arch;
using Kernel.Console;
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

        /// <summary>The parsed firmware memory map, or null when it was rejected.</summary>
        public static MemoryMap MemoryMap { get; private set; }

        /// <summary>The console font.</summary>
        public static PsfFont Font { get; private set; }

        public static void Run(BootInfo info, BootOptions options)
        {
            Info = info;
            Options = options;
            LoadSymbols(info);
            AttachScreen(info, options);
            PrintBanner(info, options);
            Terminal.WriteLine("ready");
            if (options.TestMode)
                RunTests(options);
            while (true)
                Cpu.Halt();
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
            PrintMemory(info);
            Terminal.WriteLine("boot options: " + options.EffectiveLine);
            for (int i = 0; i < options.DiagnosticCount; i++)
                Terminal.WriteLine(options.GetDiagnostic(i));
            if (info.LoadOptionsProblem != null)
                Terminal.WriteLine(info.LoadOptionsProblem);
        }

        private static void PrintMemory(BootInfo info)
        {
            MemoryMapInfo raw = info.MemoryMap;
            if (!MemoryMap.TryParse(new ReadOnlySpan<byte>(raw.Buffer, raw.SizeInBytes), raw.SizeInBytes, raw.DescriptorSize, out MemoryMap map, out MemoryMapError error))
            {
                Terminal.WriteLine("memory: the firmware's memory map was rejected: " + MemoryMap.Describe(error));
                return;
            }
            MemoryMap = map;
            Terminal.WriteLine("memory: " + Mebibytes(map.UsableBytes) + " MiB usable (the firmware's map describes "
                + Mebibytes(map.TotalBytes) + " MiB in " + map.Count.ToString() + " regions, device memory included)");
        }

        private static string Mebibytes(ulong bytes) => (bytes >> 20).ToString();

        private static void RunTests(BootOptions options)
        {
#if KERNEL_TESTS
            Testing.TestRunner.Run(options.TestFilter);
#else
            Terminal.WriteLine("test: this kernel was built without tests (build with -c Test)");
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
