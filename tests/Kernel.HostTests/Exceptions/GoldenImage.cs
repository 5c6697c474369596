// The records checked in as ImageUnwindData, placed at their RVAs in an otherwise empty image, and a fake stack.
using System;
using System.Collections.Generic;
using Kernel.Diagnostics;

namespace Kernel.HostTests.Exceptions;

internal static class GoldenImage
{
    public static byte[] Build()
    {
        uint size = 0;
        foreach ((uint rva, string hex) in ImageUnwindData.Blocks)
            size = Math.Max(size, rva + (uint)hex.Length / 2);
        var image = new byte[size];
        foreach ((uint rva, string hex) in ImageUnwindData.Blocks)
            Convert.FromHexString(hex).CopyTo(image, (int)rva);
        return image;
    }

    public static FunctionTable Table(uint tableRva, int entries) =>
        new FunctionTable(tableRva, (uint)entries * 12, ImageUnwindData.ManagedStart, ImageUnwindData.ManagedEnd);
}

/// <summary>A stack made of the values a test puts in it; reading anything else fails.</summary>
internal sealed class FakeStack : IUnwindMemory
{
    private readonly Dictionary<ulong, ulong> _values = new Dictionary<ulong, ulong>();

    public ulong this[ulong address]
    {
        set => _values[address] = value;
    }

    public bool TryRead(ulong address, out ulong value) => _values.TryGetValue(address, out value);
}
