#if KERNEL_TESTS
// In-kernel test of the USB stack's recovery: with QEMU's xHCI and a USB keyboard attached (the boot test adds
// them), the stack starts, binds the keyboard, and then the controller is halted behind the driver's back, as a
// failing controller stops. The watchdog must notice, the manager reset the controller, forget the old devices and
// find the keyboard again, without the kernel hanging. The announcements are collected and printed.
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Tasks;
using Kernel.Usb;

namespace Kernel.Testing;

public static class UsbTests
{
    private const ulong StepTimeoutMs = 5000;
    private const string KeyboardBound = "boot keyboard";

    public static void ControllerRecoversFromAHalt()
    {
        Expect.True(UsbStack.ControllerCount > 0, "an xHCI controller (the boot test adds -device qemu-xhci -device usb-kbd)");
        var lines = new List<string>();
        UsbStack.Start(line => lines.Add(line));
        RunUntil(lines, KeyboardBound, 1);
        UsbStack.Controller(0).HaltBehindTheDriversBack();
        RunUntil(lines, "the controller halted by itself; resetting the controller", 1);
        RunUntil(lines, KeyboardBound, 2);
        for (int i = 0; i < lines.Count; i++)
            Terminal.WriteLine("  " + lines[i]);
        Expect.True(UsbStack.Controller(0).Failure == null, "the controller runs again");
        Expect.Equal(1L, UsbKeyboard.Count, "keyboards attached after the reset (the old one forgotten, the new one bound)");
    }

    // Runs the executor (halting between interrupts) until count announcements contain text, or fails after a while.
    private static void RunUntil(List<string> lines, string text, int count)
    {
        ulong start = SystemTimer.UptimeMilliseconds;
        while (Count(lines, text) < count)
        {
            if (SystemTimer.UptimeMilliseconds - start > StepTimeoutMs)
            {
                for (int i = 0; i < lines.Count; i++)
                    Terminal.WriteLine("  " + lines[i]);
                TestRunner.Fail("no announcement '" + text + "' (" + count.ToString() + ") in " + StepTimeoutMs.ToString() + " ms");
                return;
            }
            Executor.RunOnce(haltWhenIdle: true);
        }
    }

    private static int Count(List<string> lines, string text)
    {
        int found = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Contains(text))
                found++;
        }
        return found;
    }
}
#endif
