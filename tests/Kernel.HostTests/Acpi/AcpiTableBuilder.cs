// Builds synthetic ACPI structures for the corruption tests (layouts from ACPI 6.5 §5.2.5.3, §5.2.6, §5.2.12,
// §5.2.9), with correct checksums unless a test breaks them on purpose.
using System;
using System.Collections.Generic;
using System.Text;

namespace Kernel.HostTests.Acpi;

internal static class AcpiTableBuilder
{
    public const int HeaderLength = 36;
    public const int ChecksumOffset = 9;

    /// <summary>A system description table: 36-byte header (length and checksum filled in) then body.</summary>
    public static byte[] Sdt(string signature, byte[] body, byte revision = 1, string oemId = "TESTOE", string oemTableId = "TESTTABL")
    {
        byte[] table = new byte[HeaderLength + body.Length];
        Encoding.ASCII.GetBytes(signature).CopyTo(table, 0);
        BitConverter.GetBytes((uint)table.Length).CopyTo(table, 4);
        table[8] = revision;
        Encoding.ASCII.GetBytes(oemId).CopyTo(table, 10);
        Encoding.ASCII.GetBytes(oemTableId).CopyTo(table, 16);
        Encoding.ASCII.GetBytes("TEST").CopyTo(table, 28); // creator id
        body.CopyTo(table, HeaderLength);
        FixChecksum(table, ChecksumOffset, table.Length);
        return table;
    }

    /// <summary>Sets table[checksumOffset] so the first length bytes sum to zero.</summary>
    public static void FixChecksum(byte[] table, int checksumOffset, int length)
    {
        table[checksumOffset] = 0;
        byte sum = 0;
        for (int i = 0; i < length; i++)
            sum += table[i];
        table[checksumOffset] = (byte)(0 - sum);
    }

    /// <summary>Re-fixes an SDT's checksum after a test edited it.</summary>
    public static byte[] Resum(byte[] table)
    {
        FixChecksum(table, ChecksumOffset, table.Length);
        return table;
    }

    /// <summary>An RSDP: 20 bytes for revision 0, 36 for revision 2, both checksums correct.</summary>
    public static byte[] Rsdp(byte revision, uint rsdtAddress, ulong xsdtAddress = 0)
    {
        byte[] rsdp = new byte[revision >= 2 ? 36 : 20];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(rsdp, 0);
        Encoding.ASCII.GetBytes("TESTOE").CopyTo(rsdp, 9);
        rsdp[15] = revision;
        BitConverter.GetBytes(rsdtAddress).CopyTo(rsdp, 16);
        if (revision >= 2)
        {
            BitConverter.GetBytes(36u).CopyTo(rsdp, 20);
            BitConverter.GetBytes(xsdtAddress).CopyTo(rsdp, 24);
        }

        FixChecksum(rsdp, 8, 20);
        if (revision >= 2)
            FixChecksum(rsdp, 32, 36);
        return rsdp;
    }

    public static byte[] Xsdt(params ulong[] addresses)
    {
        List<byte> body = new();
        foreach (ulong address in addresses)
            body.AddRange(BitConverter.GetBytes(address));
        return Sdt("XSDT", body.ToArray());
    }

    public static byte[] Rsdt(params uint[] addresses)
    {
        List<byte> body = new();
        foreach (uint address in addresses)
            body.AddRange(BitConverter.GetBytes(address));
        return Sdt("RSDT", body.ToArray());
    }

    /// <summary>A MADT: local APIC address, flags, then the entries as given.</summary>
    public static byte[] MadtTable(uint localApicAddress, uint flags, byte revision, params byte[][] entries)
    {
        List<byte> body = new();
        body.AddRange(BitConverter.GetBytes(localApicAddress));
        body.AddRange(BitConverter.GetBytes(flags));
        foreach (byte[] entry in entries)
            body.AddRange(entry);
        return Sdt("APIC", body.ToArray(), revision);
    }

    public static byte[] LocalApic(byte uid, byte apicId, uint flags) =>
        Entry(0, 8, e => { e[2] = uid; e[3] = apicId; Put(e, 4, flags); });

    public static byte[] IoApic(byte id, uint address, uint gsiBase) =>
        Entry(1, 12, e => { e[2] = id; Put(e, 4, address); Put(e, 8, gsiBase); });

    public static byte[] Override(byte bus, byte irq, uint gsi, ushort flags) =>
        Entry(2, 10, e => { e[2] = bus; e[3] = irq; Put(e, 4, gsi); Put(e, 8, flags); });

    public static byte[] NmiSource(ushort flags, uint gsi) =>
        Entry(3, 8, e => { Put(e, 2, flags); Put(e, 4, gsi); });

    public static byte[] LocalApicNmi(byte uid, ushort flags, byte lint) =>
        Entry(4, 6, e => { e[2] = uid; Put(e, 3, flags); e[5] = lint; });

    public static byte[] LocalApicAddressOverride(ulong address) =>
        Entry(5, 12, e => Put(e, 4, address));

    public static byte[] X2Apic(uint x2ApicId, uint flags, uint uid) =>
        Entry(9, 16, e => { Put(e, 4, x2ApicId); Put(e, 8, flags); Put(e, 12, uid); });

    public static byte[] X2ApicNmi(ushort flags, uint uid, byte lint) =>
        Entry(0xA, 12, e => { Put(e, 2, flags); Put(e, 4, uid); e[8] = lint; });

    /// <summary>An entry with any type and declared length, the given number of bytes long.</summary>
    public static byte[] Raw(byte type, byte declaredLength, int actualLength)
    {
        byte[] entry = new byte[actualLength];
        entry[0] = type;
        if (actualLength > 1)
            entry[1] = declaredLength;
        for (int i = 2; i < actualLength; i++)
            entry[i] = 0x5A;
        return entry;
    }

    /// <summary>
    /// A FADT of the given revision and length: SCI interrupt, IAPC_BOOT_ARCH (offset 109), flags (112), reset
    /// register (116) and value (128) where the length allows.
    /// </summary>
    public static byte[] FadtTable(byte revision, int length, ushort bootFlags, uint flags, ushort sci = 9)
    {
        byte[] body = new byte[length - HeaderLength];
        byte[] table = Sdt("FACP", body, revision);
        Put(table, 46, sci);
        Put(table, 109, bootFlags);
        Put(table, 112, flags);
        if (length > 128)
        {
            table[116] = 1; // system I/O
            table[117] = 8;
            Put(table, 120, 0xCF9UL);
            table[128] = 0x06;
        }

        return Resum(table);
    }

    private static byte[] Entry(byte type, byte length, Action<byte[]> fill)
    {
        byte[] entry = new byte[length];
        entry[0] = type;
        entry[1] = length;
        fill(entry);
        return entry;
    }

    private static void Put(byte[] data, int offset, ushort value) => BitConverter.GetBytes(value).CopyTo(data, offset);

    private static void Put(byte[] data, int offset, uint value) => BitConverter.GetBytes(value).CopyTo(data, offset);

    private static void Put(byte[] data, int offset, ulong value) => BitConverter.GetBytes(value).CopyTo(data, offset);
}
