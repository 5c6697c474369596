// Tests for the kernel corelib's integer formatting (corelib/System/Number.cs), compiled here against the BCL.
// The BCL's own System.Number is internal to System.Private.CoreLib, so the linked copy is the one these call.
using System;
using System.Globalization;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Corelib;

public class NumberTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "1")]
    [InlineData(9L, "9")]
    [InlineData(10L, "10")]
    [InlineData(42L, "42")]
    [InlineData(-1L, "-1")]
    [InlineData(-10L, "-10")]
    [InlineData(-1234567890L, "-1234567890")]
    [InlineData(int.MinValue, "-2147483648")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void FormatsSignedDecimal(long value, string expected)
    {
        Assert.Equal(expected, Number.Format(value));
    }

    [Theory]
    [InlineData(0ul, "0")]
    [InlineData(7ul, "7")]
    [InlineData(100ul, "100")]
    [InlineData(4294967295ul, "4294967295")]
    [InlineData(10000000000000000000ul, "10000000000000000000")]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void FormatsUnsignedDecimal(ulong value, string expected)
    {
        Assert.Equal(expected, Number.Format(value));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void DecimalAgreesWithTheBclAcrossMagnitudes()
    {
        // Every magnitude equally often: a random value shifted right by a random count.
        Gen.Select(Gen.ULong, Gen.Int[0, 63]).Select((bits, shift) => bits >> shift).ForAll(value =>
        {
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Number.Format(value));
            Assert.Equal(((long)value).ToString(CultureInfo.InvariantCulture), Number.Format((long)value));
            Assert.Equal((-(long)(value >> 1)).ToString(CultureInfo.InvariantCulture), Number.Format(-(long)(value >> 1)));
        }, iterations: 2000);
    }

    [Theory]
    [InlineData(0ul, "x", "0")]
    [InlineData(0ul, "X", "0")]
    [InlineData(0xful, "x", "f")]
    [InlineData(255ul, "x", "ff")]
    [InlineData(255ul, "X", "FF")]
    [InlineData(0xdeadbeeful, "x", "deadbeef")]
    [InlineData(0xdeadbeeful, "X", "DEADBEEF")]
    [InlineData(0x1234abcdul, "x", "1234abcd")]
    [InlineData(ulong.MaxValue, "x", "ffffffffffffffff")]
    [InlineData(0x8000000000000000ul, "X", "8000000000000000")]
    public void FormatsHexWithoutPadding(ulong value, string format, string expected)
    {
        Assert.Equal(expected, Number.Format(value, format, 64));
    }

    [Theory]
    [InlineData(0ul, "x8", "00000000")]
    [InlineData(255ul, "x8", "000000ff")]
    [InlineData(255ul, "X8", "000000FF")]
    [InlineData(0xdeadbeeful, "X16", "00000000DEADBEEF")]
    [InlineData(0xdeadbeeful, "x16", "00000000deadbeef")]
    [InlineData(1ul, "x2", "01")]
    [InlineData(0xabcul, "X10", "0000000ABC")]
    [InlineData(0ul, "x1", "0")]
    [InlineData(0ul, "x0", "0")]
    [InlineData(0x12345ul, "x0", "12345")]
    [InlineData(0x12345ul, "x2", "12345")] // width smaller than needed never truncates
    [InlineData(ulong.MaxValue, "X16", "FFFFFFFFFFFFFFFF")]
    [InlineData(0x1ul, "X20", "00000000000000000001")] // wider than a ulong needs
    [InlineData(0x1ul, "x32", "00000000000000000000000000000001")]
    public void PadsHexToTheRequestedWidth(ulong value, string format, string expected)
    {
        Assert.Equal(expected, Number.Format(value, format, 64));
    }

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void HexAgreesWithTheBclForWidthsUpToThirtyTwo()
    {
        Gen<string> formats = Gen.Select(Gen.Bool.Select(upper => upper ? "X" : "x"), Gen.OneOf(Gen.Const(""), Gen.Int[0, 32].Select(w => w.ToString(CultureInfo.InvariantCulture))))
            .Select((letter, width) => letter + width);
        Gen.Select(Gen.ULong, Gen.Int[0, 63], formats).ForAll((bits, shift, format) =>
        {
            ulong value = bits >> shift;
            Assert.Equal(value.ToString(format, CultureInfo.InvariantCulture), Number.Format(value, format, 64));
        }, iterations: 2000);
    }

    [Theory]
    [InlineData(-1, "x", "ffffffff")]
    [InlineData(-2, "X8", "FFFFFFFE")]
    [InlineData(-16, "x", "fffffff0")]
    [InlineData(int.MinValue, "x", "80000000")]
    [InlineData(-1, "x16", "00000000ffffffff")]
    public void NegativeIntFormattedWith32BitsGivesEightHexDigits(int value, string format, string expected)
    {
        // A sign-extended int: without masking this would print sixteen digits.
        Assert.Equal(expected, Number.Format(unchecked((ulong)(long)value), format, 32));
        Assert.Equal(value.ToString(format, CultureInfo.InvariantCulture), Number.Format(unchecked((ulong)(long)value), format, 32));
    }

    [Theory]
    [InlineData(0x1ffUL, 8, "ff")]
    [InlineData(0xffffffffffffff80UL, 8, "80")] // (sbyte)-128 sign-extended
    [InlineData(0xabcdeUL, 16, "bcde")]
    [InlineData(0xffffffffffff8000UL, 16, "8000")]
    [InlineData(0x1_0000_0000UL, 32, "0")]
    [InlineData(0xffffffffffffffffUL, 64, "ffffffffffffffff")]
    public void MasksToTheGivenBitWidth(ulong value, int bits, string expected)
    {
        Assert.Equal(expected, Number.Format(value, "x", bits));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("D")]
    [InlineData("G")]
    [InlineData("8x")]
    public void NonHexFormatsFallBackToUnsignedDecimal(string format)
    {
        Assert.Equal("3735928559", Number.Format(0xdeadbeeful, format, 64));
        Assert.Equal("0", Number.Format(0ul, format, 32));
    }

    [Fact]
    public void WriteHexRightAlignsAndReturnsTheDigitCount()
    {
        Span<char> buffer = stackalloc char[8];
        buffer.Fill('.');

        int digits = Number.WriteHex(buffer, 0xab, 4, upperCase: true);

        Assert.Equal(4, digits);
        Assert.Equal("....00AB", new string(buffer));
    }

    [Fact]
    public void WriteDecimalRightAlignsAndReturnsTheFirstDigitIndex()
    {
        Span<char> buffer = stackalloc char[8];
        buffer.Fill('.');

        int start = Number.WriteDecimal(buffer, 907);

        Assert.Equal(5, start);
        Assert.Equal(".....907", new string(buffer));
    }
}
