// The i8042 PS/2 controller (OSDev "8042 PS/2 Controller"; IBM PC/AT technical reference): initialised from
// scratch rather than trusting the firmware's setup, with scancode translation to set 1 kept on and IRQ 1
// enabled for the first port (the keyboard). Every wait is bounded in time, so a missing or dead controller
// costs at most one timeout, never a hang.
using Kernel.Arch;
using Kernel.Interrupts;

namespace Kernel.Input;

/// <summary>The keyboard controller.</summary>
public static class Ps2Controller
{
    private static readonly IoPort8 DataPort = new IoPort8(0x60);
    private static readonly IoPort8 StatusPort = new IoPort8(0x64);   // read
    private static readonly IoPort8 CommandPort = new IoPort8(0x64);  // write

    private const byte StatusOutputFull = 0x01;
    private const byte StatusInputFull = 0x02;

    // What a read of a port nothing decodes returns on PCs (the bus floats high): no real status has every bit
    // set, since that would claim a parity error, a timeout and both buffers full at once.
    private const byte OpenBusStatus = 0xFF;

    private const byte ReadConfiguration = 0x20;
    private const byte WriteConfiguration = 0x60;
    private const byte DisableSecondPort = 0xA7;
    private const byte SelfTest = 0xAA;
    private const byte TestFirstPort = 0xAB;
    private const byte DisableFirstPort = 0xAD;
    private const byte EnableFirstPort = 0xAE;
    private const byte PulseResetLine = 0xFE;   // pulses output line 0, wired to the CPU's reset on PCs

    private const byte SelfTestPassed = 0x55;
    private const byte PortTestPassed = 0x00;

    // Configuration byte bits.
    private const byte FirstPortInterrupt = 0x01;
    private const byte SecondPortInterrupt = 0x02;
    private const byte FirstPortClockDisabled = 0x10;
    private const byte Translation = 0x40;

    // Keyboard device commands.
    private const byte EnableScanning = 0xF4;
    private const byte Acknowledge = 0xFA;

    // Each wait for the controller or the keyboard: Linux allows 500 ms (I8042_CTL_TIMEOUT); a keyboard must answer
    // a command within 20 ms (IBM PS/2 technical reference), and a self-test takes a few ms on real controllers.
    private const ulong TimeoutMilliseconds = 200;
    // The bound used instead when the TSC has not been calibrated (SystemTimer.TscHz is 0).
    private const int SpinLimit = 1_000_000;
    private const int FlushLimit = 64;

    /// <summary>Why initialisation stopped, or null when it succeeded.</summary>
    public static string Problem { get; private set; }

    /// <summary>
    /// Looks for a controller without changing more than it must: an open bus (status 0xFF) means none, else it
    /// must take a command (disable the keyboard port, so no scancode gets in the way) and return its configuration
    /// byte within the time limit. Call before <see cref="Initialize"/>, which starts over from scratch.
    /// </summary>
    public static Ps2ProbeResult Probe()
    {
        if (StatusPort.Read() == OpenBusStatus)
            return Ps2ProbeResult.NoController;
        if (!SendCommand(DisableFirstPort))
            return Ps2ProbeResult.TimedOut;
        Flush();
        return ReadConfigurationByte(out _) ? Ps2ProbeResult.Answered : Ps2ProbeResult.TimedOut;
    }

    /// <summary>Resets the controller state and enables the keyboard port with IRQ 1; false (and Problem) on failure.</summary>
    public static bool Initialize()
    {
        if (!SendCommand(DisableFirstPort) || !SendCommand(DisableSecondPort))
            return Fail("controller does not accept commands");
        Flush();
        if (!ReadConfigurationByte(out byte configuration))
            return Fail("no configuration byte");
        configuration = (byte)((configuration & ~(FirstPortInterrupt | SecondPortInterrupt | FirstPortClockDisabled)) | Translation);
        if (!WriteConfigurationByte(configuration))
            return Fail("cannot write the configuration byte");
        if (!SendCommand(SelfTest) || !Receive(out byte selfTest) || selfTest != SelfTestPassed)
            return Fail("controller self-test failed");
        // Some controllers reset their configuration during the self-test.
        if (!WriteConfigurationByte(configuration))
            return Fail("cannot restore the configuration byte");
        if (!SendCommand(TestFirstPort) || !Receive(out byte portTest) || portTest != PortTestPassed)
            return Fail("keyboard port test failed");
        if (!SendCommand(EnableFirstPort))
            return Fail("cannot enable the keyboard port");
        if (!SendData(EnableScanning) || !Receive(out byte ack) || ack != Acknowledge)
            return Fail("keyboard did not acknowledge enable-scanning");
        Flush();
        if (!WriteConfigurationByte((byte)(configuration | FirstPortInterrupt)))
            return Fail("cannot enable IRQ 1");
        Problem = null;
        return true;
    }

    /// <summary>Reads the byte waiting in the output buffer, if any (from the IRQ 1 handler).</summary>
    public static bool TryReadData(out byte value)
    {
        if ((StatusPort.Read() & StatusOutputFull) == 0)
        {
            value = 0;
            return false;
        }
        value = DataPort.Read();
        return true;
    }

    /// <summary>Resets the machine through the controller's reset line (the oldest PC reboot method).</summary>
    public static void ResetMachine()
    {
        // Pulse even when the controller seems stuck: there is nothing left to lose.
        WaitForInputEmpty();
        CommandPort.Write(PulseResetLine);
    }

    private static bool ReadConfigurationByte(out byte value)
    {
        value = 0;
        return SendCommand(ReadConfiguration) && Receive(out value);
    }

    private static bool WriteConfigurationByte(byte value) => SendCommand(WriteConfiguration) && SendData(value);

    private static bool SendCommand(byte command)
    {
        if (!WaitForInputEmpty())
            return false;
        CommandPort.Write(command);
        return true;
    }

    private static bool SendData(byte value)
    {
        if (!WaitForInputEmpty())
            return false;
        DataPort.Write(value);
        return true;
    }

    private static bool Receive(out byte value)
    {
        if (WaitForStatus(StatusOutputFull, true))
        {
            value = DataPort.Read();
            return true;
        }
        value = 0;
        return false;
    }

    private static bool WaitForInputEmpty() => WaitForStatus(StatusInputFull, false);

    // Polls the status register until the bit has the wanted state or TimeoutMilliseconds pass.
    private static bool WaitForStatus(byte bit, bool set)
    {
        ulong tscHz = SystemTimer.TscHz;
        ulong limit = tscHz / 1000 * TimeoutMilliseconds;
        ulong start = Cpu.ReadTimeStampCounter();
        for (int spins = 0; ; spins++)
        {
            if (((StatusPort.Read() & bit) != 0) == set)
                return true;
            if (tscHz != 0 ? Cpu.ReadTimeStampCounter() - start > limit : spins >= SpinLimit)
                return false;
            Cpu.Pause();
        }
    }

    private static void Flush()
    {
        for (int i = 0; i < FlushLimit && (StatusPort.Read() & StatusOutputFull) != 0; i++)
            DataPort.Read();
    }

    private static bool Fail(string problem)
    {
        Problem = problem;
        return false;
    }
}
