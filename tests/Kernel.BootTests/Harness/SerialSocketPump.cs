// COM1 on a unix socket: the guest's output copied to the serial log, and input typed to the guest.
using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Kernel.BootTests.Harness;

/// <summary>
/// The harness's end of COM1 when QEMU serves it on a unix socket (<c>-chardev socket,...,server=on,wait=on</c>):
/// a background thread appends every byte the guest writes to the serial log file (flushed after each read, so
/// <see cref="BootHarness.ReadSerialLog"/> sees it at once), and <see cref="Send"/> writes bytes the guest
/// receives as if typed on a terminal.
/// </summary>
internal sealed class SerialSocketPump : IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket;
    private readonly FileStream _log;
    private readonly Thread _reader;
    private readonly object _sendLock = new object();
    private int _disposed;

    private SerialSocketPump(Socket socket, FileStream log)
    {
        _socket = socket;
        _log = log;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "serial socket reader" };
        _reader.Start();
    }

    /// <summary>
    /// Connects to <paramref name="socketPath"/>, retrying while QEMU creates it, and starts copying to
    /// <paramref name="serialLog"/>. Throws when QEMU ends or <paramref name="timeout"/> passes first.
    /// </summary>
    public static SerialSocketPump Connect(string socketPath, string serialLog, Process qemu, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            }
            catch (SocketException e)
            {
                socket.Dispose();
                if (qemu.HasExited)
                    throw new InvalidOperationException("QEMU ended (exit code " + qemu.ExitCode + ") before the serial socket " + socketPath + " could be connected.", e);
                if (clock.Elapsed > timeout)
                    throw new TimeoutException("Could not connect to the serial socket " + socketPath + " within " + timeout.TotalSeconds + " s.", e);
                Thread.Sleep(s_retryInterval);
                continue;
            }

            var log = new FileStream(serialLog, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return new SerialSocketPump(socket, log);
        }
    }

    /// <summary>Sends <paramref name="bytes"/> to the guest's COM1.</summary>
    public void Send(byte[] bytes)
    {
        lock (_sendLock)
        {
            int sent = 0;
            while (sent < bytes.Length)
                sent += _socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }
    }

    /// <summary>Sends <paramref name="text"/>, one byte per character (ISO 8859-1, so "\x1b[A" is three bytes).</summary>
    public void Send(string text) => Send(Encoding.Latin1.GetBytes(text));

    /// <summary>Waits until QEMU has closed its end and everything received is in the log.</summary>
    public bool WaitForEnd(TimeSpan timeout) => _reader.Join(timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        lock (_log)
            _log.Dispose();
    }

    private void ReadLoop()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int count;
            try
            {
                count = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (count <= 0)
                return;
            lock (_log)
            {
                if (Volatile.Read(ref _disposed) != 0 && !_log.CanWrite)
                    return;
                _log.Write(buffer, 0, count);
                _log.Flush();
            }
        }
    }
}
