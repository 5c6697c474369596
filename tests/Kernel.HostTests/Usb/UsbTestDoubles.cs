// Test doubles for the xHCI driver's pure logic: DMA memory as a plain array with a made-up physical address, and a
// register file of 32-bit registers a test can script (a firmware that answers after some reads, a clock).
using System;
using System.Collections.Generic;
using Kernel.Usb;

namespace Kernel.HostTests.Usb;

/// <summary>DMA memory over a managed array; PhysicalAddress is invented (the ring code only adds offsets to it).</summary>
internal sealed class ArrayDmaMemory : IDmaMemory
{
    private readonly byte[] _bytes;

    public ArrayDmaMemory(int length, ulong physicalAddress)
    {
        _bytes = new byte[length];
        PhysicalAddress = physicalAddress;
    }

    public ulong PhysicalAddress { get; }

    public Span<byte> Bytes => _bytes;

    public byte[] Array => _bytes;
}

/// <summary>
/// A register file of dwords by byte offset (unset registers read 0) that logs every access. OnRead lets a test play
/// the other side (the firmware); a write stores the value as it is (the log keeps what was written).
/// </summary>
internal sealed class SimulatedRegisters : IRegisterBlock
{
    public readonly Dictionary<uint, uint> Values = new Dictionary<uint, uint>();
    public readonly List<(bool Write, uint Offset, uint Value)> Log = new List<(bool, uint, uint)>();

    /// <summary>Called before a read returns: (offset, stored value) -> value returned (and stored).</summary>
    public Func<uint, uint, uint> OnRead;

    public uint this[uint offset]
    {
        get => Values.TryGetValue(offset, out uint value) ? value : 0;
        set => Values[offset] = value;
    }

    public uint Read32(uint offset)
    {
        Assert.Equal(0u, offset % 4);
        uint value = this[offset];
        if (OnRead != null)
        {
            value = OnRead(offset, value);
            this[offset] = value;
        }
        Log.Add((false, offset, value));
        return value;
    }

    public void Write32(uint offset, uint value)
    {
        Assert.Equal(0u, offset % 4);
        Log.Add((true, offset, value));
        this[offset] = value;
    }
}
