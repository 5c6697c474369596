// Tests for EFI_STATUS names and classification (efi/EfiStatus.cs, UEFI 2.10 Appendix D).
using Efi;
using Xunit;

namespace Kernel.HostTests.Efi;

public class EfiStatusTests
{
    private const ulong ErrorBit = 0x8000_0000_0000_0000;

    [Fact]
    public void ZeroIsSuccess()
    {
        Assert.Equal("EFI_SUCCESS", EfiStatus.Name(0));
        Assert.Equal("EFI_SUCCESS", EfiStatus.Success.ToString());
        Assert.Equal(0ul, EfiStatus.Success.Value);
        Assert.True(EfiStatus.Success.IsSuccess);
        Assert.False(EfiStatus.Success.IsError);
    }

    [Theory]
    [InlineData(1ul, "EFI_WARN_UNKNOWN_GLYPH")]
    [InlineData(2ul, "EFI_WARN_DELETE_FAILURE")]
    [InlineData(3ul, "EFI_WARN_WRITE_FAILURE")]
    [InlineData(4ul, "EFI_WARN_BUFFER_TOO_SMALL")]
    [InlineData(5ul, "EFI_WARN_STALE_DATA")]
    [InlineData(6ul, "EFI_WARN_FILE_SYSTEM")]
    [InlineData(7ul, "EFI_WARN_RESET_REQUIRED")]
    public void NamesWarningsAndCountsThemAsSuccess(ulong value, string expected)
    {
        var status = new EfiStatus(value);

        Assert.Equal(expected, EfiStatus.Name(value));
        Assert.Equal(expected, status.ToString());
        Assert.True(status.IsSuccess);
        Assert.False(status.IsError);
    }

    [Theory]
    [InlineData(1ul, "EFI_LOAD_ERROR")]
    [InlineData(2ul, "EFI_INVALID_PARAMETER")]
    [InlineData(3ul, "EFI_UNSUPPORTED")]
    [InlineData(4ul, "EFI_BAD_BUFFER_SIZE")]
    [InlineData(5ul, "EFI_BUFFER_TOO_SMALL")]
    [InlineData(6ul, "EFI_NOT_READY")]
    [InlineData(7ul, "EFI_DEVICE_ERROR")]
    [InlineData(8ul, "EFI_WRITE_PROTECTED")]
    [InlineData(9ul, "EFI_OUT_OF_RESOURCES")]
    [InlineData(10ul, "EFI_VOLUME_CORRUPTED")]
    [InlineData(11ul, "EFI_VOLUME_FULL")]
    [InlineData(12ul, "EFI_NO_MEDIA")]
    [InlineData(13ul, "EFI_MEDIA_CHANGED")]
    [InlineData(14ul, "EFI_NOT_FOUND")]
    [InlineData(15ul, "EFI_ACCESS_DENIED")]
    [InlineData(16ul, "EFI_NO_RESPONSE")]
    [InlineData(17ul, "EFI_NO_MAPPING")]
    [InlineData(18ul, "EFI_TIMEOUT")]
    [InlineData(19ul, "EFI_NOT_STARTED")]
    [InlineData(20ul, "EFI_ALREADY_STARTED")]
    [InlineData(21ul, "EFI_ABORTED")]
    [InlineData(22ul, "EFI_ICMP_ERROR")]
    [InlineData(23ul, "EFI_TFTP_ERROR")]
    [InlineData(24ul, "EFI_PROTOCOL_ERROR")]
    [InlineData(25ul, "EFI_INCOMPATIBLE_VERSION")]
    [InlineData(26ul, "EFI_SECURITY_VIOLATION")]
    [InlineData(27ul, "EFI_CRC_ERROR")]
    [InlineData(28ul, "EFI_END_OF_MEDIA")]
    [InlineData(31ul, "EFI_END_OF_FILE")]
    [InlineData(32ul, "EFI_INVALID_LANGUAGE")]
    [InlineData(33ul, "EFI_COMPROMISED_DATA")]
    [InlineData(34ul, "EFI_IP_ADDRESS_CONFLICT")]
    [InlineData(35ul, "EFI_HTTP_ERROR")]
    public void NamesErrorsWithTheTopBitSet(ulong code, string expected)
    {
        EfiStatus status = EfiStatus.Error(code);

        Assert.Equal(ErrorBit | code, status.Value);
        Assert.Equal(expected, EfiStatus.Name(ErrorBit | code));
        Assert.Equal(expected, status.ToString());
        Assert.True(status.IsError);
        Assert.False(status.IsSuccess);
    }

