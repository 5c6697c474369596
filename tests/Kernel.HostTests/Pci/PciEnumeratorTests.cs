// Enumeration over QEMU's captured buses and over simulated ones: every bus once, bridges followed upward only,
// functions 1-7 only for multi-function devices, several host controllers, random config spaces.
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Pci;
using static Kernel.HostTests.Pci.PciConfigBuilder;

namespace Kernel.HostTests.Pci;

public class PciEnumeratorTests
{
    private static string[] Locations(PciScan scan) => scan.Functions.Select(f => f.Location).ToArray();

    [Fact]
    public void FindsEveryFunctionOfTheQ35DumpInAddressOrder()
    {
        PciScan scan = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-q35"));

        Assert.Equal(new[] { "00:00.0", "00:01.0", "00:02.0", "00:03.0", "00:1f.0", "00:1f.2", "00:1f.3", "01:00.0" }, Locations(scan));
        Assert.Equal(2, scan.BusCount);
        Assert.Empty(scan.Problems);
        Assert.Equal("pci: 8 functions on 2 buses", PciListing.Summary(scan));
        PciFunction root = scan.Functions[3];
        Assert.True(root.IsBridge);
        Assert.Equal((0, 1, 1), (root.PrimaryBus, root.SecondaryBus, root.SubordinateBus));
    }

    [Fact]
    public void FollowsThePcMachinesPciBridge()
    {
        PciScan scan = PciEnumerator.Scan(SimulatedPciBus.LoadDump("qemu-pc"));

        Assert.Equal(new[] { "00:00.0", "00:01.0", "00:01.1", "00:01.3", "00:02.0", "00:03.0", "01:00.0" }, Locations(scan));
        Assert.Equal(2, scan.BusCount);
        Assert.Equal("USB controller (xHCI)", scan.Functions[6].ClassName);
        Assert.Equal("IDE interface", scan.Functions[2].ClassName);
    }

    [Theory]
    [InlineData("qemu-q35")]
    [InlineData("qemu-pc")]
    public void SizingLeavesEveryRegisterAsItFoundIt(string dump)
    {
        SimulatedPciBus bus = SimulatedPciBus.LoadDump(dump);
        Dictionary<PciAddress, byte[]> before = bus.All.ToDictionary(f => f.Address, f => (byte[])f.Config.Clone());

        PciEnumerator.Scan(bus);

        foreach (SimulatedFunction function in bus.All)
            Assert.Equal(before[function.Address], function.Config);
        Assert.Empty(bus.DecodingWhileSized);
    }

    [Fact]
    public void RecursesThroughBridgesBehindBridges()
    {
        var bus = new SimulatedPciBus();
        HostBridge().AddTo(bus, 0, 0, 0);
        Bridge(0, 1, 3).AddTo(bus, 0, 4, 0);
        Bridge(1, 2, 3).AddTo(bus, 1, 0, 0);
        Bridge(2, 3, 3).AddTo(bus, 2, 7, 0);
        Device().AddTo(bus, 3, 0x1f, 0);
        Device().AddTo(bus, 9, 0, 0); // no bridge leads to bus 9

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Equal(new[] { "00:00.0", "00:04.0", "01:00.0", "02:07.0", "03:1f.0" }, Locations(scan));
        Assert.Equal(4, scan.BusCount);
    }

    [Fact]
    public void BridgesThatLoopOrPointDownAreNotFollowed()
    {
        var bus = new SimulatedPciBus();
        HostBridge().AddTo(bus, 0, 0, 0);
        Bridge(0, 1, 2).AddTo(bus, 0, 1, 0);
        Bridge(0, 1, 1).AddTo(bus, 0, 2, 0); // bus 1 again
        Bridge(1, 1, 1).AddTo(bus, 1, 0, 0); // to itself
        Bridge(1, 0, 0).AddTo(bus, 1, 1, 0); // back to the root
        Bridge(1, 2, 2).AddTo(bus, 1, 2, 0);
        Bridge(2, 1, 1).AddTo(bus, 2, 0, 0); // back up

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Equal(new[] { "00:00.0", "00:01.0", "00:02.0", "01:00.0", "01:01.0", "01:02.0", "02:00.0" }, Locations(scan));
        Assert.Equal(3, scan.BusCount);
        Assert.Equal(4, scan.Problems.Length);
        Assert.Contains("00:02.0: bridge's secondary bus 1 was already scanned, not followed", scan.Problems);
        Assert.Contains("01:00.0: bridge's secondary bus 1 is not above its bus 1, not followed", scan.Problems);
    }

