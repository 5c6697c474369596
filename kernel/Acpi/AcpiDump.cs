// Writes the raw ACPI tables the kernel reads (RSDP, XSDT/RSDT, every table they list, and the DSDT the FADT
// names) one line each, for the
// acpidump boot option (Boot sends the lines to serial): that is how the host tests' ACPI test data is captured
// from QEMU.
// Format: "acpidump: <signature> <physical address hex> <length> <bytes hex>", then "acpidump: end".
using System;
using Kernel.Memory;

namespace Kernel.Acpi;

/// <summary>Dumps ACPI tables as hex.</summary>
public static class AcpiDump
{
    private const int RsdpRevision2Length = 36;
    private const int RsdpRevisionOffset = 15;
    private const int RsdtAddressOffset = 16;
    private const int XsdtAddressOffset = 24;
    private const int HeaderLength = 36;
    private const int MaxTableBytes = 64 * 1024;

    /// <summary>Dumps everything reachable from the RSDP at rsdpPhysical (bounded, never trusting lengths blindly).</summary>
    public static void Write(ulong rsdpPhysical, Action<string> writeLine)
    {
        if (rsdpPhysical == 0)
        {
            writeLine("acpidump: no RSDP");
            return;
        }
        ReadOnlySpan<byte> rsdp = KernelAddressSpace.PhysicalBytes(rsdpPhysical, RsdpRevision2Length);
        bool extended = rsdp[RsdpRevisionOffset] >= 2;
        WriteTable(writeLine, "RSDP", rsdpPhysical, extended ? RsdpRevision2Length : 20);
        ulong root = extended ? ReadUInt64(rsdp, XsdtAddressOffset) : ReadUInt32(rsdp, RsdtAddressOffset);
        int entrySize = extended ? 8 : 4;
        int rootLength = TableLength(root);
        WriteTable(writeLine, extended ? "XSDT" : "RSDT", root, rootLength);
        ReadOnlySpan<byte> rootTable = KernelAddressSpace.PhysicalBytes(root, rootLength);
        ulong dsdt = 0;
        for (int offset = HeaderLength; offset + entrySize <= rootLength; offset += entrySize)
        {
            ulong table = entrySize == 8 ? ReadUInt64(rootTable, offset) : ReadUInt32(rootTable, offset);
            ReadOnlySpan<byte> header = KernelAddressSpace.PhysicalBytes(table, HeaderLength);
            string signature = new string(new[] { (char)header[0], (char)header[1], (char)header[2], (char)header[3] });
            int length = TableLength(table);
            WriteTable(writeLine, signature, table, length);
            if (signature == Fadt.Signature && dsdt == 0)
                dsdt = Fadt.Parse(KernelAddressSpace.PhysicalBytes(table, length)).DsdtAddress;
        }
        // The DSDT is not in the root table's list: the FADT points to it.
        if (dsdt != 0)
            WriteTable(writeLine, "DSDT", dsdt, TableLength(dsdt));
        writeLine("acpidump: end");
    }

    private static int TableLength(ulong physical)
    {
        uint length = ReadUInt32(KernelAddressSpace.PhysicalBytes(physical, HeaderLength), 4);
        return length < HeaderLength ? HeaderLength : length > MaxTableBytes ? MaxTableBytes : (int)length;
    }

    private static void WriteTable(Action<string> writeLine, string signature, ulong physical, int length)
    {
        ReadOnlySpan<byte> bytes = KernelAddressSpace.PhysicalBytes(physical, length);
        char[] hex = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            hex[2 * i] = Digit(bytes[i] >> 4);
            hex[2 * i + 1] = Digit(bytes[i] & 0xF);
        }
        writeLine("acpidump: " + signature + " " + physical.ToString("x") + " " + length.ToString() + " " + new string(hex));
    }

    private static char Digit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset) =>
        data[offset] | (uint)data[offset + 1] << 8 | (uint)data[offset + 2] << 16 | (uint)data[offset + 3] << 24;

    private static ulong ReadUInt64(ReadOnlySpan<byte> data, int offset) => ReadUInt32(data, offset) | (ulong)ReadUInt32(data, offset + 4) << 32;
}
