// Tests for Trb: the 16-byte layout (xHCI 1.2 §4.11.1, §6.4), each builder's fields as the TRB tables of §6.4.1-6.4.3
// give them, and the event accessors (§6.4.2). Expected words are written out as literals computed from the spec.
using System;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class TrbTests
{
    private static byte[] Bytes(Trb trb)
    {
        byte[] bytes = new byte[Trb.Size];
        trb.Write(bytes);
        return bytes;
    }

    [Fact]
    public void WriteIsLittleEndianParameterStatusControl()
    {
        // §4.11.1 / Figure 6-x: dword 0-1 parameter, dword 2 status, dword 3 control, little-endian in memory.
        var trb = new Trb(0x1122_3344_5566_7788, 0x99AA_BBCC, 0xDDEE_FF01);
        Assert.Equal(new byte[]
        {
            0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
            0xCC, 0xBB, 0xAA, 0x99,
            0x01, 0xFF, 0xEE, 0xDD,
        }, Bytes(trb));
    }

    [Fact]
    public void ReadIsTheInverseOfWriteAndWritesExactly16Bytes()
    {
        byte[] buffer = new byte[Trb.Size + 4];
        Array.Fill(buffer, (byte)0xA5);
        new Trb(0x0102_0304_0506_0708, 0x0A0B_0C0D, 0x0E0F_1011).Write(buffer);
        Assert.Equal(new byte[] { 0xA5, 0xA5, 0xA5, 0xA5 }, buffer[16..]);
        Trb back = Trb.Read(buffer);
        Assert.Equal((0x0102_0304_0506_0708UL, 0x0A0B_0C0Du, 0x0E0F_1011u), (back.Parameter, back.Status, back.Control));
    }

    [Fact]
    public void TypeIsControlBits15To10AndCycleIsBit0()
    {
        // §6.4: TRB Type is control bits 15:10; Cycle bit is bit 0.
        Assert.Equal(0x3F, new Trb(0, 0, 0xFFFF_FC00 | 0x3F << 10).Type);
        Assert.Equal(33, new Trb(0, 0, 33u << 10 | 1).Type);
        Assert.Equal(0, new Trb(0, 0, 0xFFFF_03FF).Type);
        Assert.True(new Trb(0, 0, 1).Cycle);
        Assert.False(new Trb(0, 0, 0xFFFF_FFFE).Cycle);
        Assert.Equal(0xFFFF_FFFEu, new Trb(0, 0, 0xFFFF_FFFF).WithCycle(false).Control);
        Assert.Equal(0x0000_0C01u, new Trb(0, 0, 0x0000_0C00).WithCycle(true).Control);
    }

    [Fact]
    public void SetupStageInWithData()
    {
        // §6.4.1.2.1: parameter = the 8-byte setup packet, status = TRB transfer length 8 (bits 16:0),
        // control: IDT bit 6, type 2 at 15:10, TRT bits 17:16 = 3 (IN data stage).
        Trb trb = Trb.SetupStage(0x0012_0000_0100_0680, hasData: true, dataIn: true);
        Assert.Equal(0x0012_0000_0100_0680UL, trb.Parameter);
        Assert.Equal(8u, trb.Status);
        Assert.Equal(3u << 16 | 2u << 10 | 1u << 6, trb.Control);
        Assert.Equal(0x0003_0840u, trb.Control);
    }

    [Fact]
    public void SetupStageOutWithDataAndWithoutData()
    {
        // TRT 2 = OUT data stage, 0 = no data stage (§6.4.1.2.1, Table 6-26).
        Assert.Equal(0x0002_0840u, Trb.SetupStage(0, hasData: true, dataIn: false).Control);
        Assert.Equal(0x0000_0840u, Trb.SetupStage(0, hasData: false, dataIn: false).Control);
        Assert.Equal(0x0000_0840u, Trb.SetupStage(0, hasData: false, dataIn: true).Control);
        Assert.Equal(8u, Trb.SetupStage(0, false, false).Status);
    }

    [Fact]
    public void DataStageDirectionIsBit16()
    {
        // §6.4.1.2.2: buffer pointer, transfer length 16:0, type 3, DIR bit 16 (1 = IN).
        Trb input = Trb.DataStage(0x0000_0001_2345_6000, 18, dataIn: true);
        Assert.Equal(0x0000_0001_2345_6000UL, input.Parameter);
        Assert.Equal(18u, input.Status);
        Assert.Equal(0x0001_0C00u, input.Control);
        Trb output = Trb.DataStage(0x5000, 0x1_0000, dataIn: false);
        Assert.Equal(0x1_0000u, output.Status);
        Assert.Equal(0x0000_0C00u, output.Control);
    }

    [Theory]
    // §6.4.1.2.3 and §4.11.2.2: the status stage runs IN when there is no data stage or the data stage is OUT, OUT
    // when the data stage is IN. Type 4 (0x1000), IOC bit 5 (0x20), DIR bit 16.
    [InlineData(false, false, 0x0001_1020u)]
    [InlineData(false, true, 0x0001_1020u)]
    [InlineData(true, false, 0x0001_1020u)]
    [InlineData(true, true, 0x0000_1020u)]
    public void StatusStageDirectionOppositeTheDataStageWithInterruptOnCompletion(bool hadData, bool dataIn, uint control)
    {
        Trb trb = Trb.StatusStage(hadData, dataIn);
        Assert.Equal((0UL, 0u, control), (trb.Parameter, trb.Status, trb.Control));
    }

    [Fact]
    public void NormalHasInterruptOnCompletionAndShortPacket()
    {
        // §6.4.1.1: type 1 (0x400), ISP bit 2, IOC bit 5; length in status 16:0.
        Trb trb = Trb.Normal(0xABCD_E000, 8);
        Assert.Equal((0xABCD_E000UL, 8u, 0x0000_0424u), (trb.Parameter, trb.Status, trb.Control));
    }

    [Fact]
    public void LinkPointsAtTheBaseWithToggleCycle()
    {
        // §6.4.4.1: ring segment pointer, type 6 (0x1800), TC bit 1.
        Trb trb = Trb.Link(0x0000_0002_0000_1000);
        Assert.Equal((0x0000_0002_0000_1000UL, 0u, 0x0000_1802u), (trb.Parameter, trb.Status, trb.Control));
        Assert.Equal(TrbType.Link, trb.Type);
        Assert.False(trb.Cycle);
    }

    [Fact]
    public void SlotCommandsCarryTheSlotIdInBits31To24()
    {
        // §6.4.3.4 Address Device (type 11), §6.4.3.5 Configure Endpoint (type 12), §6.4.3.6 Evaluate Context (13),
        // §6.4.3.3 Disable Slot (10), §6.4.3.2 Enable Slot (9, slot type 0): input context pointer in the parameter.
        Trb address = Trb.AddressDevice(0x7_0000_0040, 5);
        Assert.Equal((0x7_0000_0040UL, 0u, 0x0500_2C00u), (address.Parameter, address.Status, address.Control));
        Trb configure = Trb.ConfigureEndpoint(0x8000, 0xFF);
        Assert.Equal((0x8000UL, 0xFF00_3000u), (configure.Parameter, configure.Control));
        Assert.Equal(0x0200_3400u, Trb.EvaluateContext(0, 2).Control);
        Assert.Equal(0x0300_2800u, Trb.DisableSlot(3).Control);
        Assert.Equal(0x0000_2400u, Trb.EnableSlot().Control);
        Assert.Equal(0x0000_5C00u, Trb.NoOpCommand().Control);
    }

    [Fact]
    public void ResetEndpointCarriesTheEndpointIdInBits20To16()
    {
        // §6.4.3.7: type 14 (0x3800), endpoint ID 20:16, slot ID 31:24.
        Assert.Equal(0x0713_3800u, Trb.ResetEndpoint(7, 19).Control);
        Assert.Equal(0x011F_3800u, Trb.ResetEndpoint(1, 31).Control);
        Assert.Equal(19, Trb.ResetEndpoint(7, 19).EndpointId);
        Assert.Equal(7, Trb.ResetEndpoint(7, 19).SlotId);
    }

    [Fact]
    public void SetTrDequeuePointerPutsTheCycleStateInBit0()
    {
        // §6.4.3.9: parameter = dequeue pointer 63:4 | SCT 3:1 | DCS bit 0; type 16 (0x4000).
        Trb withCycle = Trb.SetTrDequeuePointer(2, 3, 0x0000_0001_0000_0A30, dequeueCycle: true);
        Assert.Equal((0x0000_0001_0000_0A31UL, 0u, 0x0203_4000u), (withCycle.Parameter, withCycle.Status, withCycle.Control));
        Trb without = Trb.SetTrDequeuePointer(2, 3, 0x0000_0001_0000_0A30, dequeueCycle: false);
        Assert.Equal(0x0000_0001_0000_0A30UL, without.Parameter);
    }

    [Fact]
    public void TransferEventAccessors()
    {
        // §6.4.2.1: parameter = TRB pointer, status = completion code 31:24 | transfer length 23:0,
        // control = slot ID 31:24 | endpoint ID 20:16 | type 32 (0x8000) | ED bit 2 | C.
        var trb = new Trb(0x1000, 0x0D00_0012, 0x0305_8001);
        Assert.Equal(TrbType.TransferEvent, trb.Type);
        Assert.Equal(CompletionCode.ShortPacket, trb.CompletionCode);
        Assert.Equal(0x12, trb.TransferLengthRemaining);
        Assert.Equal(3, trb.SlotId);
        Assert.Equal(5, trb.EndpointId);
        Assert.True(trb.Cycle);

        var full = new Trb(0, 0xFFFF_FFFF, 0xFFFF_FFFF);
        Assert.Equal((255, 0xFF_FFFF, 255, 31), (full.CompletionCode, full.TransferLengthRemaining, full.SlotId, full.EndpointId));
    }

    [Fact]
    public void PortStatusChangeEventPortIdIsParameterBits31To24()
    {
        // §6.4.2.3: dword 0 bits 31:24 = port ID; dword 1 reserved.
        var trb = new Trb(0x0000_00FF_0400_0000, 0x0100_0000, 34u << 10 | 1);
        Assert.Equal(4, trb.PortId);
        Assert.Equal(TrbType.PortStatusChangeEvent, trb.Type);
        Assert.Equal(CompletionCode.Success, trb.CompletionCode);
        Assert.Equal(0x7F, new Trb(0x7F00_0000, 0, 0).PortId);
        Assert.Equal(0, new Trb(0x00FF_FFFF, 0, 0).PortId);
    }

    [Fact]
    public void CommandCompletionEventSlotId()
    {
        // §6.4.2.2: slot ID 31:24, type 33 (0x8400).
        var trb = new Trb(0x2000, 0x0100_0000, 0x0900_8401);
        Assert.Equal((TrbType.CommandCompletionEvent, 9, CompletionCode.Success), (trb.Type, trb.SlotId, trb.CompletionCode));
    }
}