    [Fact]
    public void AChainOfBridgesThroughAllBusesEndsAtBus255()
    {
        var bus = new SimulatedPciBus();
        for (int n = 0; n < 255; n++)
            Bridge((byte)n, (byte)(n + 1), 255).AddTo(bus, n, 0, 0);
        Bridge(255, 0, 0).AddTo(bus, 255, 0, 0);

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Equal(256, scan.BusCount);
        Assert.Equal(256, scan.Functions.Length);
        Assert.Single(scan.Problems);
    }

    [Fact]
    public void ProbesFunctionsOneToSevenOnlyForMultiFunctionDevices()
    {
        var bus = new SimulatedPciBus();
        HostBridge().AddTo(bus, 0, 0, 0);
        Device().AddTo(bus, 0, 1, 0);
        Device().AddTo(bus, 0, 1, 3); // a single-function device decoding badly: not listed
        Device().MultiFunction().AddTo(bus, 0, 2, 0);
        Device().AddTo(bus, 0, 2, 2);
        Device().AddTo(bus, 0, 2, 7);
        Device().MultiFunction().AddTo(bus, 0, 3, 1); // no function 0: no device

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Equal(new[] { "00:00.0", "00:01.0", "00:02.0", "00:02.2", "00:02.7" }, Locations(scan));
    }

    [Fact]
    public void VendorIdZeroIsAbsentToo()
    {
        var bus = new SimulatedPciBus();
        HostBridge().AddTo(bus, 0, 0, 0);
        Device(vendor: 0).AddTo(bus, 0, 5, 0);

        Assert.Equal(new[] { "00:00.0" }, Locations(PciEnumerator.Scan(bus)));
    }

    [Fact]
    public void AMultiFunctionHostBridgeHasAHostControllerPerFunction()
    {
        var bus = new SimulatedPciBus();
        HostBridge(multiFunction: true).AddTo(bus, 0, 0, 0);
        HostBridge().AddTo(bus, 0, 0, 1);
        HostBridge().AddTo(bus, 0, 0, 3);
        Device().AddTo(bus, 1, 2, 0);
        Device().AddTo(bus, 2, 2, 0); // function 2 is absent: bus 2 belongs to no host controller
        Device().AddTo(bus, 3, 4, 0);

        PciScan scan = PciEnumerator.Scan(bus);

        Assert.Equal(new[] { "00:00.0", "00:00.1", "00:00.3", "01:02.0", "03:04.0" }, Locations(scan));
        Assert.Equal(3, scan.BusCount);
    }

    [Fact]
    public void AnEmptySegmentStillScansBusZero()
    {
        PciScan scan = PciEnumerator.Scan(new SimulatedPciBus());

        Assert.Empty(scan.Functions);
        Assert.Equal(1, scan.BusCount);
        Assert.Equal("pci: 0 functions on 1 bus", PciListing.Summary(scan));
    }

    // Up to 12 functions on buses 0-3 with random configuration bytes and BAR masks, random header types,
    // bridges pointing anywhere and capability pointers anywhere.
    private static readonly Gen<(byte Bus, byte Device, byte Function, byte[] Config, uint[] Masks)> GenFunction =
        Gen.Select(Gen.Byte[0, 3], Gen.Byte[0, 3], Gen.Byte[0, 7], Gen.Byte.Array[256], Gen.UInt.Array[6]);

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void RandomConfigSpacesGiveBoundedWellFormedResults()
    {
        GenFunction.Array[0, 12].ForAll(functions =>
        {
            var bus = new SimulatedPciBus();
            foreach (var f in functions)
            {
                if (f.Device == 0 && f.Bus == 0 && f.Function == 0)
                    f.Config[0x0E] |= 0x80; // sometimes several host controllers
                bus.Add(f.Bus, f.Device, f.Function, f.Config, f.Masks);
            }

            PciScan scan = PciEnumerator.Scan(bus);

            Assert.InRange(scan.BusCount, 1, 256);
            Assert.Equal(scan.Functions.Length, scan.Functions.Select(f => f.Location).Distinct().Count());
            Assert.True(bus.Reads < 300_000, "reads: " + bus.Reads);
            foreach (PciFunction function in scan.Functions)
            {
                Assert.NotNull(bus.Get(function.Address));
                Assert.InRange(function.Capabilities.Length, 0, PciCapabilityList.MaxEntries);
                Assert.Equal(function.Capabilities.Length, function.Capabilities.Select(c => c.Offset).Distinct().Count());
                Assert.All(function.Capabilities, c => Assert.True(c.Offset >= 0x40 && c.Offset % 4 == 0 && c.Offset < 256));
                Assert.All(function.Bars, b => Assert.True(b.Index < PciHeader.BarCount(function.HeaderType) && b.Size != 0 && (b.Size & (b.Size - 1)) == 0));
                Assert.NotEmpty(PciListing.Lines(function));
            }
        }, print: functions => string.Join("; ", functions.Select(f => f.Bus + ":" + f.Device + "." + f.Function)));
    }
}
