// Boots the test kernel in QEMU+OVMF from a fresh disk image and collects its serial log and exit status.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Kernel.BootTests.Harness;

/// <summary>
/// Boots the test kernel in QEMU (TCG, no KVM) with OVMF, from a fresh disk image carrying the given boot.cfg,
/// and collects the serial log and exit status. Boots run one at a time, and a kernel that hangs is killed
/// after the timeout, so a broken kernel fails tests instead of hanging CI.
/// </summary>
public static class BootHarness
{
    /// <summary>Boots usually take ~3.5 s; the margin is for a loaded two-core CI machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The machine every boot uses unless told otherwise.</summary>
    public const string DefaultMachine = "q35";

    private static readonly TimeSpan s_killGrace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_serialDrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly SemaphoreSlim s_oneBootAtATime = new SemaphoreSlim(1, 1);

    /// <summary>
    /// Boots with <paramref name="bootOptions"/> as boot.cfg and waits until QEMU ends or
    /// <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>) passes.
    /// </summary>
    /// <param name="bootOptions">The boot.cfg text, e.g. "test" or "test=boot console=serial".</param>
    /// <param name="timeout">How long QEMU may run before it is killed and the result marked timed out.</param>
    /// <param name="gptImage">Boot the release format (scripts/make-image.sh: GPT + FAT32 ESP) instead of a plain FAT image.</param>
    /// <param name="qmp">Open a QMP unix socket (<see cref="RunningBoot.QmpSocketPath"/>).</param>
    /// <param name="extraQemuArgs">More QEMU arguments, appended last.</param>
    /// <param name="whileRunning">Called once QEMU has started; when it returns, QEMU is killed if still running.</param>
    /// <param name="serialInput">
    /// Connect COM1 to a unix socket instead of a file, so <see cref="RunningBoot.SendSerial"/> can type on it; the
    /// harness copies everything received to the same serial log, so reading the output works as in a file boot.
    /// QEMU waits for the harness to connect before it starts the machine, so no output is lost.
    /// </param>
    /// <param name="machine">QEMU's -machine value: "q35" unless given, e.g. "q35,i8042=off" for a machine without a PS/2 controller.</param>
    /// <param name="usbStickController">
    /// Null (the default): the image is the machine's disk. Otherwise an xHCI device name such as "qemu-xhci": the harness
    /// adds that controller with id <see cref="UsbStickControllerId"/> and attaches the image to it as a usb-storage stick
    /// with bootindex 0 (no other disk), so the firmware boots from USB; more USB devices can go on the same controller
    /// with bus=xhci.0 in <paramref name="extraQemuArgs"/>.
    /// </param>
    public static BootResult Boot(string bootOptions, TimeSpan? timeout = null, bool gptImage = false, bool qmp = false,
        string[] extraQemuArgs = null, Action<RunningBoot> whileRunning = null, bool serialInput = false, string machine = DefaultMachine,
        string usbStickController = null)
    {
        RepoPaths.RequireTestKernel();
        string firmwareCode = Ovmf.Code;
        TimeSpan limit = timeout ?? DefaultTimeout;

        s_oneBootAtATime.Wait();
        string workDirectory = null;
        try
        {
            workDirectory = Directory.CreateTempSubdirectory("kboot-").FullName;
            string image = gptImage
                ? DiskImages.CreateGptImage(workDirectory, bootOptions)
                : DiskImages.CreateFatImage(workDirectory, bootOptions);
            string vars = Path.Combine(workDirectory, "OVMF_VARS.fd");
            File.Copy(Ovmf.Vars, vars);
            string serialLog = Path.Combine(workDirectory, "serial.log");
            string qmpSocket = qmp ? Path.Combine(workDirectory, "qmp.sock") : null;
            string serialSocket = serialInput ? Path.Combine(workDirectory, "serial.sock") : null;

            List<string> arguments = QemuArguments(machine, firmwareCode, image, vars, serialLog, qmpSocket, serialSocket, usbStickController);
            if (extraQemuArgs != null)
                arguments.AddRange(extraQemuArgs);
            return Run(bootOptions, arguments, limit, workDirectory, serialLog, qmpSocket, serialSocket, whileRunning);
        }
        finally
        {
            if (workDirectory != null)
                TryDelete(workDirectory);
            s_oneBootAtATime.Release();
        }
    }

