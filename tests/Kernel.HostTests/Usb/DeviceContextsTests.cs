// Tests for DeviceContexts (xHCI 1.2 §6.2): sizes for 32- and 64-byte contexts (HCCPARAMS1.CSZ), the slot context
// (§6.2.2, Figure 6-2), the endpoint context (§6.2.3, Figure 6-3), the input control context (§6.2.5.1), the device
// context index of an endpoint address (§4.5.1), and the interrupt interval encoding (§6.2.3.6).
using System;
using System.Buffers.Binary;
using System.Linq;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class DeviceContextsTests
{
    private static uint Dword(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));

    [Theory]
    [InlineData(32, 1024, 1056)]
    [InlineData(64, 2048, 2112)]
    public void SizesFollowTheContextSize(int contextSize, int output, int input)
    {
        var contexts = new DeviceContexts(contextSize);
        Assert.Equal((contextSize, output, input), (contexts.ContextSize, contexts.OutputSize, contexts.InputSize));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void BeginInputClearsTheInputContextAndSetsTheAddFlagsAtByte4(int contextSize)
    {
        var contexts = new DeviceContexts(contextSize);
        byte[] input = Enumerable.Repeat((byte)0xA5, contexts.InputSize + 8).ToArray();
        contexts.BeginInput(input, 0b1011);
        // §6.2.5.1: dword 0 drop flags, dword 1 add flags (A0 slot, A1 endpoint 0, A3 = DCI 3).
        Assert.Equal(0u, Dword(input, 0));
        Assert.Equal(0b1011u, Dword(input, 4));
        Assert.All(input.Skip(8).Take(contexts.InputSize - 8), b => Assert.Equal(0, b));
        Assert.All(input.Skip(contexts.InputSize), b => Assert.Equal(0xA5, b));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void SlotContextFieldsLandInTheirBits(int contextSize)
    {
        var contexts = new DeviceContexts(contextSize);
        byte[] input = new byte[contexts.InputSize];
        contexts.WriteSlot(input, new SlotContextFields(0x12345, UsbSpeed.High, 5, 7, isHub: true, hubPorts: 4,
            multiTt: true, ttHubSlotId: 9, ttPortNumber: 3, ttThinkTime: 2));
        int slot = contextSize; // After the input control context.
        // dword 0: route string 19:0, speed 23:20, MTT 25, Hub 26, context entries 31:27.
        Assert.Equal(0x2E31_2345u, Dword(input, slot));
        // dword 1: max exit latency 15:0 (0), root hub port number 23:16, number of ports 31:24.
        Assert.Equal(0x0407_0000u, Dword(input, slot + 4));
        // dword 2: TT hub slot ID 7:0, TT port number 15:8, TTT 17:16, interrupter target 31:22 (0).
        Assert.Equal(0x0002_0309u, Dword(input, slot + 8));
        Assert.Equal(0u, Dword(input, slot + 12));
        Assert.All(input.Take(slot), b => Assert.Equal(0, b));
        Assert.All(input.Skip(slot + 16), b => Assert.Equal(0, b));
    }

    [Fact]
    public void SlotContextFieldsAreMaskedToTheirWidths()
    {
        var contexts = new DeviceContexts(32);
        byte[] input = new byte[contexts.InputSize];
        contexts.WriteSlot(input, new SlotContextFields(0xFFFF_FFFF, UsbSpeed.Full, 1, 1));
        Assert.Equal(0x0810_0000u | 0xF_FFFF, Dword(input, 32));
        Assert.Equal(0x0001_0000u, Dword(input, 36));
        Assert.Equal(0u, Dword(input, 40));
    }

    [Fact]
    public void InterruptInEndpointContext()
    {
        var contexts = new DeviceContexts(32);
        byte[] input = new byte[contexts.InputSize];
        int index = DeviceContexts.EndpointIndex(0x81);
        contexts.WriteEndpoint(input, index, EndpointType.InterruptIn, 8, 6, 0, 0x0000_0001_2345_6780, true, 8);
        int at = (index + 1) * 32;
        Assert.Equal(128, at);
        // dword 0: interval 23:16, Max ESIT Payload Hi 31:24 (0), EP state 0.
        Assert.Equal(0x0006_0000u, Dword(input, at));
        // dword 1: CErr 3 at 2:1, type 7 at 5:3, max burst 15:8, max packet size 31:16.
        Assert.Equal(0x0008_003Eu, Dword(input, at + 4));
        // dwords 2-3: TR dequeue pointer 63:4 | DCS bit 0.
        Assert.Equal(0x0000_0001_2345_6781UL, BinaryPrimitives.ReadUInt64LittleEndian(input.AsSpan(at + 8)));
        // dword 4: average TRB length 15:0, Max ESIT Payload Lo 31:16 (8 * (0 + 1)).
        Assert.Equal(0x0008_0008u, Dword(input, at + 16));
        Assert.All(input.Take(at), b => Assert.Equal(0, b));
        Assert.All(input.Skip(at + 20), b => Assert.Equal(0, b));
    }

    [Fact]
    public void LargeMaxEsitPayloadSplitsIntoHiAndLo()
    {
        var contexts = new DeviceContexts(64);
        byte[] input = new byte[contexts.InputSize];
        // 1024 * (255 + 1) = 0x40000: Lo 15:0 = 0 in dword 4 bits 31:16, Hi 23:16 = 0x04 in dword 0 bits 31:24.
        contexts.WriteEndpoint(input, 3, EndpointType.InterruptIn, 1024, 0, 255, 0x1000, false, 1024);
        int at = 4 * 64;
        Assert.Equal(0x0400_0000u, Dword(input, at));
        Assert.Equal(0x0400_FF3Eu, Dword(input, at + 4));
        Assert.Equal(0x1000UL, BinaryPrimitives.ReadUInt64LittleEndian(input.AsSpan(at + 8)));
        Assert.Equal(0x0000_0400u, Dword(input, at + 16));

        // 1024 * 3 = 0xC00 fits Lo only.
        contexts.WriteEndpoint(input, 3, EndpointType.InterruptIn, 1024, 1, 2, 0x1000, true, 1024);
        Assert.Equal(0x0001_0000u, Dword(input, at));
        Assert.Equal(0x0C00_0400u, Dword(input, at + 16));
    }

    [Fact]
    public void ControlEndpointContextHasNoEsitPayloadAndMasksTheDequeuePointer()
    {
        var contexts = new DeviceContexts(32);
        byte[] input = new byte[contexts.InputSize];
        contexts.WriteEndpoint(input, DeviceContexts.ControlEndpointIndex, EndpointType.Control, 8, 0, 0, 0x0001_000F, false, 8);
        int at = 2 * 32;
        Assert.Equal(0u, Dword(input, at));
        Assert.Equal(0x0008_0026u, Dword(input, at + 4)); // CErr 3, type 4.
        Assert.Equal(0x0001_0000UL, BinaryPrimitives.ReadUInt64LittleEndian(input.AsSpan(at + 8)));
        Assert.Equal(0x0000_0008u, Dword(input, at + 16));

        contexts.SetControlMaxPacketSize(input, 64);
        Assert.Equal(0x0040_0026u, Dword(input, at + 4));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void OutputContextReaders(int contextSize)
    {
        var contexts = new DeviceContexts(contextSize);
        byte[] output = new byte[contexts.OutputSize];
        // Output slot context dword 3: USB device address 7:0, slot state 31:27 (§6.2.2).
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(12), 2u << 27 | 0x0000_0F05);
        // Endpoint context of DCI 3, dword 0: EP state 2:0 (§6.2.3) = 2 halted.
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(3 * contextSize), 0xFFFF_FFFA);
        Assert.Equal(2, contexts.SlotState(output));
        Assert.Equal(5, contexts.DeviceAddress(output));
        Assert.Equal(2, contexts.EndpointState(output, 3));
        Assert.Equal(0, contexts.EndpointState(output, 1));
    }

    [Theory]
    // §4.5.1: DCI = endpoint number * 2 + direction (1 IN), endpoint 0 = 1 whatever the direction bit.
    [InlineData(0x81, 3)]
    [InlineData(0x02, 4)]
    [InlineData(0x00, 1)]
    [InlineData(0x80, 1)]
    [InlineData(0x01, 2)]
    [InlineData(0x8F, 31)]
    [InlineData(0x0F, 30)]
    public void EndpointIndexOfAddress(byte address, int index) => Assert.Equal(index, DeviceContexts.EndpointIndex(address));

    [Theory]
    // §6.2.3.6: full/low speed interrupt: bInterval ms = bInterval*8 frames of 125 us, rounded down to 2^n, n in 3..10.
    [InlineData(UsbSpeed.Full, 1, 3)]
    [InlineData(UsbSpeed.Full, 8, 6)]
    [InlineData(UsbSpeed.Full, 10, 6)]
    [InlineData(UsbSpeed.Full, 255, 10)]
    [InlineData(UsbSpeed.Full, 0, 3)]
    [InlineData(UsbSpeed.Low, 1, 3)]
    [InlineData(UsbSpeed.Low, 10, 6)]
    [InlineData(UsbSpeed.Low, 16, 7)]
    [InlineData(UsbSpeed.Low, 255, 10)]
    // High speed and SuperSpeed: 2^(bInterval-1) microframes, so Interval = bInterval - 1 (bInterval 1..16).
    [InlineData(UsbSpeed.High, 1, 0)]
    [InlineData(UsbSpeed.High, 4, 3)]
    [InlineData(UsbSpeed.High, 16, 15)]
    [InlineData(UsbSpeed.Super, 1, 0)]
    [InlineData(UsbSpeed.Super, 4, 3)]
    [InlineData(UsbSpeed.SuperPlus, 8, 7)]
    public void InterruptIntervalPerSpeed(UsbSpeed speed, byte bInterval, int interval) =>
        Assert.Equal(interval, DeviceContexts.InterruptInterval(speed, bInterval));

    [Fact]
    public void SpeedIdsAndDefaultControlPacketSizes()
    {
        // §7.2.2.1.1 Table 7-13 default protocol speed IDs; USB 2.0 §5.5.3 / USB 3.2 §9.6.1 default max packet sizes.
        Assert.Equal((1, 2, 3, 4, 5), ((int)UsbSpeed.Full, (int)UsbSpeed.Low, (int)UsbSpeed.High, (int)UsbSpeed.Super, (int)UsbSpeed.SuperPlus));
        Assert.Equal((8, 8, 64, 512, 512, 0), (UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.Low), UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.Full),
            UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.High), UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.Super),
            UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.SuperPlus), UsbSpeeds.DefaultMaxPacketSize0(UsbSpeed.Unknown)));
    }
}
