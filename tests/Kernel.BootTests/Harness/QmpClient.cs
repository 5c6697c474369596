// A minimal QEMU Machine Protocol client: keys, screendumps, pausing the machine, monitor commands and RAM dumps.
using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace Kernel.BootTests.Harness;

/// <summary>A minimal QEMU Machine Protocol client over a unix socket: one JSON object per line each way.</summary>
internal sealed class QmpClient : IDisposable
{
    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;

    private QmpClient(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false) { ReadTimeout = (int)s_replyTimeout.TotalMilliseconds };
        _reader = new StreamReader(stream, new UTF8Encoding(false));
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects (retrying while QEMU creates the socket), reads the greeting and enters command mode.</summary>
    public static QmpClient Connect(string socketPath, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                Thread.Sleep(100);
                continue;
            }

            var client = new QmpClient(socket);
            try
            {
                string greeting = client.ReadLine();
                if (!greeting.Contains("\"QMP\""))
                    throw new InvalidDataException("Not a QMP greeting: " + greeting);
                client.Execute("{\"execute\":\"qmp_capabilities\"}");
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    /// <summary>Presses and releases a key; several qcodes are held together (e.g. "shift", "1" gives '!').</summary>
    public void SendKey(params string[] qcodes) => SendKeyHeld(0, qcodes);

    /// <summary>Like <see cref="SendKey"/>, holding the keys down for holdMilliseconds (0: QEMU's default, 100 ms).</summary>
    public void SendKeyHeld(int holdMilliseconds, params string[] qcodes)
    {
        var keys = new System.Text.StringBuilder();
        for (int i = 0; i < qcodes.Length; i++)
            keys.Append(i == 0 ? "" : ",").Append("{\"type\":\"qcode\",\"data\":").Append(JsonSerializer.Serialize(qcodes[i])).Append('}');
        string hold = holdMilliseconds > 0 ? ",\"hold-time\":" + holdMilliseconds : "";
        Execute("{\"execute\":\"send-key\",\"arguments\":{\"keys\":[" + keys + "]" + hold + "}}");
    }

    /// <summary>
    /// Types <paramref name="text"/> on the PS/2 keyboard, one send-key per character: letters (capitals with Shift),
    /// digits, space, '\n' (Enter), '\b' (Backspace) and - . , / = : are understood.
    /// </summary>
    public void TypeText(string text)
    {
        foreach (char c in text)
            SendKey(QcodesFor(c));
    }

    /// <summary>The qcodes that type <paramref name="c"/> on a US keyboard.</summary>
    public static string[] QcodesFor(char c)
    {
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
            return new[] { c.ToString() };
        if (c >= 'A' && c <= 'Z')
            return new[] { "shift", char.ToLowerInvariant(c).ToString() };
        switch (c)
        {
            case ' ': return new[] { "spc" };
            case '\n': return new[] { "ret" };
            case '\b': return new[] { "backspace" };
            case '-': return new[] { "minus" };
            case '.': return new[] { "dot" };
            case ',': return new[] { "comma" };
            case '/': return new[] { "slash" };
            case '=': return new[] { "equal" };
            case ':': return new[] { "shift", "semicolon" };
            default: throw new ArgumentException("No qcode for '" + c + "'.", nameof(c));
        }
    }

    /// <summary>Injects a non-maskable interrupt, as the monitor's <c>nmi</c> does (on x86: through each CPU's LINT1).</summary>
    public void InjectNmi() => Execute("{\"execute\":\"inject-nmi\"}");

    /// <summary>Asks QEMU to write the screen as a binary PPM to <paramref name="path"/>; returns when it has.</summary>
    public void ScreenDump(string path) =>
        Execute("{\"execute\":\"screendump\",\"arguments\":{\"filename\":" + JsonSerializer.Serialize(path) + "}}");

    /// <summary>Pauses the guest's CPUs (QMP <c>stop</c>), so its memory and registers hold still.</summary>
    public void Stop() => Execute("{\"execute\":\"stop\"}");

    /// <summary>Runs a human monitor command (e.g. <c>info registers</c>) and returns what it printed.</summary>
    public string HumanMonitorCommand(string commandLine)
    {
        using JsonDocument reply = JsonDocument.Parse(Execute("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":"
            + JsonSerializer.Serialize(commandLine) + "}}"));
        return reply.RootElement.GetString();
    }

    /// <summary>Writes <paramref name="bytes"/> of guest physical memory from <paramref name="physicalAddress"/> to <paramref name="path"/>.</summary>
    public void PhysicalMemorySave(ulong physicalAddress, ulong bytes, string path) =>
        Execute("{\"execute\":\"pmemsave\",\"arguments\":{\"val\":" + physicalAddress + ",\"size\":" + bytes + ",\"filename\":"
            + JsonSerializer.Serialize(path) + "}}");

    /// <inheritdoc />
    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _socket.Dispose();
    }

    /// <summary>
    /// Sends one command and reads lines until its reply, returning the reply's "return" value as JSON text;
    /// asynchronous events in between are skipped.
    /// </summary>
    private string Execute(string command)
    {
        _writer.WriteLine(command);
        while (true)
        {
            string line = ReadLine();
            using JsonDocument reply = JsonDocument.Parse(line);
            if (reply.RootElement.TryGetProperty("return", out JsonElement value))
                return value.GetRawText();
            if (reply.RootElement.TryGetProperty("error", out JsonElement error))
                throw new InvalidOperationException("QMP command " + command + " failed: " + error);
        }
    }

    private string ReadLine()
    {
        try
        {
            return _reader.ReadLine() ?? throw new EndOfStreamException("QEMU closed the QMP socket.");
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            throw new TimeoutException("No QMP reply within " + s_replyTimeout.TotalSeconds + " s.", e);
        }
    }
}
