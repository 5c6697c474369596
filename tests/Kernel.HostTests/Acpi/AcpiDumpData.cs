// Loads the ACPI tables captured from QEMU by scripts/capture-acpi.sh (the test kernel's acpidump boot option):
// lines "acpidump: <SIG> <phys hex> <length> <hex bytes>", ending with "acpidump: end".
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Xunit;

namespace Kernel.HostTests.Acpi;

/// <summary>One captured machine: its tables placed in fake physical memory, and where each one is.</summary>
public sealed class AcpiDumpData
{
    public const string Q35OneCpu = "q35-1cpu";
    public const string Q35FourCpus = "q35-4cpu";
    public const string PcOneCpu = "pc-1cpu";
    public const string PcFourCpus = "pc-4cpu";

    private AcpiDumpData(FakePhysicalMemory memory, ulong rsdpAddress, List<(string Signature, ulong Address, byte[] Bytes)> tables)
    {
        Memory = memory;
        RsdpAddress = rsdpAddress;
        Tables = tables;
    }

    public FakePhysicalMemory Memory { get; }

    public ulong RsdpAddress { get; }

    /// <summary>Every dumped structure in file order, RSDP and root table included.</summary>
    public List<(string Signature, ulong Address, byte[] Bytes)> Tables { get; }

    /// <summary>The bytes of the dumped structure with this signature.</summary>
    public byte[] Bytes(string signature) => Tables.Find(t => t.Signature == signature).Bytes;

    /// <summary>Where the dumped structure with this signature is.</summary>
    public ulong AddressOf(string signature) => Tables.Find(t => t.Signature == signature).Address;

    /// <summary>Loads tests/Kernel.HostTests/Acpi/Data/<paramref name="name"/>.txt (copied next to the test assembly).</summary>
    public static AcpiDumpData Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Acpi", "Data", name + ".txt");
        Assert.True(File.Exists(path), "missing " + path + " (capture it with scripts/capture-acpi.sh)");
        FakePhysicalMemory memory = new FakePhysicalMemory();
        List<(string, ulong, byte[])> tables = new();
        ulong rsdp = 0;
        bool ended = false;
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ');
            Assert.Equal("acpidump:", parts[0]);
            if (parts[1] == "end")
            {
                ended = true;
                continue;
            }

            Assert.Equal(5, parts.Length);
            ulong address = ulong.Parse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            byte[] bytes = Convert.FromHexString(parts[4]);
            Assert.Equal(int.Parse(parts[3], CultureInfo.InvariantCulture), bytes.Length);
            memory.Add(address, bytes);
            tables.Add((parts[1], address, bytes));
            if (parts[1] == "RSDP")
                rsdp = address;
        }

        Assert.True(ended, name + " has no 'acpidump: end' line: the capture was cut short");
        Assert.NotEqual(0UL, rsdp);
        return new AcpiDumpData(memory, rsdp, tables);
    }
}
