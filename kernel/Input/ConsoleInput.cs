// Keyboard and serial input for tasks (seed chapter "Async/Await", the async keyboard): interrupt handlers only
// push raw bytes into fixed rings (no allocation, no lock, no printing); the task that awaits ReadKeyAsync
// decodes them (scancode set 1, or terminal escape sequences) into editing keys, and turns a bare ESC from the
// terminal into the Escape key after a short silence. The serial ring never drops: when it is full the UART is
// held back (bytes wait in its FIFO, and on the line behind RTS) until the reader has drained the ring; the
// keyboard cannot be held back, so its ring drops and counts.
using Kernel.Arch;
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Tasks;

namespace Kernel.Input;

/// <summary>The console's input, from the PS/2 keyboard and from COM1.</summary>
public static class ConsoleInput
{
    /// <summary>Bytes each ring holds before it drops (keyboard) or holds the UART back (serial).</summary>
    public const int RingCapacity = 256;

    /// <summary>
    /// A held-back UART resumes once the reader has drained the serial ring to this many bytes: room for the 16
    /// bytes waiting in its FIFO and more, without resuming (and interrupting) for every byte read.
    /// </summary>
    public const int SerialResumeLevel = RingCapacity / 4;

    /// <summary>
    /// Silence on the serial line after which a bare ESC is the Escape key (and a cut-off sequence is dropped).
    /// Terminals send a key's whole sequence in one burst (a byte takes 87 microseconds at 115200 baud), so a gap
    /// this long means no more is coming.
    /// </summary>
    public const ulong EscapeTimeoutMilliseconds = 50;

    private static ByteRing s_scancodes;
    private static ByteRing s_serial;
    private static ScancodeDecoder s_keyboard;
    private static AnsiInputDecoder s_terminal;
    private static readonly InputAwaiter s_awaiter = new InputAwaiter();
    private static KernelTask s_reader;

    // Set by the IRQ 4 handler when the serial ring fills, cleared by the reader (interrupts off) when it resumes.
    private static bool s_serialHeldBack;
    private static ulong s_serialHoldBacks;

    // The silence watch over a pending escape sequence: a delay armed while the decoder holds one, and how many
    // serial bytes the reader had taken when it was armed (more by the time it runs out means no silence yet).
    private static DelayAwaiter s_escapeTimer;
    private static ulong s_serialBytesTaken;
    private static ulong s_serialBytesAtTimer;

    /// <summary>Keys dropped because a ring was full.</summary>
    public static ulong DroppedBytes => (s_scancodes?.DroppedCount ?? 0) + (s_serial?.DroppedCount ?? 0);

    /// <summary>How often the serial ring filled and the UART was held back.</summary>
    public static ulong SerialHoldBacks => s_serialHoldBacks;

    /// <summary>
    /// Creates the rings and decoders and registers the keyboard and serial interrupt handlers; call before
    /// enabling interrupts (handlers must not allocate, so everything they touch exists first).
    /// </summary>
    public static void Initialize()
    {
        s_scancodes = new ByteRing(RingCapacity);
        s_serial = new ByteRing(RingCapacity);
        s_keyboard = new ScancodeDecoder();
        s_terminal = new AnsiInputDecoder();
        InterruptDispatcher.RegisterIsaIrq(IsaIrq.Keyboard, KeyboardDriver.OnInterrupt);
        InterruptDispatcher.RegisterIsaIrq(IsaIrq.Com1, OnSerialInterrupt);
    }

    /// <summary>Lets the serial port interrupt on received bytes; returns why it could not, or null.</summary>
    public static string StartSerial()
    {
        Serial16550.EnableReceiveInterrupt();
        InterruptControllers.TryEnableIsaIrq(IsaIrq.Com1, out string problem);
        return problem;
    }

    /// <summary>From the keyboard interrupt: one scancode byte.</summary>
    public static void OnScancode(byte scancode)
    {
        s_scancodes.TryWrite(scancode);
        s_reader?.Wake();
    }

    // IRQ 4: take the bytes the UART holds (its FIFO may have several) while the ring has room.
    private static void OnSerialInterrupt()
    {
        TakeSerialBytes();
        s_reader?.Wake();
    }

    // With interrupts off. A full ring holds the UART back instead of dropping: the reader resumes it.
    private static void TakeSerialBytes()
    {
        while (s_serial.Count < s_serial.Capacity)
        {
            if (!Serial16550.TryReadByte(out byte received))
                return;
            s_serial.TryWrite(received);
        }
        if (!s_serialHeldBack)
        {
            s_serialHeldBack = true;
            s_serialHoldBacks++;
            Serial16550.HoldBackReceive();
        }
    }