    /// <summary>Reads a serial log QEMU may still be writing, with CRLF turned into LF.</summary>
    internal static string ReadSerialLog(string path)
    {
        if (!File.Exists(path))
            return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>The id the harness gives the xHCI controller of a boot from a USB stick: its bus is "xhci.0".</summary>
    public const string UsbStickControllerId = "xhci";

    private static List<string> QemuArguments(string machine, string firmwareCode, string image, string vars, string serialLog, string qmpSocket,
        string serialSocket, string usbStickController)
    {
        var arguments = new List<string>
        {
            "-nodefaults", "-machine", machine, "-m", "256M", "-cpu", "max",
            "-drive", "if=pflash,format=raw,readonly=on,file=" + firmwareCode,
            "-drive", "if=pflash,format=raw,file=" + vars,
        };
        if (usbStickController == null)
            arguments.AddRange(new[] { "-drive", "format=raw,file=" + image });
        else
            arguments.AddRange(new[]
            {
                "-device", usbStickController + ",id=" + UsbStickControllerId,
                "-drive", "if=none,id=usbstick,format=raw,file=" + image,
                "-device", "usb-storage,bus=" + UsbStickControllerId + ".0,drive=usbstick,bootindex=0",
            });
        arguments.AddRange(new[]
        {
            "-vga", "std", "-display", "none",
            "-monitor", "none", "-net", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        });
        // wait=on: QEMU blocks until the harness has connected, before the machine runs, so the socket
        // (which buffers nothing while no one is connected) loses none of the firmware's or kernel's output.
        if (serialSocket != null)
            arguments.AddRange(new[] { "-chardev", "socket,id=com1,path=" + serialSocket + ",server=on,wait=on", "-serial", "chardev:com1" });
        else
            arguments.AddRange(new[] { "-serial", "file:" + serialLog });
        if (qmpSocket != null)
            arguments.AddRange(new[] { "-qmp", "unix:" + qmpSocket + ",server=on,wait=off" });
        return arguments;
    }

    private static BootResult Run(string bootOptions, List<string> arguments, TimeSpan limit, string workDirectory,
        string serialLog, string qmpSocket, string serialSocket, Action<RunningBoot> whileRunning)
    {
        var start = ExternalTool.CreateStartInfo("qemu-system-x86_64", arguments);
        var qemuOutput = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using Process qemu = ExternalTool.StartProcess(start, "install qemu-system-x86");
        qemu.OutputDataReceived += (_, e) => { if (e.Data != null) lock (qemuOutput) qemuOutput.AppendLine(e.Data); };
        qemu.ErrorDataReceived += (_, e) =>
        {
            // wait=on makes QEMU announce that it waits for the harness; that is no news.
            if (e.Data != null && !(serialSocket != null && e.Data.Contains("info: QEMU waiting for connection on:", StringComparison.Ordinal)))
                lock (qemuOutput) qemuOutput.AppendLine(e.Data);
        };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();

        int timedOut = 0;
        bool stoppedByHarness = false;
        SerialSocketPump serial = null;
        try
        {
            if (serialSocket != null)
                serial = SerialSocketPump.Connect(serialSocket, serialLog, qemu, limit);
        }
        catch
        {
            Kill(qemu);
            throw;
        }

        using (serial)
        using (var watchdog = new Timer(_ =>
        {
            if (!qemu.HasExited)
            {
                Interlocked.Exchange(ref timedOut, 1);
                Kill(qemu);
            }
        }, null, limit, Timeout.InfiniteTimeSpan))
        {
            try
            {
                whileRunning?.Invoke(new RunningBoot(qemu, workDirectory, serialLog, qmpSocket, serial));
            }
            finally
            {
                if (whileRunning != null && !qemu.HasExited)
                {
                    stoppedByHarness = true;
                    Kill(qemu);
                }
            }

            if (!qemu.WaitForExit(limit + s_killGrace))
            {
                Kill(qemu);
                throw new InvalidOperationException("QEMU did not end even after being killed.");
            }

            qemu.WaitForExit(); // flushes the redirected output
            serial?.WaitForEnd(s_serialDrainTimeout); // QEMU closed the socket: the log gets the last bytes
        }

        clock.Stop();
        bool wasKilled = timedOut != 0 || stoppedByHarness;
        string output;
        lock (qemuOutput)
            output = qemuOutput.ToString();
        return new BootResult(bootOptions, wasKilled ? null : qemu.ExitCode, ReadSerialLog(serialLog), timedOut != 0 && !stoppedByHarness,
            stoppedByHarness, clock.Elapsed, output);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
