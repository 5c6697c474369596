using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Xunit.Sdk;

namespace Kernel.BootTests
{
    /// <summary>A QEMU run in progress, handed to the whileRunning callback of <see cref="BootHarness.Boot"/>.</summary>
    public sealed class RunningBoot
    {
        private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

        private readonly Process _qemu;
        private readonly string _serialLog;

        internal RunningBoot(Process qemu, string workDirectory, string serialLog, string qmpSocketPath)
        {
            _qemu = qemu;
            WorkDirectory = workDirectory;
            _serialLog = serialLog;
            QmpSocketPath = qmpSocketPath;
        }

        /// <summary>This boot's temporary folder (deleted after the boot): a place for screendumps and the like.</summary>
        public string WorkDirectory { get; }

        /// <summary>The QMP unix socket, or null when the boot was started without QMP.</summary>
        public string QmpSocketPath { get; }

        /// <summary>Whether QEMU has ended.</summary>
        public bool HasExited => _qemu.HasExited;

        /// <summary>The serial output so far, CRLF turned into LF.</summary>
        public string ReadSerial() => BootHarness.ReadSerialLog(_serialLog);

        /// <summary>Waits until a serial line equals <paramref name="line"/>; fails the test with the serial tail otherwise.</summary>
        public void WaitForSerialLine(string line, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                string serial = ReadSerial();
                if (Array.IndexOf(serial.Split('\n'), line) >= 0)
                    return;
                string why = HasExited ? "QEMU ended (exit code " + _qemu.ExitCode + ")"
                    : clock.Elapsed > timeout ? "not seen within " + timeout.TotalSeconds + " s"
                    : null;
                if (why != null)
                    throw new XunitException("Waiting for the serial line '" + line + "': " + why + ".\n--- serial so far ---\n" + Tail(serial));
                Thread.Sleep(s_pollInterval);
            }
        }

        private static string Tail(string serial)
        {
            string[] lines = serial.Split('\n');
            return BootResult.StripEscapes(string.Join("\n", lines, Math.Max(0, lines.Length - 40), Math.Min(40, lines.Length)));
        }
    }
}