    // Reader side, after taking a serial byte: once the ring has drained far enough, move what waits in the
    // UART's FIFO into the ring and let it interrupt again. Interrupts off, so IRQ 4 cannot hold back in between.
    private static void ResumeSerialIfDrained()
    {
        if (!s_serialHeldBack || s_serial.Count > SerialResumeLevel)
            return;
        using (InterruptsOff.Enter())
        {
            TakeSerialBytes();
            if (s_serial.Count < s_serial.Capacity)
            {
                s_serialHeldBack = false;
                Serial16550.ResumeReceive();
            }
        }
    }

    /// <summary>The next key typed on the keyboard or the serial terminal.</summary>
    public static InputAwaiter ReadKeyAsync() => s_awaiter;

    internal static bool TryTakeKey(out InputKey key)
    {
        while (s_scancodes.TryRead(out byte scancode))
        {
            if (s_keyboard.Feed(scancode, out KeyEvent keyEvent) && keyEvent.IsPressed && TryTranslate(keyEvent, out key))
                return true;
        }
        while (s_serial.TryRead(out byte value))
        {
            ResumeSerialIfDrained();
            s_serialBytesTaken++;
            if (s_terminal.Feed(value, out key))
                return true;
        }
        if (TryEndSequence(out key))
            return true;
        WatchForSilence();
        return false;
    }

    // A bare ESC (or a cut-off sequence) is resolved once the silence watch ran out with no serial byte taken
    // since it was armed; if bytes came meanwhile, WatchForSilence starts a new watch.
    private static bool TryEndSequence(out InputKey key)
    {
        key = default;
        if (s_escapeTimer == null || !s_escapeTimer.IsCompleted)
            return false;
        s_escapeTimer.GetResult();
        s_escapeTimer = null;
        return s_serialBytesTaken == s_serialBytesAtTimer && s_terminal.Flush(out key);
    }

    // While the decoder holds part of a sequence and a reader waits, a delay wakes the reader after the timeout.
    // The delay node goes back to the pool only once it has run out (timers cannot be cancelled); a wake it
    // gives after the sequence completed is spurious, and the executor ignores it.
    private static void WatchForSilence()
    {
        if (s_escapeTimer != null || s_reader == null || !s_terminal.IsInsideSequence)
            return;
        s_serialBytesAtTimer = s_serialBytesTaken;
        s_escapeTimer = Timers.Delay(EscapeTimeoutMilliseconds);
        s_escapeTimer.Register(s_reader);
    }

    internal static void Register(KernelTask reader)
    {
        // Interrupts off between storing the reader and the last look at the rings: a byte that arrived just
        // before is then seen here, one that arrives after finds the reader to wake.
        using (InterruptsOff.Enter())
        {
            s_reader = reader;
            if (!s_scancodes.IsEmpty || !s_serial.IsEmpty)
                reader.Wake();
        }
        WatchForSilence();
    }

    internal static void Unregister() => s_reader = null;

    private static bool TryTranslate(KeyEvent keyEvent, out InputKey key)
    {
        switch (keyEvent.Key)
        {
            case Key.Up: key = InputKey.Of(InputKeyKind.Up); return true;
            case Key.Down: key = InputKey.Of(InputKeyKind.Down); return true;
            case Key.Left: key = InputKey.Of(InputKeyKind.Left); return true;
            case Key.Right: key = InputKey.Of(InputKeyKind.Right); return true;
            case Key.Home: key = InputKey.Of(InputKeyKind.Home); return true;
            case Key.End: key = InputKey.Of(InputKeyKind.End); return true;
            case Key.Delete: key = InputKey.Of(InputKeyKind.Delete); return true;
            case Key.Backspace: key = InputKey.Of(InputKeyKind.Backspace); return true;
            case Key.Enter:
            case Key.KeypadEnter: key = InputKey.Of(InputKeyKind.Enter); return true;
            case Key.Tab: key = InputKey.Of(InputKeyKind.Tab); return true;
            case Key.Escape: key = InputKey.Of(InputKeyKind.Escape); return true;
        }
        char c = keyEvent.Character;
        if (c >= (char)1 && c <= (char)26)
        {
            key = InputKey.Ctrl((char)('A' + c - 1));
            return true;
        }
        if (c >= ' ' && c != (char)0x7F)
        {
            key = InputKey.Typed(c);
            return true;
        }
        key = default;
        return false;
    }
}

/// <summary>Awaiting the next console key.</summary>
public sealed class InputAwaiter : KernelAwaiter
{
    private InputKey _key;
    private bool _hasKey;

    public override bool IsCompleted => _hasKey || (_hasKey = ConsoleInput.TryTakeKey(out _key));

    public override void Register(KernelTask waiter) => ConsoleInput.Register(waiter);

    /// <summary>The key (consumed); the reader is forgotten until it awaits again.</summary>
    public InputKey GetResult()
    {
        ConsoleInput.Unregister();
        if (!_hasKey && !ConsoleInput.TryTakeKey(out _key))
            return default;
        _hasKey = false;
        return _key;
    }

    /// <summary>Itself.</summary>
    public InputAwaiter GetAwaiter() => this;
}
