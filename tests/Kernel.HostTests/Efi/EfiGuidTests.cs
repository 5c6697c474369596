// Tests for EFI_GUID's in-memory layout (efi/EfiGuid.cs, UEFI 2.10 Appendix A). .NET's Guid.ToByteArray uses the
// same mixed-endian layout as EFI_GUID (Data1..Data3 little-endian, then the eight Data4 bytes in order).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Efi;
using Xunit;

namespace Kernel.HostTests.Efi;

public class EfiGuidTests
{
    private static byte[] BytesOf(EfiGuid guid) =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref guid, 1)).ToArray();

    [Fact]
    public void IsSixteenBytes()
    {
        Assert.Equal(16, Unsafe.SizeOf<EfiGuid>());
    }

    [Fact]
    public void GraphicsOutputProtocolGuidHasTheFirmwareByteLayout()
    {
        byte[] expected = new Guid("9042a9de-23dc-4a38-96fb-7aded080516a").ToByteArray();

        Assert.Equal(expected, BytesOf(EfiGuid.GraphicsOutputProtocol));
        // Spelled out: Data1 0x9042a9de little-endian first, Data4 bytes last and in order.
        Assert.Equal(new byte[] { 0xde, 0xa9, 0x42, 0x90, 0xdc, 0x23, 0x38, 0x4a, 0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a }, BytesOf(EfiGuid.GraphicsOutputProtocol));
    }

    [Theory]
    [InlineData("GraphicsOutputProtocol", "9042a9de-23dc-4a38-96fb-7aded080516a")]
    [InlineData("LoadedImageProtocol", "5b1b31a1-9562-11d2-8e3f-00a0c969723b")]
    [InlineData("SimpleFileSystemProtocol", "964e5b22-6459-11d2-8e39-00a0c969723b")]
    [InlineData("FileInfo", "09576e92-6d3f-11d2-8e39-00a0c969723b")]
    [InlineData("Acpi20Table", "8868e871-e4f1-11d3-bc22-0080c73c8881")]
    [InlineData("Acpi10Table", "eb9d2d30-2d88-11d3-9a16-0090273fc14d")]
    public void WellKnownGuidsMatchTheSpecText(string property, string text)
    {
        EfiGuid guid = (EfiGuid)typeof(EfiGuid).GetProperty(property).GetValue(null);

        Assert.Equal(new Guid(text).ToByteArray(), BytesOf(guid));
    }

    [Fact]
    public void ConstructorStoresTheTextualGroupsInTheirFields()
    {
        var guid = new EfiGuid(0x01234567, 0x89ab, 0xcdef, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe);

        Assert.Equal(0x01234567u, guid.Data1);
        Assert.Equal((ushort)0x89ab, guid.Data2);
        Assert.Equal((ushort)0xcdef, guid.Data3);
        Assert.Equal(0xfedcba9876543210ul, guid.Data4);
        Assert.Equal(new Guid("01234567-89ab-cdef-1032-547698badcfe").ToByteArray(), BytesOf(guid));
    }

    [Fact]
    public void EqualsComparesEveryField()
    {
        var guid = new EfiGuid(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

        Assert.True(guid.Equals(new EfiGuid(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        Assert.False(guid.Equals(new EfiGuid(0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        Assert.False(guid.Equals(new EfiGuid(1, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        Assert.False(guid.Equals(new EfiGuid(1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11)));
        Assert.False(guid.Equals(new EfiGuid(1, 2, 3, 0, 5, 6, 7, 8, 9, 10, 11)));
        Assert.False(guid.Equals(new EfiGuid(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0)));
        Assert.True(EfiGuid.SimpleFileSystemProtocol.Equals(EfiGuid.SimpleFileSystemProtocol));
        Assert.False(EfiGuid.SimpleFileSystemProtocol.Equals(EfiGuid.FileInfo));
    }
}
