// What each shell command does; names, usage and argument checks live in CommandTable. A command may throw (a bad
// number is a FormatException from CommandLine.ParseUInt): the shell prints the exception as its one error line.
using System;
using Kernel.Acpi;
using Kernel.Usb;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Gc;
using Kernel.Heap;
using Kernel.Input;
using Kernel.Interrupts;
using Kernel.Cpus;
using Kernel.Memory;
using Kernel.Pci;
using Kernel.Smp;
using Kernel.Tasks;

namespace Kernel.Shell;

/// <summary>The shell's commands.</summary>
public static class ShellCommands
{
    // Rows of a page of `log` on a serial-only console (the classic terminal height).
    private const int SerialPageRows = 24;

    /// <summary>
    /// Parses and runs one command line, printing its output or a one-line error; an exception the command throws
    /// faults the returned task (KernelShell prints it).
    /// </summary>
    public static async KernelTask RunAsync(string line, ShellContext context)
    {
        if (!CommandLine.TryParse(line, out CommandLine command, out string error))
        {
            Terminal.WriteLine(error);
            return;
        }
        if (command.IsEmpty)
            return;
        int index = CommandTable.Find(command.Name);
        if (index < 0)
        {
            Terminal.WriteLine(CommandTable.UnknownCommandMessage(command.Name));
            return;
        }
        string argumentError = CommandTable.CheckArguments(index, command.ArgumentCount);
        if (argumentError != null)
        {
            Terminal.WriteLine(argumentError);
            return;
        }
        switch ((ShellCommand)index)
        {
            case ShellCommand.Help: Help(); break;
            case ShellCommand.Echo: Echo(command); break;
            case ShellCommand.Clear: Terminal.Clear(); break;
            case ShellCommand.Mem: Mem(); break;
            case ShellCommand.Gc: CollectGarbage(); break;
            case ShellCommand.Uptime: Terminal.WriteLine("up " + Uptime()); break;
            case ShellCommand.Irq: Terminal.WriteLine(InterruptCounters.Summary()); WriteInputCounters(); break;
            case ShellCommand.Log: await Log(command); break;
            case ShellCommand.Tasks: Tasks(); break;
            case ShellCommand.Acpi: Acpi(context.Acpi); break;
            case ShellCommand.Pci: Pci(); break;
            case ShellCommand.Cpu: Cpu(); break;
            case ShellCommand.Lsusb: WriteLines(UsbStack.DescribeDevices()); break;
            case ShellCommand.Parallel: await Parallel(command); break;
            case ShellCommand.Sleep: await Sleep(command); break;
            case ShellCommand.Reboot: Reboot(context); break;
            case ShellCommand.Shutdown: Shutdown(context); break;
        }
    }

    /// <summary>Uptime as h:mm:ss.</summary>
    public static string Uptime()
    {
        ulong seconds = SystemTimer.UptimeMilliseconds / 1000;
        ulong minutes = seconds / 60 % 60;
        ulong secs = seconds % 60;
        return (seconds / 3600).ToString() + ":" + (minutes < 10 ? "0" : "") + minutes.ToString() + ":" + (secs < 10 ? "0" : "") + secs.ToString();
    }

    private static void Help()
    {
        int width = CommandTable.LongestUsage;
        for (int i = 0; i < CommandTable.Count; i++)
            Terminal.WriteLine("  " + CommandTable.Usage(i).PadRight(width + 2) + CommandTable.Help(i));
    }

    private static void Echo(CommandLine command)
    {
        string text = "";
        for (int i = 0; i < command.ArgumentCount; i++)
            text = text + (i == 0 ? "" : " ") + command.Argument(i);
        Terminal.WriteLine(text);
    }

