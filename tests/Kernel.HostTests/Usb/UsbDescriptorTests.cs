// The descriptor parsers against real devices' descriptors (RealDescriptors.cs): QEMU's keyboard and hub, a
// Logitech receiver, a composite keyboard whose boot interface is second, Linux's USB 2 and USB 3 root hubs.
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class UsbDescriptorTests
{
    [Fact]
    public void QemuKeyboardDeviceDescriptorParses()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryParse(RealDescriptors.QemuKeyboardDevice, out UsbDeviceDescriptor device));

        Assert.Equal(0x0100, device.UsbVersion);
        Assert.Equal(8, device.MaxPacketSize0);
        Assert.Equal(0x0627, device.VendorId);
        Assert.Equal(0x0001, device.ProductId);
        Assert.Equal(0x0000, device.DeviceVersion);
        Assert.Equal((1, 4, 5), (device.ManufacturerIndex, device.ProductIndex, device.SerialNumberIndex));
        Assert.Equal(1, device.ConfigurationCount);
        Assert.False(device.IsHub);
    }

    [Fact]
    public void QemuKeyboardConfigurationHasTheBootKeyboard()
    {
        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.QemuKeyboardConfiguration);

        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.Equal("ok", configuration.Describe());
        Assert.Equal(34, configuration.TotalLength);
        Assert.Equal(1, configuration.ConfigurationValue);
        Assert.Equal(8, configuration.StringIndex);
        Assert.True(configuration.SupportsRemoteWakeup);
        Assert.False(configuration.IsSelfPowered);
        Assert.Equal(50, configuration.MaxPower);
        Assert.Equal(1, configuration.InterfaceCount);
        UsbInterface keyboard = configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint);
        Assert.NotNull(keyboard);
        Assert.Equal(0, keyboard.Number);
        Assert.True(keyboard.HasHid);
        Assert.Equal(0x0111, keyboard.Hid.HidVersion);
        Assert.Equal(63, keyboard.Hid.ReportDescriptorLength);
        Assert.Equal(0x81, endpoint.Address);
        Assert.Equal(1, endpoint.Number);
        Assert.True(endpoint.IsIn);
        Assert.Equal(UsbTransferType.Interrupt, endpoint.TransferType);
        Assert.Equal(8, endpoint.MaxPacketSize);
        Assert.Equal(10, endpoint.Interval);
        Assert.Equal(3, endpoint.ContextIndex);
        Assert.Null(configuration.FindHub(out _));
    }

    [Fact]
    public void QemuHubDescriptorsParse()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryParse(RealDescriptors.QemuHubDevice, out UsbDeviceDescriptor device));
        Assert.True(device.IsHub);
        Assert.Equal((0x0409, 0x55AA, 0x0101), (device.VendorId, device.ProductId, device.DeviceVersion));

        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.QemuHubConfiguration);
        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.True(configuration.IsSelfPowered);
        Assert.NotNull(configuration.FindHub(out UsbEndpointDescriptor status));
        Assert.Equal(0x81, status.Address);
        Assert.Equal(2, status.MaxPacketSize);
        Assert.Equal(255, status.Interval);
        Assert.Null(configuration.FindBootKeyboard(out _));

        Assert.Equal(UsbDescriptorStatus.Ok, UsbHubDescriptor.TryParse(RealDescriptors.QemuHubHubDescriptor, out UsbHubDescriptor hub));
        Assert.False(hub.IsSuperSpeed);
        Assert.Equal(8, hub.PortCount);
        Assert.Equal(2, hub.PowerSwitchingMode);
        Assert.Equal(1, hub.OverCurrentMode);
        Assert.Equal(2, hub.PowerOnToPowerGoodMs);
        Assert.Equal(0, hub.ThinkTime);
        Assert.Equal(8, hub.ThinkTimeBitTimes);
        Assert.False(hub.IsPermanent(1));
    }

    [Fact]
    public void LogitechReceiverKeyboardIsFoundAmongThreeHidInterfaces()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryParse(RealDescriptors.LogitechUnifyingDevice, out UsbDeviceDescriptor device));
        Assert.Equal(32, device.MaxPacketSize0);
        Assert.Equal((0x046D, 0xC52B, 0x2400), (device.VendorId, device.ProductId, device.DeviceVersion));

        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.LogitechUnifyingConfiguration);
        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.Equal(3, configuration.InterfaceCount);
        Assert.Equal(4, configuration.StringIndex);
        Assert.Equal(148, configuration.Interface(1).Hid.ReportDescriptorLength);
        UsbInterface keyboard = configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint);
        Assert.Same(configuration.Interface(0), keyboard);
        Assert.Equal(59, keyboard.Hid.ReportDescriptorLength);
        Assert.Equal((0x81, 8), (endpoint.Address, (int)endpoint.Interval));
    }

    [Fact]
    public void CompositeKeyboardsBootInterfaceIsFoundWhenItIsSecond()
    {
        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.RohmCompositeConfiguration);

        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.Equal(2, configuration.InterfaceCount);
        Assert.Equal(1929, configuration.Interface(0).Hid.ReportDescriptorLength);
        Assert.Equal(0x0112, configuration.Interface(0).Hid.HidVersion);
        UsbInterface keyboard = configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint);
        Assert.NotNull(keyboard);
        Assert.Equal(1, keyboard.Number);
        Assert.Equal(2, keyboard.EndpointCount);
        Assert.Equal(0x83, endpoint.Address);
    }

    [Fact]
    public void BootMouseFirstIsNotTakenForTheKeyboard()
    {
        // Interface 0 a boot mouse with an interrupt IN endpoint, interface 1 the boot keyboard.
        byte[] bytes =
        {
            0x09, 0x02, 0x3B, 0x00, 0x02, 0x01, 0x00, 0xA0, 0x32,
            0x09, 0x04, 0x00, 0x00, 0x01, 0x03, 0x01, 0x02, 0x00,
            0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x34, 0x00,
            0x07, 0x05, 0x81, 0x03, 0x04, 0x00, 0x0A,
            0x09, 0x04, 0x01, 0x00, 0x01, 0x03, 0x01, 0x01, 0x00,
            0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00,
            0x07, 0x05, 0x82, 0x03, 0x08, 0x00, 0x0A,
        };

        UsbConfiguration configuration = UsbConfiguration.Parse(bytes);

        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.Equal(1, configuration.FindBootKeyboard(out UsbEndpointDescriptor endpoint).Number);
        Assert.Equal(0x82, endpoint.Address);
    }

    [Fact]
    public void LinuxEhciRootHubParses()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryParse(RealDescriptors.LinuxEhciRootHubDevice, out UsbDeviceDescriptor device));
        Assert.Equal(64, device.MaxPacketSize0);
        Assert.True(device.IsHub);
        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.LinuxEhciRootHubConfiguration);
        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.Equal(4, configuration.FindHub(out UsbEndpointDescriptor endpoint) == null ? -1 : endpoint.MaxPacketSize);

        Assert.Equal(UsbDescriptorStatus.Ok, UsbHubDescriptor.TryParse(RealDescriptors.LinuxEhciRootHubHubDescriptor, out UsbHubDescriptor hub));
        Assert.Equal(4, hub.PortCount);
        Assert.Equal(20, hub.PowerOnToPowerGoodMs);
        Assert.Equal(0u, hub.RemovableBits);
    }

    [Fact]
    public void SuperSpeedRootHubHasExponentPacketSizeAndCompanion()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryParse(RealDescriptors.LinuxXhciSuperSpeedRootHubDevice, out UsbDeviceDescriptor device));
        Assert.Equal(9, device.RawMaxPacketSize0);
        Assert.Equal(512, device.MaxPacketSize0);
        Assert.Equal(3, device.DeviceProtocol);

        UsbConfiguration configuration = UsbConfiguration.Parse(RealDescriptors.LinuxXhciSuperSpeedRootHubConfiguration);
        Assert.Equal(UsbDescriptorStatus.Ok, configuration.Status);
        Assert.NotNull(configuration.FindHub(out UsbEndpointDescriptor endpoint));
        Assert.True(endpoint.HasCompanion);
        Assert.Equal(0, endpoint.MaxBurst);
        Assert.Equal(2, endpoint.BytesPerInterval);
        Assert.Equal(4, endpoint.MaxPacketSize);
    }

    [Fact]
    public void SuperSpeedHubDescriptorParses()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbHubDescriptor.TryParse(RealDescriptors.SuperSpeedHubDescriptor, out UsbHubDescriptor hub));

        Assert.True(hub.IsSuperSpeed);
        Assert.Equal(4, hub.PortCount);
        Assert.Equal(1, hub.PowerSwitchingMode);
        Assert.Equal(100, hub.PowerOnToPowerGoodMs);
        Assert.Equal(4, hub.HeaderDecodeLatency);
        Assert.Equal(0x0100, hub.HubDelay);
        Assert.True(hub.IsPermanent(2));
        Assert.False(hub.IsPermanent(1));
        Assert.Equal(0, hub.ThinkTime);
    }

    [Theory]
    [InlineData(0x0000, 0, 8)]   // TT think time 8 FS bit times
    [InlineData(0x0020, 1, 16)]
    [InlineData(0x0040, 2, 24)]
    [InlineData(0x00E0, 3, 32)]  // plus port indicators
    public void Usb2HubThinkTimeComesFromCharacteristicsBits5And6(int characteristics, int thinkTime, int bitTimes)
    {
        byte[] bytes = { 0x09, 0x29, 0x04, (byte)characteristics, (byte)(characteristics >> 8), 0x32, 0x64, 0x00, 0xFF };

        Assert.Equal(UsbDescriptorStatus.Ok, UsbHubDescriptor.TryParse(bytes, out UsbHubDescriptor hub));
        Assert.Equal(thinkTime, hub.ThinkTime);
        Assert.Equal(bitTimes, hub.ThinkTimeBitTimes);
        Assert.Equal(characteristics == 0xE0, hub.HasPortIndicators);
    }

    [Fact]
    public void HighBandwidthBitsAreSplitFromTheMaxPacketSize()
    {
        byte[] bytes = { 0x07, 0x05, 0x81, 0x03, 0x00, 0x14, 0x01 }; // 0x1400: 1024 bytes, 2 extra transactions

        Assert.Equal(UsbDescriptorStatus.Ok, UsbEndpointDescriptor.TryParse(bytes, out UsbEndpointDescriptor endpoint));
        Assert.Equal(1024, endpoint.MaxPacketSize);
        Assert.Equal(2, endpoint.AdditionalTransactions);
        Assert.Equal(0x1400, endpoint.RawMaxPacketSize);
    }

    [Theory]
    [InlineData(0x0110, 64, 64)]
    [InlineData(0x0200, 8, 8)]
    [InlineData(0x0210, 64, 64)] // a USB 3 device attached at high speed reports 2.10 and bytes
    [InlineData(0x0300, 9, 512)]
    [InlineData(0x0320, 9, 512)]
    [InlineData(0x0300, 200, 0)] // absurd exponent
    public void MaxPacketSize0IsAnExponentFromUsb3(int version, int raw, int expected)
    {
        Assert.Equal(expected, UsbDeviceDescriptor.MaxPacketSize0From((ushort)version, (byte)raw));
    }

    [Fact]
    public void MaxPacketSize0IsReadFromTheFirstEightBytes()
    {
        Assert.Equal(UsbDescriptorStatus.Ok, UsbDeviceDescriptor.TryReadMaxPacketSize0(RealDescriptors.LogitechUnifyingDevice[..8], out int size));
        Assert.Equal(32, size);
        Assert.Equal(UsbDescriptorStatus.TooShort, UsbDeviceDescriptor.TryReadMaxPacketSize0(RealDescriptors.LogitechUnifyingDevice[..7], out _));
        Assert.Equal(UsbDescriptorStatus.WrongType, UsbDeviceDescriptor.TryReadMaxPacketSize0(RealDescriptors.QemuKeyboardConfiguration, out _));
    }

    [Fact]
    public void DeviceDescriptorRejectsShortWrongAndOverlongInput()
    {
        Assert.Equal(UsbDescriptorStatus.TooShort, UsbDeviceDescriptor.TryParse(new byte[] { 0x12 }, out _));
        Assert.Equal(UsbDescriptorStatus.PastEnd, UsbDeviceDescriptor.TryParse(RealDescriptors.QemuKeyboardDevice[..17], out _));
        Assert.Equal(UsbDescriptorStatus.WrongType, UsbDeviceDescriptor.TryParse(RealDescriptors.QemuKeyboardConfiguration, out _));
        byte[] shortLength = (byte[])RealDescriptors.QemuKeyboardDevice.Clone();
        shortLength[0] = 8;
        Assert.Equal(UsbDescriptorStatus.BadLength, UsbDeviceDescriptor.TryParse(shortLength, out _));
    }

    [Fact]
    public void HubPortStatusDecodesUsb2AndSuperSpeedLayouts()
    {
        // USB 2 hub: connected, enabled, powered, low speed; connection and reset changed.
        UsbHubPortStatus low = new UsbHubPortStatus(new byte[] { 0x03, 0x03, 0x11, 0x00 }, false);
        Assert.True(low.IsConnected && low.IsEnabled && low.IsPowered);
        Assert.Equal(UsbSpeed.Low, low.Speed);
        Assert.True(low.ConnectionChanged && low.ResetChanged);

        UsbHubPortStatus high = new UsbHubPortStatus(new byte[] { 0x03, 0x05, 0x00, 0x00 }, false);
        Assert.Equal(UsbSpeed.High, high.Speed);
        Assert.Equal(UsbSpeed.Full, new UsbHubPortStatus(new byte[] { 0x01, 0x01, 0x00, 0x00 }, false).Speed);
        Assert.Equal(UsbSpeed.Unknown, new UsbHubPortStatus(new byte[] { 0x00, 0x01, 0x00, 0x00 }, false).Speed);

        // SuperSpeed hub: power is bit 9.
        UsbHubPortStatus super = new UsbHubPortStatus(new byte[] { 0x03, 0x02, 0x00, 0x00 }, true);
        Assert.True(super.IsPowered);
        Assert.Equal(UsbSpeed.Super, super.Speed);
    }
}
