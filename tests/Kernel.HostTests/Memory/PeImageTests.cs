// Tests for PeImage: section layout and protections of synthetic PE32+ headers and of the real kernel image when a
// build has produced one, and every rejection status.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class PeImageTests
{
    private const uint Code = 0x00000020;        // IMAGE_SCN_CNT_CODE
    private const uint InitData = 0x00000040;    // IMAGE_SCN_CNT_INITIALIZED_DATA
    private const uint Discardable = 0x02000000; // IMAGE_SCN_MEM_DISCARDABLE
    private const uint Execute = 0x20000000;     // IMAGE_SCN_MEM_EXECUTE
    private const uint Read = 0x40000000;        // IMAGE_SCN_MEM_READ
    private const uint Write = 0x80000000;       // IMAGE_SCN_MEM_WRITE

    private const string RealImage = "artifacts/esp/release/EFI/BOOT/BOOTX64.EFI";

    /// <summary>Writes PE32+ headers; every byte the parser should not look at is junk.</summary>
    private sealed class PeBuilder
    {
        public int Lfanew { get; set; } = 0x80;
        public ushort Magic { get; set; } = 0x20B;
        public ushort OptionalHeaderSize { get; set; } = 240;
        public uint SizeOfImage { get; set; } = 0x1C000;
        public uint SizeOfHeaders { get; set; } = 0x400;
        public int? SectionCountOverride { get; set; }
        public List<(byte[] Name, uint VirtualSize, uint VirtualAddress, uint Characteristics)> Sections { get; } = new();

        public int SectionTableOffset => Lfanew + 4 + 20 + OptionalHeaderSize;

        public int HeadersEnd => SectionTableOffset + Sections.Count * 40;

        public PeBuilder Add(string name, uint virtualAddress, uint virtualSize, uint characteristics) =>
            AddRaw(Encoding.ASCII.GetBytes(name), virtualAddress, virtualSize, characteristics);

        public PeBuilder AddRaw(byte[] name, uint virtualAddress, uint virtualSize, uint characteristics)
        {
            Sections.Add((name, virtualSize, virtualAddress, characteristics));
            return this;
        }

        public byte[] Build(int? length = null)
        {
            byte[] image = new byte[length ?? Math.Max(HeadersEnd, (int)Math.Min(SizeOfHeaders, 0x10000))];
            Array.Fill(image, (byte)0xEE);
            Put(image, 0, (byte)'M', (byte)'Z');
            PutU32(image, 0x3C, (uint)Lfanew);
            Put(image, Lfanew, (byte)'P', (byte)'E', 0, 0);
            int file = Lfanew + 4;
            PutU16(image, file + 0, 0x8664);
            PutU16(image, file + 2, (ushort)(SectionCountOverride ?? Sections.Count));
            PutU16(image, file + 16, OptionalHeaderSize);
            int optional = file + 20;
            PutU16(image, optional, Magic);
            PutU32(image, optional + 56, SizeOfImage);
            PutU32(image, optional + 60, SizeOfHeaders);
            for (int i = 0; i < Sections.Count; i++)
            {
                int at = SectionTableOffset + i * 40;
                var (name, virtualSize, virtualAddress, characteristics) = Sections[i];
                for (int b = 0; b < 8; b++)
                    Put(image, at + b, b < name.Length ? name[b] : (byte)0);
                PutU32(image, at + 8, virtualSize);
                PutU32(image, at + 12, virtualAddress);
                PutU32(image, at + 36, characteristics);
            }

            return image;
        }

        // Writes that fall outside a deliberately truncated image are dropped.
        private static void Put(byte[] image, int at, params byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (at + i >= 0 && at + i < image.Length)
                    image[at + i] = bytes[i];
            }
        }

        private static void PutU16(byte[] image, int at, ushort value) => Put(image, at, (byte)value, (byte)(value >> 8));

        private static void PutU32(byte[] image, int at, uint value) =>
            Put(image, at, (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24));
    }

    /// <summary>Headers laid out like the kernel's own image (ILC + lld-link).</summary>
    private static PeBuilder KernelLike() => new PeBuilder()
        .Add(".text", 0x1000, 0x117D, Code | Execute | Read)
        .Add(".rdata", 0x3000, 0x535D, InitData | Read)
        .Add(".data", 0x9000, 0x5030, InitData | Read | Write)
        .Add(".pdata", 0xF000, 0x9F0, InitData | Read)
        .Add(".managed", 0x10000, 0x87DA, Code | Execute | Read)
        .Add(".modules", 0x19000, 0x18, InitData | Read)
        .Add(".tls", 0x1A000, 0x18, InitData | Read | Write)
        .Add(".reloc", 0x1B000, 0x504, InitData | Discardable | Read);

    private static PeImage ParseOk(ReadOnlySpan<byte> bytes)
    {
        Assert.Equal(PeImageStatus.Ok, PeImage.TryParse(bytes, out PeImage image));
        Assert.NotNull(image);
        return image;
    }

    private static void AssertRejected(PeImageStatus expected, byte[] bytes)
    {
        Assert.Equal(expected, PeImage.TryParse(bytes, out PeImage image));
        Assert.Null(image);
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "kernel", "Memory", "PeImage.cs")))
                return dir.FullName;
        }

        return null;
    }

    /// <summary>The synthetic kernel-like image always; the real kernel image too when a build has produced it.</summary>
    public static IEnumerable<object[]> KernelImages()
    {
        yield return new object[] { "synthetic" };
        string root = RepoRoot();
        if (root != null && File.Exists(Path.Combine(root, RealImage)))
            yield return new object[] { RealImage };
    }

    private static byte[] LoadImage(string source) =>
        source == "synthetic" ? KernelLike().Build(length: 0x1000) : File.ReadAllBytes(Path.Combine(RepoRoot(), source));

    // ---- well-formed images -------------------------------------------------------------------------------------

    [Fact]
    public void ReadsEverySectionOfASyntheticKernelImage()
    {
        PeBuilder builder = KernelLike();
        PeImage image = ParseOk(builder.Build());

        Assert.Equal(0x1C000u, image.SizeOfImage);
        Assert.Equal(0x400u, image.SizeOfHeaders);
        Assert.Equal(builder.Sections.Count, image.SectionCount);
        for (int i = 0; i < image.SectionCount; i++)
        {
            var expected = builder.Sections[i];
            PeSection section = image.Section(i);
            Assert.Equal(Encoding.ASCII.GetString(expected.Name), section.Name);
            Assert.Equal(expected.VirtualAddress, section.VirtualAddress);
            Assert.Equal(expected.VirtualSize, section.VirtualSize);
            Assert.Equal((expected.Characteristics & Execute) != 0, section.IsExecutable);
            Assert.Equal((expected.Characteristics & Write) != 0, section.IsWritable);
        }
    }

    [Theory]
    [MemberData(nameof(KernelImages))]
    public void KernelImageSectionsAskForWriteXorExecute(string source)
    {
        byte[] bytes = LoadImage(source);
        // On disk the headers are the same as in the loaded image, so the file parses like memory does.
        PeImage image = ParseOk(bytes);
        var sections = Enumerable.Range(0, image.SectionCount).Select(image.Section).ToList();

        PeSection text = Assert.Single(sections, s => s.Name == ".text");
        Assert.True(text.IsExecutable);
        Assert.False(text.IsWritable);
        PeSection data = Assert.Single(sections, s => s.Name == ".data");
        Assert.True(data.IsWritable);
        Assert.False(data.IsExecutable);
        PeSection rdata = Assert.Single(sections, s => s.Name == ".rdata");
        Assert.False(rdata.IsWritable);
        Assert.False(rdata.IsExecutable);
        Assert.DoesNotContain(sections, s => s.IsWritable && s.IsExecutable);

        // The layout the kernel maps: page-aligned sections in order, after the headers and inside the image.
        Assert.InRange(image.SizeOfHeaders, 1u, sections[0].VirtualAddress);
        for (int i = 0; i < sections.Count; i++)
        {
            Assert.Equal(0u, sections[i].VirtualAddress % 4096);
            Assert.True((ulong)sections[i].VirtualAddress + sections[i].VirtualSize <= image.SizeOfImage, sections[i].Name);
            if (i > 0)
                Assert.True(sections[i - 1].VirtualAddress + sections[i - 1].VirtualSize <= sections[i].VirtualAddress, sections[i].Name);
        }
    }

    [Theory]
    [MemberData(nameof(KernelImages))]
    public void KernelImageMatchesAnIndependentReadingOfItsHeaders(string source)
    {
        byte[] bytes = LoadImage(source);
        PeImage image = ParseOk(bytes);

        int pe = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(0x3C));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 6));
        int optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pe + 20));
        int optional = pe + 24;
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(optional + 56)), image.SizeOfImage);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(optional + 60)), image.SizeOfHeaders);
        Assert.Equal(count, image.SectionCount);
        Assert.InRange(count, 3, PeImage.MaxSections);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> header = bytes.AsSpan(optional + optionalSize + i * 40, 40);
            PeSection section = image.Section(i);
            Assert.Equal(Encoding.ASCII.GetString(header.Slice(0, 8)).TrimEnd('\0'), section.Name);
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(8)), section.VirtualSize);
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12)), section.VirtualAddress);
            uint characteristics = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(36));
            Assert.Equal((characteristics & Execute) != 0, section.IsExecutable);
            Assert.Equal((characteristics & Write) != 0, section.IsWritable);
        }

        // The kernel hands the parser only the first page of its loaded image; that must be enough.
        PeImage firstPage = ParseOk(bytes.AsSpan(0, 4096));
        Assert.Equal(image.SectionCount, firstPage.SectionCount);
        Assert.Equal(image.Section(count - 1).Name, firstPage.Section(count - 1).Name);
    }

    [Theory]
    [InlineData(0x40, 240)]
    [InlineData(0x80, 240)]
    [InlineData(0x100, 256)]
    [InlineData(0xF8, 64)]
    public void TheSectionTableFollowsTheOptionalHeaderWhereverItIs(int lfanew, int optionalHeaderSize)
    {
        PeBuilder builder = new PeBuilder { Lfanew = lfanew, OptionalHeaderSize = (ushort)optionalHeaderSize }
            .Add(".text", 0x1000, 0x800, Code | Execute | Read)
            .Add(".data", 0x2000, 0x100, InitData | Read | Write);

        PeImage image = ParseOk(builder.Build());

        Assert.Equal(2, image.SectionCount);
        Assert.Equal(".text", image.Section(0).Name);
        Assert.Equal(0x2000u, image.Section(1).VirtualAddress);
        Assert.Equal(0x100u, image.Section(1).VirtualSize);
        Assert.True(image.Section(1).IsWritable);
    }

    [Fact]
    public void SectionNamesUseAllEightBytesOrStopAtTheFirstNul()
    {
        PeImage image = ParseOk(new PeBuilder()
            .Add(".managed", 0x1000, 0x10, Read)                                  // exactly 8, no terminator
            .AddRaw(new byte[] { (byte)'a', (byte)'b', 0, (byte)'c', (byte)'d' }, 0x2000, 0x10, Read)
            .AddRaw(Array.Empty<byte>(), 0x3000, 0x10, Read)
            .Build());

        Assert.Equal(".managed", image.Section(0).Name);
        Assert.Equal("ab", image.Section(1).Name);
        Assert.Equal("", image.Section(2).Name);
    }

    [Theory]
    [InlineData(Code | Execute | Read, true, false)]
    [InlineData(Code | Read, false, false)]                    // "contains code" alone does not make it executable
    [InlineData(InitData | Read | Write, false, true)]
    [InlineData(Write, false, true)]
    [InlineData(Execute, true, false)]
    [InlineData(Execute | Write | Read | Code, true, true)]    // reported as asked; the kernel decides what to grant
    [InlineData(0x1FFFFFFFu, false, false)]                     // every other bit
    public void SectionRightsComeFromTheMemoryExecuteAndWriteBits(uint characteristics, bool executable, bool writable)
    {
        PeSection section = ParseOk(new PeBuilder().Add(".x", 0x1000, 0x10, characteristics).Build()).Section(0);

        Assert.Equal(executable, section.IsExecutable);
        Assert.Equal(writable, section.IsWritable);
    }

    [Fact]
    public void AnImageWithoutSectionsIsValid()
    {
        PeImage image = ParseOk(new PeBuilder { SizeOfHeaders = 0x200, SizeOfImage = 0x1000 }.Build());
        Assert.Equal(0, image.SectionCount);
        Assert.Equal(0x1000u, image.SizeOfImage);
        Assert.Equal(0x200u, image.SizeOfHeaders);
    }

    [Fact]
    public void ASectionEndingExactlyAtSizeOfImageIsInside()
    {
        PeImage image = ParseOk(new PeBuilder { SizeOfImage = 0x3000 }.Add(".data", 0x2000, 0x1000, Read | Write).Build());
        Assert.Equal(0x1000u, image.Section(0).VirtualSize);
    }

    [Fact]
    public void MaxSectionsSectionsAreAccepted()
    {
        var builder = new PeBuilder { SizeOfImage = 0x100000 };
        for (int i = 0; i < PeImage.MaxSections; i++)
            builder.Add("s" + i, (uint)(0x1000 * (i + 1)), 0x1000, Read);

        PeImage image = ParseOk(builder.Build());

        Assert.Equal(PeImage.MaxSections, image.SectionCount);
        Assert.Equal("s95", image.Section(95).Name);
        Assert.Equal(0x60000u, image.Section(95).VirtualAddress);
    }

    // ---- rejections -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(63)]
    public void ImagesShorterThanTheDosHeaderAreTooShort(int length)
    {
        byte[] bytes = new PeBuilder().Build().AsSpan(0, length).ToArray();
        AssertRejected(PeImageStatus.TooShort, bytes);
    }

    [Theory]
    [InlineData(0x1000u)]         // past the end
    [InlineData(0xFFFF_FFF0u)]    // would overflow a signed offset
    [InlineData(0x200u - 23)]     // the file header would be cut short by one byte
    public void APeHeaderOffsetOutsideTheImageIsTooShort(uint lfanew)
    {
        byte[] bytes = new PeBuilder().Build(length: 0x200);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x3C), lfanew);
        AssertRejected(PeImageStatus.TooShort, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    public void AnOptionalHeaderTooSmallForSizeOfImageIsTooShort(int optionalHeaderSize)
    {
        AssertRejected(PeImageStatus.TooShort, new PeBuilder { OptionalHeaderSize = (ushort)optionalHeaderSize }.Build());
    }

    [Fact]
    public void AnOptionalHeaderRunningPastTheEndIsTooShort()
    {
        var builder = new PeBuilder();
        int optionalEnd = builder.Lfanew + 24 + builder.OptionalHeaderSize;
        AssertRejected(PeImageStatus.TooShort, builder.Build(length: optionalEnd - 1));
        ParseOk(builder.Build(length: optionalEnd)); // exactly enough (no sections)
    }

    [Theory]
    [InlineData((byte)'Z', (byte)'M')]
    [InlineData((byte)'M', (byte)'z')]
    [InlineData((byte)0, (byte)0)]
    public void AWrongDosSignatureIsRejected(byte first, byte second)
    {
        byte[] bytes = KernelLike().Build();
        bytes[0] = first;
        bytes[1] = second;
        AssertRejected(PeImageStatus.BadDosSignature, bytes);
    }

    [Theory]
    [InlineData(0x00014550u)] // "PE\0\x01"
    [InlineData(0x0000454Eu)] // "NE\0\0"
    [InlineData(0x45500000u)] // "\0\0PE"
    public void AWrongPeSignatureIsRejected(uint signature)
    {
        PeBuilder builder = KernelLike();
        byte[] bytes = builder.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(builder.Lfanew), signature);
        AssertRejected(PeImageStatus.BadPeSignature, bytes);
    }

    [Theory]
    [InlineData(0x10B)] // PE32
    [InlineData(0x107)] // ROM image
    [InlineData(0x000)]
    public void AnythingButPe32PlusIsRejected(int magic)
    {
        PeBuilder builder = KernelLike();
        builder.Magic = (ushort)magic;
        AssertRejected(PeImageStatus.NotPe32Plus, builder.Build());
    }

    [Fact]
    public void MoreThanMaxSectionsIsRejectedBeforeTheTableIsRead()
    {
        // The count alone decides: the headers do not even hold that many entries.
        PeBuilder builder = KernelLike();
        builder.SectionCountOverride = PeImage.MaxSections + 1;
        AssertRejected(PeImageStatus.TooManySections, builder.Build());

        builder.SectionCountOverride = ushort.MaxValue;
        AssertRejected(PeImageStatus.TooManySections, builder.Build());
    }

    [Fact]
    public void ASectionTableCutShortIsRejected()
    {
        PeBuilder builder = KernelLike();
        int end = builder.HeadersEnd;

        AssertRejected(PeImageStatus.TruncatedSectionTable, builder.Build(length: end - 1));
        AssertRejected(PeImageStatus.TruncatedSectionTable, builder.Build(length: end - 40));
        Assert.Equal(builder.Sections.Count, ParseOk(builder.Build(length: end)).SectionCount);

        builder.SectionCountOverride = builder.Sections.Count + 1;
        AssertRejected(PeImageStatus.TruncatedSectionTable, builder.Build(length: end));
    }

    [Theory]
    [InlineData(0x1C000u, 0x1u)]           // starts at the end
    [InlineData(0x1B000u, 0x1001u)]        // runs one byte past
    [InlineData(0xFFFF_F000u, 0x2000u)]    // wraps around in 32 bits
    [InlineData(0x0u, 0xFFFF_FFFFu)]
    public void ASectionOutsideSizeOfImageIsRejected(uint virtualAddress, uint virtualSize)
    {
        PeBuilder builder = KernelLike().Add(".bad", virtualAddress, virtualSize, Read);
        AssertRejected(PeImageStatus.SectionOutsideImage, builder.Build());
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void MutatedImagesNeverThrowAndAParsedImageHasItsSections()
    {
        byte[] original = KernelLike().Build(length: 0x1000);
        ByteMutation.Of(original.Length).ForAll(mutation =>
        {
            PeImageStatus status = PeImage.TryParse(mutation.Apply(original), out PeImage image);

            Assert.True(Enum.IsDefined(status), $"status {status}");
            Assert.Equal(status == PeImageStatus.Ok, image != null);
            if (image == null)
                return;
            for (int i = 0; i < image.SectionCount; i++)
                Assert.NotNull(image.Section(i).Name);
        }, iterations: 500);
    }
}