    private static void Mem()
    {
        FrameAllocator frames = KernelAddressSpace.Frames;
        Terminal.WriteLine("frames: " + frames.FreeFrames.ToString() + " free of " + frames.TotalFrames.ToString() + " ("
            + (frames.FreeFrames * FrameAllocator.FrameSize >> 20).ToString() + " MiB free), "
            + KernelAddressSpace.Mapper.TableFrames.ToString() + " page-table frames");
        Terminal.WriteLine(KernelHeap.StatisticsLine());
        Terminal.WriteLine(GcStatisticsLine());
    }

    private static void CollectGarbage()
    {
        if (!GarbageCollector.Enabled)
        {
            Terminal.WriteLine("gc: the collector is off (boot option gc=conservative or gc=precise)");
            return;
        }
        if (!GarbageCollector.Collect())
        {
            Terminal.WriteLine("gc: cannot collect here");
            return;
        }
        SweepResult sweep = GarbageCollector.LastSweep;
        Terminal.WriteLine("gc: reclaimed " + sweep.FreedBytes.ToString() + " bytes in " + sweep.FreedObjects.ToString()
            + " objects; " + sweep.LiveBytes.ToString() + " bytes live in " + sweep.LiveObjects.ToString() + " objects; marked "
            + GarbageCollector.LastMarkedObjects.ToString() + "; pause " + GarbageCollector.CyclesToMicroseconds(GarbageCollector.LastPauseCycles).ToString() + " us");
    }

    /// <summary>The collector's mode and counters on one line.</summary>
    public static string GcStatisticsLine()
    {
        if (!GarbageCollector.Enabled)
            return "gc: off";
        SweepResult sweep = GarbageCollector.LastSweep;
        return "gc " + (GarbageCollector.Mode == GcMode.Precise ? "precise" : "conservative") + ": "
            + GarbageCollector.Collections.ToString() + " collections, last pause " + GarbageCollector.CyclesToMicroseconds(GarbageCollector.LastPauseCycles).ToString()
            + " us (max " + GarbageCollector.CyclesToMicroseconds(GarbageCollector.MaxPauseCycles).ToString() + " us), "
            + GarbageCollector.TotalFreedBytes.ToString() + " bytes reclaimed in all, " + sweep.LiveBytes.ToString() + " bytes live at the last collection, "
            + GarbageCollector.BytesSinceCollection.ToString() + " allocated since (budget " + GarbageCollector.BudgetBytes.ToString() + "), "
            + GarbageCollector.BitmapBytes.ToString() + " bitmap bytes"
            + (GarbageCollector.Mode == GcMode.Precise
                ? ", stack frames " + GarbageCollector.PreciseFrames.ToString() + " precise / " + GarbageCollector.ConservativeFrames.ToString() + " conservative"
                : "");
    }

    // `log N`: the last N lines. `log`: all of it, a screenful at a time (a key for the next page, q to stop).
    private static async KernelTask Log(CommandLine command)
    {
        LogRing ring = KernelLog.Ring;
        if (ring == null)
        {
            Terminal.WriteLine("log: the kernel log was not started");
            return;
        }
        long first = ring.FirstLine;
        bool paged = command.ArgumentCount == 0;
        if (!paged)
        {
            uint count = CommandLine.ParseUInt(command.Argument(0), (uint)KernelLog.LineCapacity);
            first = Math.Max(first, ring.NextLine - count);
        }
        else if (ring.ForgottenLines > 0)
        {
            Terminal.WriteLine("(" + ring.ForgottenLines.ToString() + " older lines forgotten)");
        }
        long end = ring.NextLine;
        int pageLines = Math.Max((Terminal.WritesToScreen ? Terminal.Grid.Rows : SerialPageRows) - 1, 1);
        int shown = 0;
        for (long line = first; line < end; line++)
        {
            string text = KernelLog.Format(line);
            if (text == null)
                continue; // forgotten while the reader paged
            Terminal.WriteLine(text);
            if (paged && ++shown % pageLines == 0 && line + 1 < end)
            {
                Terminal.Write("-- more: any key, q to stop --");
                InputKey key = await ConsoleInput.ReadKeyAsync();
                Terminal.WriteLine("");
                if (key.Kind == InputKeyKind.Character && key.Character == 'q' || key.IsCtrl('C'))
                    return;
            }
        }
    }

