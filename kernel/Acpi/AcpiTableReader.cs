// Reads and validates one system description table (ACPI 6.5 §5.2.6, Table 5.4): header, signature, length,
// then a checksum over the whole table, before anything of it is kept.
using System;
using Kernel.Memory;

namespace Kernel.Acpi;

/// <summary>
/// Reads tables for <see cref="AcpiTables.Discover"/>. The checksum is summed in page-sized chunks through a
/// scratch buffer, so a table is copied (allocated) only once it has proved valid: garbage pointers and lengths
/// cost no heap.
/// </summary>
public static class AcpiTableReader
{
    /// <summary>Size of the scratch buffer the checksum is summed through.</summary>
    public const int ChunkLength = 4096;

    // System description table header (Table 5.4).
    private const int HeaderLength = AcpiTables.HeaderLength;
    private const int SignatureLength = 4;
    private const int LengthOffset = 4;
    private const int RevisionOffset = 8;
    private const int OemIdOffset = 10;
    private const int OemIdLength = 6;
    private const int OemTableIdOffset = 16;
    private const int OemTableIdLength = 8;

    /// <summary>
    /// Reads and validates the table at <paramref name="address"/>. <paramref name="expectedSignature"/> is the
    /// required signature (root tables), or null for tables listed by the root, which may carry any printable
    /// one. <paramref name="bytes"/> is a copy of the table when it is valid, else null.
    /// </summary>
    public static AcpiTableInfo Read(ulong address, IPhysicalMemoryReader memory, string expectedSignature, byte[] scratch, out byte[] bytes)
    {
        bytes = null;
        Span<byte> header = new Span<byte>(scratch, 0, HeaderLength);
        if (address > ulong.MaxValue - HeaderLength || !memory.TryRead(address, header))
        {
            return new AcpiTableInfo("", address, 0, 0, "", "", AcpiTableStatus.Unreadable);
        }

        ReadOnlySpan<byte> h = header;
        ReadOnlySpan<byte> signatureBytes = h.Slice(0, SignatureLength);
        string signature = AcpiBytes.Text(signatureBytes, false);
        uint length = AcpiBytes.ReadUInt32(h, LengthOffset);
        byte revision = h[RevisionOffset];
        string oemId = AcpiBytes.Text(h.Slice(OemIdOffset, OemIdLength), true);
        string oemTableId = AcpiBytes.Text(h.Slice(OemTableIdOffset, OemTableIdLength), true);
        AcpiTableStatus status;
        if (expectedSignature != null ? signature != expectedSignature : !AcpiBytes.IsPrintableAscii(signatureBytes))
        {
            status = AcpiTableStatus.BadSignature;
        }
        else if (length < HeaderLength || length > AcpiTables.MaxTableLength)
        {
            status = AcpiTableStatus.BadLength;
        }
        else
        {
            status = CheckBody(address, length, memory, scratch);
        }

        if (status == AcpiTableStatus.Ok)
        {
            // Read again into the copy that is kept, and check that copy: the bytes kept are the bytes checked.
            byte[] table = new byte[length];
            if (!memory.TryRead(address, new Span<byte>(table)))
            {
                status = AcpiTableStatus.Truncated;
            }
            else if (!AcpiBytes.ChecksumIsValid(table))
            {
                status = AcpiTableStatus.BadChecksum;
            }
            else
            {
                bytes = table;
            }
        }

        return new AcpiTableInfo(signature, address, length, revision, oemId, oemTableId, status);
    }

    // Sums all length bytes chunk by chunk: Truncated if any chunk is unreadable, BadChecksum if the sum is not 0.
    private static AcpiTableStatus CheckBody(ulong address, uint length, IPhysicalMemoryReader memory, byte[] scratch)
    {
        if (address > ulong.MaxValue - length)
        {
            return AcpiTableStatus.Truncated;
        }

        byte sum = 0;
        uint done = 0;
        while (done < length)
        {
            int chunk = (int)Math.Min((uint)scratch.Length, length - done);
            if (!memory.TryRead(address + done, new Span<byte>(scratch, 0, chunk)))
            {
                return AcpiTableStatus.Truncated;
            }

            for (int i = 0; i < chunk; i++)
            {
                sum = (byte)(sum + scratch[i]);
            }

            done += (uint)chunk;
        }

        return sum == 0 ? AcpiTableStatus.Ok : AcpiTableStatus.BadChecksum;
    }
}
