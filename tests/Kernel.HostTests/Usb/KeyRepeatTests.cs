// Typematic timing of KeyRepeat, the lock LED report of LockLeds, and BootKeyboard putting them together.
using System;
using Kernel.Usb;
using Xunit;

namespace Kernel.HostTests.Usb;

public class KeyRepeatTests
{
    private const byte A = 0x04, B = 0x05, Up = 0x52, LeftShift = 0xE1;

    private static byte[] Poll(KeyRepeat repeat, ulong nowMs)
    {
        byte[] output = new byte[8];
        return output[..repeat.Poll(nowMs, output)];
    }

    [Fact]
    public void HeldKeyRepeatsAfterTheDelayAtTheRate()
    {
        KeyRepeat repeat = new KeyRepeat(500, 33);
        repeat.OnKeyDown(A, 1000);

        Assert.Empty(Poll(repeat, 1000));
        Assert.Empty(Poll(repeat, 1499));
        Assert.Equal(new byte[] { 0x1E }, Poll(repeat, 1500));
        Assert.Empty(Poll(repeat, 1532));
        Assert.Equal(new byte[] { 0x1E }, Poll(repeat, 1533));
        Assert.Equal(1566UL, repeat.DueMs);
    }

    [Fact]
    public void ExtendedKeyRepeatsWithItsPrefix()
    {
        KeyRepeat repeat = new KeyRepeat();
        repeat.OnKeyDown(Up, 0);

        Assert.Equal(new byte[] { 0xE0, 0x48 }, Poll(repeat, KeyRepeat.DefaultDelayMs));
    }

    [Fact]
    public void ReleaseStopsTheRepeat()
    {
        KeyRepeat repeat = new KeyRepeat();
        repeat.OnKeyDown(A, 0);
        repeat.OnKeyUp(B); // another key's release changes nothing
        Assert.True(repeat.IsActive);

        repeat.OnKeyUp(A);

        Assert.False(repeat.IsActive);
        Assert.Empty(Poll(repeat, 10_000));
    }

    [Fact]
    public void AnotherKeyTakesOverAndRestartsTheDelay()
    {
        KeyRepeat repeat = new KeyRepeat(500, 33);
        repeat.OnKeyDown(A, 0);
        Poll(repeat, 500);

        repeat.OnKeyDown(B, 600);

        Assert.Empty(Poll(repeat, 1099));
        Assert.Equal(new byte[] { 0x30 }, Poll(repeat, 1100));
        repeat.OnKeyUp(A); // the old key's release does not stop the new one
        Assert.True(repeat.IsActive);
    }

    [Fact]
    public void ModifiersNeverRepeatNorInterrupt()
    {
        KeyRepeat repeat = new KeyRepeat(500, 33);
        repeat.OnKeyDown(LeftShift, 0);
        Assert.False(repeat.IsActive);

        repeat.OnKeyDown(A, 0);
        repeat.OnKeyDown(LeftShift, 100);

        Assert.Equal(new byte[] { 0x1E }, Poll(repeat, 500));
    }

    [Fact]
    public void PauseAndUnmappedKeysDoNotRepeatButStopTheHeldKey()
    {
        KeyRepeat repeat = new KeyRepeat();
        repeat.OnKeyDown(A, 0);

        repeat.OnKeyDown(HidKeyboardUsages.Pause, 10);

        Assert.False(repeat.IsActive);
        repeat.OnKeyDown(0x68, 20); // F13
        Assert.False(repeat.IsActive);
    }

    [Fact]
    public void LatePollEmitsOneRepeatNotABurst()
    {
        KeyRepeat repeat = new KeyRepeat(500, 33);
        repeat.OnKeyDown(A, 0);

        Assert.Equal(new byte[] { 0x1E }, Poll(repeat, 5000));
        Assert.Empty(Poll(repeat, 5001));
        Assert.Equal(5033UL, repeat.DueMs);
    }

    [Fact]
    public void LockKeysToggleTheLedReportOnce()
    {
        LockLeds leds = new LockLeds();
        Assert.True(leds.TakeChange(out byte initial)); // the first report is always sent
        Assert.Equal(0, initial);

        Assert.True(leds.OnKeyDown(HidKeyboardUsages.CapsLock));
        Assert.True(leds.OnKeyDown(HidKeyboardUsages.NumLock));
        Assert.False(leds.OnKeyDown(A));
        Assert.True(leds.TakeChange(out byte report));
        Assert.Equal(LockLeds.NumLockLed | LockLeds.CapsLockLed, report);
        Assert.False(leds.TakeChange(out _));

        leds.OnKeyDown(HidKeyboardUsages.ScrollLock);
        leds.OnKeyDown(HidKeyboardUsages.ScrollLock);
        Assert.False(leds.HasChange); // on and off again: nothing to send

        leds.OnKeyDown(HidKeyboardUsages.CapsLock);
        Assert.True(leds.TakeChange(out report));
        Assert.Equal(LockLeds.NumLockLed, report);
    }

    [Fact]
    public void InitialLedsAreMasked()
    {
        Assert.Equal(LockLeds.ScrollLockLed, new LockLeds(0xFC).Report & 0x7);
        Assert.Equal(0x04, new LockLeds(0xFC).Report);
    }

    [Fact]
    public void BootKeyboardWiresReportsToRepeatAndLeds()
    {
        BootKeyboard keyboard = new BootKeyboard();
        byte[] output = new byte[BootKeyboardDecoder.MaxOutputBytes];
        keyboard.Leds.TakeChange(out _);

        keyboard.OnReport(new byte[] { 0, 0, HidKeyboardUsages.CapsLock, 0, 0, 0, 0, 0 }, 0, output, out _);
        keyboard.OnReport(new byte[] { 0, 0, A, 0, 0, 0, 0, 0 }, 100, output, out int written);

        Assert.Equal(new byte[] { 0xBA, 0x1E }, output[..written]);
        Assert.True(keyboard.Leds.TakeChange(out byte leds));
        Assert.Equal(LockLeds.CapsLockLed, leds);
        Assert.Equal(1, keyboard.Poll(600, output));
        Assert.Equal(0x1E, output[0]);

        // A rollover report changes nothing: the key goes on repeating.
        keyboard.OnReport(new byte[] { 0, 0, 1, 1, 1, 1, 1, 1 }, 610, output, out _);
        Assert.True(keyboard.Repeat.IsActive);

        keyboard.OnReport(new byte[8], 620, output, out _);
        Assert.False(keyboard.Repeat.IsActive);

        keyboard.OnReport(new byte[] { 0, 0, B, 0, 0, 0, 0, 0 }, 630, output, out _);
        keyboard.Disconnect();
        Assert.False(keyboard.Repeat.IsActive);
        Assert.False(keyboard.Decoder.IsKeyDown(B));
    }
}