    private static void Tasks()
    {
        for (int i = 0; i < Executor.SpawnedCount; i++)
        {
            Terminal.WriteLine(TaskListing.Line(Executor.Spawned(i)));
        }
        Terminal.WriteLine("  idle halts: " + Executor.IdleHalts.ToString() + ", sleepers: " + Timers.SleeperCount.ToString());
    }

    private static void Acpi(AcpiTables acpi)
    {
        Terminal.WriteLine(acpi.DescribeRsdp());
        for (int i = 0; i < acpi.Count; i++)
            Terminal.WriteLine("  " + acpi[i].Describe());
    }

    private static void WriteLines(System.Collections.Generic.List<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
            Terminal.WriteLine(lines[i]);
    }

    private static void Cpu()
    {
        Terminal.WriteLine("vendor: " + CpuFeatures.Vendor());
        Terminal.WriteLine("brand: " + (CpuFeatures.Brand() ?? "(not reported)"));
        Terminal.WriteLine("features: " + CpuFeatures.Summary());
        Terminal.WriteLine("TSC: " + (SystemTimer.TscHz / 1_000_000).ToString() + " MHz (measured)");
        for (int i = 0; i < Processors.Count; i++)
        {
            string line = Multiprocessor.DescribeCpu(i, SystemTimer.TscHz);
            if (i < Executor.CpuCount)
                line += "; " + Executor.StepsRunOn(i).ToString() + " task steps (" + Executor.StolenBy(i).ToString() + " stolen), "
                    + Executor.IdleHaltsOf(i).ToString() + " idle halts, " + SystemTimer.TicksOn(i).ToString() + " timer ticks";
            Terminal.WriteLine(line);
        }
    }

    // `parallel [tasks]`: the demo workload; one line of per-CPU counts.
    private static async KernelTask Parallel(CommandLine command)
    {
        uint tasks = command.ArgumentCount == 0 ? ParallelDemo.DefaultTasks : CommandLine.ParseUInt(command.Argument(0), ParallelDemo.MaxTasks);
        if (tasks == 0)
            throw new FormatException("parallel: at least one task");
        Terminal.WriteLine(await ParallelDemo.RunAsync((int)tasks));
    }

    private static async KernelTask Sleep(CommandLine command)
    {
        uint seconds = CommandLine.ParseUInt(command.Argument(0), CommandTable.MaxSleepSeconds);
        ulong start = SystemTimer.Ticks;
        await Timers.Delay(seconds * 1000UL);
        Terminal.WriteLine("slept " + (SystemTimer.Ticks - start).ToString() + " ticks");
    }

    private static void Pci()
    {
        PciFunction[] functions = PciBus.Functions;
        if (functions.Length == 0)
            Terminal.WriteLine("pci: no functions found");
        for (int i = 0; i < functions.Length; i++)
        {
            string[] lines = PciListing.Lines(functions[i]);
            for (int j = 0; j < lines.Length; j++)
                Terminal.WriteLine(lines[j]);
        }
    }

    private static void Reboot(ShellContext context)
    {
        Terminal.WriteLine("rebooting...");
        context.Reboot();
        Terminal.WriteLine("reboot failed: no reset method worked");
    }

    private static void Shutdown(ShellContext context)
    {
        Terminal.WriteLine("shutting down...");
        context.Shutdown();
        Terminal.WriteLine("shutdown failed: the firmware did not switch the machine off");
    }

    private static void WriteInputCounters() =>
        Terminal.WriteLine("input: serial held back " + ConsoleInput.SerialHoldBacks.ToString() + " times, "
            + ConsoleInput.DroppedBytes.ToString() + " key bytes dropped");
}
