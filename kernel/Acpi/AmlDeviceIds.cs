// Finding a device's hardware ID in the DSDT and SSDTs without an AML interpreter (ACPI 6.5 §6.1.5 _HID, §6.1.2
// _CID, §19.3.4 EISAID, §20.2.3 data objects): a byte scan for the two encodings a compiled ID can have.
using System;

namespace Kernel.Acpi;

/// <summary>Whether a device ID was found in the AML tables, and where.</summary>
public enum AmlIdSearchStatus
{
    /// <summary>One of the IDs is in a readable table.</summary>
    Found = 0,

    /// <summary>The DSDT was read and no table holds any of the IDs.</summary>
    NotFound,

    /// <summary>No ID found, and the DSDT could not be read (no FADT, no DSDT pointer, or a bad table): no answer.</summary>
    TablesUnreadable,
}

/// <summary>The outcome of <see cref="AmlDeviceIds.Search"/>.</summary>
public readonly struct AmlIdSearch
{
    /// <summary>Creates an outcome.</summary>
    public AmlIdSearch(AmlIdSearchStatus status, string id, string table)
    {
        Status = status;
        Id = id;
        Table = table;
    }

    /// <summary>Found, not found, or no answer.</summary>
    public AmlIdSearchStatus Status { get; }

    /// <summary>The ID found (as asked for, e.g. "PNP0303"), or null.</summary>
    public string Id { get; }

    /// <summary>The signature of the table it was found in ("DSDT" or "SSDT"), or null.</summary>
    public string Table { get; }
}

/// <summary>
/// Looks for device IDs in AML. A compiled <c>EisaId("PNP0303")</c> is DWordPrefix (0x0C) and the 32-bit compressed
/// ID; a string ID is StringPrefix (0x0D), the ASCII characters and a zero byte. Either sequence is looked for
/// anywhere in the table, not only right after <c>Name(_HID, ...)</c>: that also covers <c>Name(_CID, ...)</c>, a
/// <c>Package</c> of compatible IDs, and <c>Method(_HID) { Return (...) }</c> as ThinkPads write it. Five or more
/// exact bytes make an accidental match inside other data very unlikely; a declared device may still be absent
/// (its _STA is not evaluated), so the caller treats a match as "the firmware says there is one", not as proof.
/// </summary>
public static class AmlDeviceIds
{
    /// <summary>The SSDT's signature; any number of them may be listed.</summary>
    public const string SsdtSignature = "SSDT";

    // AML encoding (§20.2.3): DWordConst := DWordPrefix ByteData[4]; String := StringPrefix AsciiCharList NullChar.
    private const byte DWordPrefix = 0x0C;
    private const byte StringPrefix = 0x0D;
    private const byte NullChar = 0x00;

    // An EISA ID (§19.3.4): three uppercase letters and four hex digits.
    private const int EisaIdLength = 7;
    private const int EisaIdVendorLetters = 3;
    private const int CompressedLetterBits = 5;

    /// <summary>
    /// Looks for any of <paramref name="ids"/> in the DSDT, then in each SSDT, in <paramref name="tables"/>. Only the
    /// AML after each header is looked at.
    /// </summary>
    public static AmlIdSearch Search(AcpiTables tables, string[] ids)
    {
        string id = FindAny(tables.DsdtBytes, ids);
        if (id != null)
            return new AmlIdSearch(AmlIdSearchStatus.Found, id, tables.Dsdt.Signature);
        for (int i = 0; i < tables.Count; i++)
        {
            if (tables[i].IsValid && tables[i].Signature == SsdtSignature)
            {
                id = FindAny(tables.TableBytes(i), ids);
                if (id != null)
                    return new AmlIdSearch(AmlIdSearchStatus.Found, id, SsdtSignature);
            }
        }
        return new AmlIdSearch(tables.Dsdt.IsValid ? AmlIdSearchStatus.NotFound : AmlIdSearchStatus.TablesUnreadable, null, null);
    }

    /// <summary>The first of <paramref name="ids"/> that <paramref name="table"/> (header included) holds, or null.</summary>
    public static string FindAny(ReadOnlySpan<byte> table, string[] ids)
    {
        if (table.Length <= AcpiTables.HeaderLength)
            return null;
        ReadOnlySpan<byte> aml = table.Slice(AcpiTables.HeaderLength);
        for (int i = 0; i < ids.Length; i++)
        {
            if (Contains(aml, ids[i]))
                return ids[i];
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="aml"/> holds <paramref name="id"/> as a string object, or, for a seven-character EISA
    /// ID such as "PNP0303", as a compressed DWord; hex digits match in either case.
    /// </summary>
    public static bool Contains(ReadOnlySpan<byte> aml, string id)
    {
        Span<byte> dword = stackalloc byte[5];
        bool eisa = TryCompressEisaId(id, dword.Slice(1));
        dword[0] = DWordPrefix;
        for (int i = 0; i < aml.Length; i++)
        {
            if (eisa && StartsWith(aml.Slice(i), dword))
                return true;
            if (aml[i] == StringPrefix && IsStringAt(aml.Slice(i + 1), id))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The four bytes AML stores for <c>EisaId(id)</c>, in memory order: each letter as 5 bits ('A' = 1) packed
    /// into a big-endian 16-bit vendor code, then the four hex digits as a big-endian 16-bit product number
    /// ("PNP0303" is 41 D0 03 03). False when <paramref name="id"/> is not an EISA ID.
    /// </summary>
    public static bool TryCompressEisaId(string id, Span<byte> compressed)
    {
        if (id == null || id.Length != EisaIdLength || compressed.Length < 4)
            return false;
        int vendor = 0;
        for (int i = 0; i < EisaIdVendorLetters; i++)
        {
            char c = id[i];
            if (c < 'A' || c > 'Z')
                return false;
            vendor = (vendor << CompressedLetterBits) | (c - 'A' + 1);
        }
        int product = 0;
        for (int i = EisaIdVendorLetters; i < EisaIdLength; i++)
        {
            int digit = HexValue(id[i]);
            if (digit < 0)
                return false;
            product = (product << 4) | digit;
        }
        compressed[0] = (byte)(vendor >> 8);
        compressed[1] = (byte)vendor;
        compressed[2] = (byte)(product >> 8);
        compressed[3] = (byte)product;
        return true;
    }

    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix)
    {
        if (data.Length < prefix.Length)
            return false;
        for (int i = 0; i < prefix.Length; i++)
        {
            if (data[i] != prefix[i])
                return false;
        }
        return true;
    }

    // The ID's characters, then the string's terminating zero; letters compared without case (IDs are
    // conventionally uppercase, but "PNP030b" appears in the wild).
    private static bool IsStringAt(ReadOnlySpan<byte> data, string id)
    {
        if (data.Length < id.Length + 1 || data[id.Length] != NullChar)
            return false;
        for (int i = 0; i < id.Length; i++)
        {
            if (ToUpper(data[i]) != ToUpper(id[i]))
                return false;
        }
        return true;
    }

    private static int ToUpper(int c) => c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;

    private static int HexValue(char c) =>
        c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
