// The device vectors handed out for MSI and MSI-X: in order from 0x50, clear of the ISA range, the APIC timer and
// the APIC's own vectors, each with its handler and name, until they run out.
using System;
using Kernel.Interrupts;

namespace Kernel.HostTests.Interrupts;

public class DeviceVectorTableTests
{
    [Fact]
    public void TheRangeAvoidsTheKernelsOtherVectors()
    {
        for (int vector = Vectors.DeviceFirst; vector <= Vectors.DeviceLast; vector++)
        {
            Assert.True(vector >= 32, "exceptions");
            Assert.False(vector >= Vectors.IsaBase && vector < Vectors.IsaBase + IsaIrq.Count, "ISA IRQs");
            Assert.NotEqual(Vectors.ApicTimer, vector);
            Assert.NotEqual(Vectors.CpuWake, vector);
            Assert.NotEqual(Vectors.ApicError, vector);
            Assert.NotEqual(Vectors.ApicSpurious, vector);
        }
        Assert.False(Vectors.IsDevice(Vectors.ApicTimer));
        Assert.False(Vectors.IsDevice(Vectors.CpuWake));
        Assert.True(Vectors.IsDevice(0x50));
        Assert.True(Vectors.IsDevice(0xDF));
    }

    [Fact]
    public void HandsOutVectorsInOrderWithTheirHandlers()
    {
        var table = new DeviceVectorTable();
        int calls = 0;
        Action first = () => calls += 1;
        Action second = () => calls += 10;

        Assert.Null(table.HandlerOf(Vectors.DeviceFirst));
        Assert.Equal(0x50, table.Register("xhci", first));
        Assert.Equal(0x51, table.Register("xhci", second));

        Assert.Equal(2, table.Count);
        table.HandlerOf(0x51)();
        Assert.Equal(10, calls);
        Assert.Same(first, table.HandlerOf(0x50));
        Assert.Equal("xhci", table.NameOf(0x50));
        Assert.Null(table.HandlerOf(0x52));
        Assert.Null(table.HandlerOf(Vectors.ApicTimer));
        Assert.Null(table.NameOf(0xFF));
        Assert.Equal(0x51, table.VectorAt(1));
    }

    [Fact]
    public void RunsOutAfterTheLastVector()
    {
        var table = new DeviceVectorTable();
        for (int i = 0; i < Vectors.DeviceCount; i++)
            Assert.Equal(Vectors.DeviceFirst + i, table.Register("dev", () => { }));

        Assert.Equal(-1, table.Register("one too many", () => { }));
        Assert.Equal(Vectors.DeviceCount, table.Count);
        Assert.Throws<ArgumentNullException>(() => new DeviceVectorTable().Register("none", null));
    }
}
