// The device vectors (Vectors.DeviceFirst to DeviceLast) handed out to drivers for MSI and MSI-X, each with its
// handler and a name for `irq`. Vectors are given in order and never taken back (a driver that restarts its device
// keeps its vector). The arrays are made with the table, so looking a handler up in an interrupt never allocates;
// an entry is complete before its vector is returned, and no device sends the vector before that. Pure: the host
// tests link it.
using System;

namespace Kernel.Interrupts;

/// <summary>Which device vector belongs to which handler.</summary>
public sealed class DeviceVectorTable
{
    private readonly Action[] _handlers = new Action[Vectors.DeviceCount];
    private readonly string[] _names = new string[Vectors.DeviceCount];
    private int _count;

    /// <summary>Vectors handed out so far.</summary>
    public int Count => _count;

    /// <summary>
    /// Gives the next free device vector to handler, named name (e.g. "xhci"); -1 when every one is taken. Not
    /// safe against a concurrent Register: the caller serializes.
    /// </summary>
    public int Register(string name, Action handler)
    {
        if (handler == null)
            throw new ArgumentNullException(nameof(handler));
        if (_count == Vectors.DeviceCount)
            return -1;
        _names[_count] = name;
        _handlers[_count] = handler;
        _count++;
        return Vectors.DeviceFirst + _count - 1;
    }

    /// <summary>The handler of vector, or null when it is not a device vector handed out.</summary>
    public Action HandlerOf(int vector) =>
        Vectors.IsDevice(vector) ? _handlers[vector - Vectors.DeviceFirst] : null;

    /// <summary>The name vector was registered with, or null.</summary>
    public string NameOf(int vector) =>
        Vectors.IsDevice(vector) ? _names[vector - Vectors.DeviceFirst] : null;

    /// <summary>The index-th vector handed out (0-based, below Count).</summary>
    public int VectorAt(int index) => Vectors.DeviceFirst + index;
}
