// A PCI segment in memory for the enumeration tests: functions with 256-byte configuration spaces that behave
// like hardware where enumeration cares. A BAR keeps only the bits its sizing mask allows (what the register read
// back after all ones were written, as captured from QEMU), so writing all ones reads back the size; the status
// half of the command dword is write-1-to-clear; an absent function reads all ones and ignores writes. It also
// records what a careless enumerator would get wrong: a BAR holding all ones while the function decodes.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Kernel.Pci;

namespace Kernel.HostTests.Pci;

public sealed class SimulatedPciBus : IPciConfigAccess
{
    private readonly Dictionary<int, SimulatedFunction> _functions = new Dictionary<int, SimulatedFunction>();

    /// <summary>Reads since the bus was made.</summary>
    public long Reads { get; private set; }

    /// <summary>Writes since the bus was made.</summary>
    public long Writes { get; private set; }

    /// <summary>Functions whose BAR held all ones while their memory or I/O decode was on.</summary>
    public List<string> DecodingWhileSized { get; } = new List<string>();

    /// <summary>Adds (or replaces) the function at bus:device.function and returns it.</summary>
    public SimulatedFunction Add(int bus, int device, int function, byte[] config, uint[] barMasks = null)
    {
        var added = new SimulatedFunction(new PciAddress(bus, device, function), config, barMasks ?? new uint[6]);
        _functions[Key(added.Address)] = added;
        return added;
    }

    /// <summary>The function at address, or null.</summary>
    public SimulatedFunction Get(PciAddress address) => _functions.TryGetValue(Key(address), out SimulatedFunction f) ? f : null;

    /// <summary>Every function, in no particular order.</summary>
    public IEnumerable<SimulatedFunction> All => _functions.Values;

    public uint Read32(PciAddress address, int offset)
    {
        CheckOffset(offset);
        Reads++;
        SimulatedFunction function = Get(address);
        return function == null ? 0xFFFF_FFFF : function.Dword(offset);
    }

    public void Write32(PciAddress address, int offset, uint value)
    {
        CheckOffset(offset);
        Writes++;
        SimulatedFunction function = Get(address);
        if (function == null)
            return;
        if (function.Write(offset, value))
            DecodingWhileSized.Add(address.ToString());
    }

    /// <summary>
    /// The functions of a dump written by the temporary kernel loop (tests/Kernel.HostTests/Pci/Data/NAME.txt):
    /// "pcidump ssss:bb:dd.f", 16 rows of "oo: xx ...", then "sizing:" and one read-back per BAR register.
    /// </summary>
    public static SimulatedPciBus LoadDump(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Pci", "Data", name + ".txt");
        var bus = new SimulatedPciBus();
        PciAddress address = default;
        byte[] config = null;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("#"))
                continue;
            if (line.StartsWith("pcidump "))
            {
                string[] parts = line.Substring(8).Split(':', '.');
                address = new PciAddress(Hex(parts[0]), Hex(parts[1]), Hex(parts[2]), Hex(parts[3]));
                config = new byte[256];
                continue;
            }
            if (line.StartsWith("sizing:"))
            {
                string[] words = line.Substring(7).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var masks = new uint[6];
                for (int i = 0; i < words.Length; i++)
                    masks[i] = (uint)Hex(words[i]);
                bus.Add(address.Bus, address.Device, address.Function, config, masks);
                continue;
            }
            int row = Hex(line.Substring(0, 2));
            string[] bytes = line.Substring(3).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < bytes.Length; i++)
                config[row + i] = (byte)Hex(bytes[i]);
        }
        return bus;
    }

    private static int Hex(string text) => (int)uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static int Key(PciAddress address) => (address.Bus << 8) | (address.Device << 3) | address.Function;

    private static void CheckOffset(int offset)
    {
        if (offset < 0 || offset > 252 || offset % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(offset), "offset 0x" + offset.ToString("x") + " is not a dword of the 256-byte space");
    }
}

/// <summary>One simulated function.</summary>
public sealed class SimulatedFunction
{
    private const int CommandOffset = 0x04;
    private const int FirstBar = 0x10;
    private readonly uint[] _barMasks;

    public SimulatedFunction(PciAddress address, byte[] config, uint[] barMasks)
    {
        Address = address;
        Config = config;
        _barMasks = barMasks;
    }

    public PciAddress Address { get; }

    /// <summary>The configuration space as it is now.</summary>
    public byte[] Config { get; }

    /// <summary>Every value written to the command dword, in order.</summary>
    public List<uint> CommandWrites { get; } = new List<uint>();

    public uint Dword(int offset) => BitConverter.ToUInt32(Config, offset);

    public void SetDword(int offset, uint value) => BitConverter.GetBytes(value).CopyTo(Config, offset);

    // Applies a write as the hardware would; true when it leaves a BAR all ones while decode is on.
    internal bool Write(int offset, uint value)
    {
        if (offset == CommandOffset)
        {
            CommandWrites.Add(value);
            uint status = (Dword(offset) >> 16) & ~(value >> 16);
            SetDword(offset, (status << 16) | (value & 0xFFFF));
            return false;
        }
        int barCount = (Config[0x0E] & 0x7F) == 0 ? 6 : (Config[0x0E] & 0x7F) == 1 ? 2 : 0;
        int bar = (offset - FirstBar) / 4;
        if (offset >= FirstBar && bar < barCount)
        {
            SetDword(offset, value & _barMasks[bar]);
            return value == 0xFFFF_FFFF && _barMasks[bar] != 0 && (Dword(CommandOffset) & 3) != 0;
        }
        SetDword(offset, value);
        return false;
    }
}
