// EFI_STATUS and its codes (UEFI 2.10 Appendix D, "Status Codes").
namespace Efi;

/// <summary>A UEFI status code: zero is success, the top bit marks errors, other values are warnings.</summary>
public readonly struct EfiStatus
{
    private const ulong ErrorBit = 0x8000_0000_0000_0000;

    /// <summary>The raw UINTN value.</summary>
    public readonly ulong Value;

    /// <summary>Wraps a raw status.</summary>
    public EfiStatus(ulong value) => Value = value;

    /// <summary>EFI_SUCCESS.</summary>
    public static readonly EfiStatus Success = new EfiStatus(0);

    /// <summary>EFI_INVALID_PARAMETER.</summary>
    public static readonly EfiStatus InvalidParameter = Error(2);

    /// <summary>EFI_BUFFER_TOO_SMALL.</summary>
    public static readonly EfiStatus BufferTooSmall = Error(5);

    /// <summary>EFI_NOT_FOUND.</summary>
    public static readonly EfiStatus NotFound = Error(14);

    /// <summary>An error code with the top bit set.</summary>
    public static EfiStatus Error(ulong code) => new EfiStatus(ErrorBit | code);

    /// <summary>Whether the call succeeded (warnings count as success).</summary>
    public bool IsSuccess => (Value & ErrorBit) == 0;

    /// <summary>Whether this is an error.</summary>
    public bool IsError => (Value & ErrorBit) != 0;

    /// <summary>Status equality.</summary>
    public static bool operator ==(EfiStatus a, EfiStatus b) => a.Value == b.Value;

    /// <summary>Status inequality.</summary>
    public static bool operator !=(EfiStatus a, EfiStatus b) => a.Value != b.Value;

    /// <summary>Value equality.</summary>
    public override bool Equals(object obj) => obj is EfiStatus other && other.Value == Value;

    /// <summary>Hash of the value.</summary>
    public override int GetHashCode() => (int)Value;

    /// <summary>The spec's name, e.g. EFI_NOT_FOUND, or EFI_STATUS(0x...) for codes it does not define.</summary>
    public override string ToString() => Name(Value) ?? "EFI_STATUS(0x" + Value.ToString("x") + ")";

    /// <summary>The spec's name for a status value, or null when unknown.</summary>
    public static string Name(ulong value)
    {
        if ((value & ErrorBit) == 0)
        {
            switch (value)
            {
                case 0: return "EFI_SUCCESS";
                case 1: return "EFI_WARN_UNKNOWN_GLYPH";
                case 2: return "EFI_WARN_DELETE_FAILURE";
                case 3: return "EFI_WARN_WRITE_FAILURE";
                case 4: return "EFI_WARN_BUFFER_TOO_SMALL";
                case 5: return "EFI_WARN_STALE_DATA";
                case 6: return "EFI_WARN_FILE_SYSTEM";
                case 7: return "EFI_WARN_RESET_REQUIRED";
                default: return null;
            }
        }
        switch (value & ~ErrorBit)
        {
            case 1: return "EFI_LOAD_ERROR";
            case 2: return "EFI_INVALID_PARAMETER";
            case 3: return "EFI_UNSUPPORTED";
            case 4: return "EFI_BAD_BUFFER_SIZE";
            case 5: return "EFI_BUFFER_TOO_SMALL";
            case 6: return "EFI_NOT_READY";
            case 7: return "EFI_DEVICE_ERROR";
            case 8: return "EFI_WRITE_PROTECTED";
            case 9: return "EFI_OUT_OF_RESOURCES";
            case 10: return "EFI_VOLUME_CORRUPTED";
            case 11: return "EFI_VOLUME_FULL";
            case 12: return "EFI_NO_MEDIA";
            case 13: return "EFI_MEDIA_CHANGED";
            case 14: return "EFI_NOT_FOUND";
            case 15: return "EFI_ACCESS_DENIED";
            case 16: return "EFI_NO_RESPONSE";
            case 17: return "EFI_NO_MAPPING";
            case 18: return "EFI_TIMEOUT";
            case 19: return "EFI_NOT_STARTED";
            case 20: return "EFI_ALREADY_STARTED";
            case 21: return "EFI_ABORTED";
            case 22: return "EFI_ICMP_ERROR";
            case 23: return "EFI_TFTP_ERROR";
            case 24: return "EFI_PROTOCOL_ERROR";
            case 25: return "EFI_INCOMPATIBLE_VERSION";
            case 26: return "EFI_SECURITY_VIOLATION";
            case 27: return "EFI_CRC_ERROR";
            case 28: return "EFI_END_OF_MEDIA";
            case 31: return "EFI_END_OF_FILE";
            case 32: return "EFI_INVALID_LANGUAGE";
            case 33: return "EFI_COMPROMISED_DATA";
            case 34: return "EFI_IP_ADDRESS_CONFLICT";
            case 35: return "EFI_HTTP_ERROR";
            default: return null;
        }
    }
}