    [Theory]
    [InlineData(8ul)]
    [InlineData(29ul)]
    [InlineData(0x1234ul)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFul)]
    [InlineData(ErrorBit)]
    [InlineData(ErrorBit | 29)]
    [InlineData(ErrorBit | 30)]
    [InlineData(ErrorBit | 36)]
    [InlineData(ErrorBit | 0x4000_0000_0000_0001)] // an OEM/reserved range code, not EFI_LOAD_ERROR
    [InlineData(ulong.MaxValue)]
    public void UnknownCodesHaveNoName(ulong value)
    {
        Assert.Null(EfiStatus.Name(value));
    }

    [Theory]
    [InlineData(8ul, "EFI_STATUS(0x8)")]
    [InlineData(0x1234ul, "EFI_STATUS(0x1234)")]
    [InlineData(ErrorBit, "EFI_STATUS(0x8000000000000000)")]
    [InlineData(ErrorBit | 29, "EFI_STATUS(0x800000000000001d)")]
    [InlineData(ulong.MaxValue, "EFI_STATUS(0xffffffffffffffff)")]
    public void UnknownCodesPrintTheirRawValueInHex(ulong value, string expected)
    {
        Assert.Equal(expected, new EfiStatus(value).ToString());
    }

    [Theory]
    [InlineData(0ul, false)]
    [InlineData(1ul, false)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFul, false)]
    [InlineData(ErrorBit, true)]
    [InlineData(ErrorBit | 14, true)]
    [InlineData(ulong.MaxValue, true)]
    public void ErrorIsExactlyTheTopBit(ulong value, bool isError)
    {
        var status = new EfiStatus(value);

        Assert.Equal(isError, status.IsError);
        Assert.Equal(!isError, status.IsSuccess);
    }

    [Fact]
    public void WarningAndErrorWithTheSameLowBitsAreDifferent()
    {
        Assert.Equal("EFI_WARN_STALE_DATA", new EfiStatus(5).ToString());
        Assert.Equal("EFI_BUFFER_TOO_SMALL", new EfiStatus(ErrorBit | 5).ToString());
        Assert.True(new EfiStatus(5) != EfiStatus.BufferTooSmall);
    }

    [Fact]
    public void PredefinedStatusesHaveTheSpecValues()
    {
        Assert.Equal(0x8000_0000_0000_0002ul, EfiStatus.InvalidParameter.Value);
        Assert.Equal(0x8000_0000_0000_0005ul, EfiStatus.BufferTooSmall.Value);
        Assert.Equal(0x8000_0000_0000_000Eul, EfiStatus.NotFound.Value);
        Assert.Equal("EFI_NOT_FOUND", EfiStatus.NotFound.ToString());
    }

    [Fact]
    public void EqualityComparesTheRawValue()
    {
        Assert.True(new EfiStatus(ErrorBit | 14) == EfiStatus.NotFound);
        Assert.False(new EfiStatus(ErrorBit | 14) != EfiStatus.NotFound);
        Assert.True(EfiStatus.NotFound != EfiStatus.InvalidParameter);
        Assert.True(EfiStatus.NotFound.Equals((object)EfiStatus.Error(14)));
        Assert.False(EfiStatus.NotFound.Equals((object)(ErrorBit | 14)));
        Assert.False(EfiStatus.NotFound.Equals(null));
    }
}
