// Boot tests of the USB chapter: a machine without PS/2 (q35 with i8042=off) and a QEMU USB keyboard on an xHCI
// controller; keys sent over QMP reach the shell through the xHCI driver and the HID boot keyboard, in the same way
// as PS/2 keys. Also: full speed, the NEC controller (SuperSpeed ports numbered first), a keyboard behind a hub,
// MSI-X and MSI (and polling with irq=pic), hot-plug and removal,
// usb=off, a SuperSpeed mass-storage device listed by lsusb, PS/2 and USB keyboards in one shell, booting from a USB
// stick on the controller the kernel then takes over, and the pc machine with and without xHCI.
using System;
using System.IO;
using System.Text.RegularExpressions;
using Kernel.BootTests.Harness;
using Xunit;

namespace Kernel.BootTests;

/// <summary>The USB keyboard types in the shell; lsusb lists it.</summary>
public sealed class UsbBootTests
{
    private const string NoPs2Machine = "q35,i8042=off";
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(30);
    private const string KeyboardLine = @"usb: port ([\d.]+): 0627:0001 (\w+) speed, boot keyboard \(interface 0, endpoint 0x81\)";

    /// <summary>
    /// With no PS/2 controller at all, the USB keyboard types <c>echo hello</c> and the command runs; lsusb lists the
    /// controller and the keyboard on the expected port at the expected speed.
    /// </summary>
    [Theory]
    [InlineData("qemu-xhci", "usb-kbd", "high", "USB 2")]
    [InlineData("qemu-xhci", "usb-kbd,usb_version=1", "full", "USB 2")]
    [InlineData("nec-usb-xhci", "usb-kbd", "high", "USB 2")]
    public void UsbKeyboardTypesACommand(string controller, string keyboard, string speed, string protocol) =>
        TypeAndList(new[] { "-device", controller + ",id=xhci", "-device", keyboard + ",bus=xhci.0" }, speed, protocol, null);

    /// <summary>
    /// The same behind QEMU's usb-hub (a full-speed hub, so the keyboard runs at full speed on hub port 1): the hub
    /// is announced with its ports, the keyboard with its port path, and both are listed.
    /// </summary>
    [Fact]
    public void UsbKeyboardBehindAHubTypesACommand() =>
        TypeAndList(new[] { "-device", "qemu-xhci,id=xhci", "-device", "usb-hub,bus=xhci.0,port=1", "-device", "usb-kbd,bus=xhci.0,port=1.1" },
            "full", "USB 2", @"usb: port (\d+): 0409:55aa full speed, hub, 8 ports");

    private static void TypeAndList(string[] qemuArguments, string speed, string protocol, string hubLine)
    {
        string lsusb = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: NoPs2Machine, qmp: true, serialInput: true,
            extraQemuArgs: qemuArguments,
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => Regex.IsMatch(text, KeyboardLine), "the USB keyboard's line", s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "hello");
                lsusb = LsusbThenShutDown(running);
            });

        BootAssert.HasLineMatching(boot, @"^keyboard: no PS/2 keyboard \(");
        BootAssert.HasLineMatching(boot, @"^usb: xHCI 1\.0 at 0000:00:0[0-9a-f]\.0 \([0-9a-f]{4}:[0-9a-f]{4}\), \d+ ports, \d+ slots, (64|32)-bit DMA; ");
        Match line = Regex.Match(boot.Serial, KeyboardLine);
        Assert.Equal(speed, line.Groups[2].Value);
        if (hubLine != null)
        {
            Match hub = Regex.Match(boot.Serial, hubLine);
            Assert.True(hub.Success, "no hub line\n" + boot.Describe());
            Assert.Equal(hub.Groups[1].Value + ".1", line.Groups[1].Value);
            Assert.Matches(@"(?m)^  port " + hub.Groups[1].Value + @" \(USB 2\): slot \d+, 0409:55aa full speed, class 0x090000, hub, 8 ports$", lsusb);
        }
        Assert.True(Regex.IsMatch(lsusb, @"(?m)^  port " + line.Groups[1].Value + " \\(" + protocol + @"\): slot \d+, 0627:0001 " + speed
            + @" speed, class 0x000000, boot keyboard \(interface 0, endpoint 0x81\), \d+ reports$"), "lsusb printed:\n" + lsusb);
    }

    /// <summary>
    /// A keyboard plugged in after boot (device_add) is found and types; unplugged (device_del) it is reported
    /// removed, and the shell goes on (over serial); plugged in again, it types again.
    /// </summary>
    [Fact]
    public void KeyboardHotPlugAndRemoval()
    {
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: NoPs2Machine, qmp: true, serialInput: true,
            extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => text.Contains("running (", StringComparison.Ordinal), "the controller running", s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                for (int round = 1; round <= 2; round++)
                {
                    int mark = running.ReadSerial().Length;
                    qmp.HumanMonitorCommand("device_add usb-kbd,bus=xhci.0,id=kbd" + round);
                    running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), KeyboardLine), "the plugged keyboard's line", s_step);
                    TypeEcho(running, qmp, "round" + round);
                    mark = running.ReadSerial().Length;
                    qmp.HumanMonitorCommand("device_del kbd" + round);
                    running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), @"usb: port \d+: 0627:0001 \w+ speed removed"), "the removal", s_step);
                }
                int before = running.ReadSerial().Length;
                running.SendSerial("echo still here\r");
                running.WaitForSerial(text => EchoedLine(text, before, "still here"), "the serial echo", s_step);
                running.SendSerial("shutdown\r");
                running.WaitForExit(s_step);
            });

        Assert.DoesNotMatch(@"usb: [^\n]*(failed|did not|no answer)", boot.Serial);
    }

    /// <summary>
    /// The controller interrupts through MSI-X (qemu-xhci, nec-usb-xhci) or MSI (nec-usb-xhci with msix=off) to a
    /// device vector of the boot CPU: the running line names the mode and vector, the keyboard types, and `irq`
    /// counts deliveries on that vector under the name xhci. With irq=pic the local APIC is not used and the
    /// controller is polled: it still types, and `irq` has no xhci vector.
    /// </summary>
    [Theory]
    [InlineData("qemu-xhci", "apic", "MSI-X")]
    [InlineData("nec-usb-xhci", "apic", "MSI-X")]
    [InlineData("nec-usb-xhci,msix=off", "apic", "MSI")]
    [InlineData("qemu-xhci", "pic", "polled")]
    public void ControllerInterruptsThroughMessages(string controller, string irqMode, string mode)
    {
        string irq = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial irq=" + irqMode, machine: NoPs2Machine, qmp: true, serialInput: true,
            extraQemuArgs: new[] { "-device", controller + ",id=xhci", "-device", "usb-kbd,bus=xhci.0" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => Regex.IsMatch(text, KeyboardLine), "the USB keyboard's line", s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "hello");
                int mark = running.ReadSerial().Length;
                running.SendSerial("irq\r");
                irq = running.WaitForPrompt(mark, s_step).Substring(mark).Replace("\r", "");
                running.SendSerial("shutdown\r");
                running.WaitForExit(s_step);
            });

        if (mode == "polled")
        {
            BootAssert.HasLineMatching(boot, @"^usb: 0000:00:0[0-9a-f]\.0 running \(polled: the local APIC is not in use\)$");
            Assert.DoesNotContain("xhci 0x", irq);
            return;
        }
        Match line = Regex.Match(boot.Serial, @"(?m)^usb: 0000:00:0[0-9a-f]\.0 running \(" + mode + @" vector 0x([0-9a-f]{2})\)\r?$");
        Assert.True(line.Success, "no running line with " + mode + ":\n" + boot.Serial);
        string vector = line.Groups[1].Value;
        Match count = Regex.Match(irq, @", xhci 0x" + vector + @": (\d+)");
        Assert.True(count.Success, "irq printed:\n" + irq);
        Assert.True(ulong.Parse(count.Groups[1].Value) > 0, "no interrupts counted on the xHCI's vector:\n" + irq);
    }

    // QEMU's usb-storage (VID:PID 46f4:0001, "QEMU USB HARDDRIVE") has SuperSpeed descriptors: on an xHCI it lands on a
    // USB 3 port at super speed. Its class is in the interface (mass storage), the device descriptor's is 0.
    private const string StorageLine = @"usb: port (\d+): 46f4:0001 super speed";

    /// <summary>
    /// A usb-storage device (SuperSpeed in QEMU) is enumerated on a USB 3 port: the boot log lists it with its VID:PID
    /// and speed and no driver, and lsusb lists it on the same port as USB 3, class 0, with no role.
    /// </summary>
    [Fact]
    public void StorageOnASuperSpeedPortIsListed()
    {
        string lsusb = null;
        string stickDirectory = Directory.CreateTempSubdirectory("kstick-").FullName;
        try
        {
            string stick = Path.Combine(stickDirectory, "stick.img");
            using (FileStream file = File.Create(stick))
                file.SetLength(1024 * 1024);
            BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", serialInput: true,
                extraQemuArgs: new[]
                {
                    "-device", "qemu-xhci,id=xhci", "-drive", "if=none,id=stick,format=raw,file=" + stick,
                    "-device", "usb-storage,bus=xhci.0,drive=stick",
                },
                whileRunning: whileRunning), running =>
                {
                    running.WaitForSerial(text => Regex.IsMatch(text, "(?m)^" + StorageLine + "$"), "the storage device's line", BootHarness.DefaultTimeout);
                    running.WaitForPrompt(running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1, s_step);
                    lsusb = LsusbThenShutDown(running);
                });

            string port = Regex.Match(boot.Serial, "(?m)^" + StorageLine + "$").Groups[1].Value;
            Assert.True(Regex.IsMatch(lsusb, @"(?m)^  port " + port + @" \(USB 3\): slot \d+, 46f4:0001 super speed, class 0x000000$"),
                "lsusb printed:\n" + lsusb);
            Assert.DoesNotMatch(@"usb: [^\n]*(failed|did not|no answer|resetting)", boot.Serial);
        }
        finally
        {
            Directory.Delete(stickDirectory, recursive: true);
        }
    }

    /// <summary>
    /// PS/2 and USB keyboards in one shell on q35 (which has PS/2): typed before any USB keyboard exists, keys go to
    /// PS/2; after a USB keyboard is plugged in (device_add), QEMU sends them to it, and the same shell runs both
    /// commands.
    /// </summary>
    [Fact]
    public void Ps2AndUsbKeyboardsTypeInTheSameShell()
    {
        string lsusb = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", qmp: true, serialInput: true,
            extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => text.Contains("running (", StringComparison.Ordinal), "the controller running", s_step);
                running.WaitForPrompt(running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1, s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "ps");
                int mark = running.ReadSerial().Length;
                qmp.HumanMonitorCommand("device_add usb-kbd,bus=xhci.0,id=k");
                running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), KeyboardLine), "the plugged keyboard's line", s_step);
                TypeEcho(running, qmp, "usb");
                lsusb = LsusbThenShutDown(running);
            });

        BootAssert.HasLineMatching(boot, @"^keyboard: PS/2 on IRQ 1 \(");
        Assert.DoesNotMatch(@"usb: [^\n]*(failed|did not|no answer|resetting)", boot.Serial);
        // "echo usb" and Enter, pressed and released: at least 18 reports came from the USB keyboard (the PS/2 line
        // before it was plugged in had no USB keyboard to come from).
        Match reports = Regex.Match(lsusb, @"(?m)^  port \d+ \(USB 2\): slot \d+, 0627:0001 high speed, class 0x000000, boot keyboard \(interface 0, endpoint 0x81\), (\d+) reports$");
        Assert.True(reports.Success && int.Parse(reports.Groups[1].Value) >= 18, "lsusb printed:\n" + lsusb);
    }

    /// <summary>
    /// The kernel boots from its image attached as a USB stick on an xHCI (OVMF reads it through its own xHCI driver),
    /// then takes that controller over (resetting it) without crashing: the stick is enumerated again and listed, a
    /// USB keyboard on the same controller types, and the shell answers on serial.
    /// </summary>
    /// <param name="gptImage">The release format (GPT + FAT32 ESP, what is written to a real stick) or the quick FAT image.</param>
    /// <param name="controller">The xHCI the stick and the keyboard are on.</param>
    [Theory]
    [InlineData(false, "qemu-xhci")]
    [InlineData(true, "qemu-xhci")]
    [InlineData(false, "nec-usb-xhci")]
    public void BootsFromAUsbStickOnTheControllerItTakesOver(bool gptImage, string controller)
    {
        string lsusb = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", gptImage: gptImage, qmp: true, serialInput: true, usbStickController: controller,
            extraQemuArgs: new[] { "-device", "usb-kbd,bus=" + BootHarness.UsbStickControllerId + ".0" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => Regex.IsMatch(text, "(?m)^" + StorageLine + "$") && Regex.IsMatch(text, KeyboardLine),
                    "the stick's and the keyboard's lines", BootHarness.DefaultTimeout);
                running.WaitForPrompt(running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1, s_step);
                int mark = running.ReadSerial().Length;
                running.SendSerial("echo alive\r");
                running.WaitForSerial(text => EchoedLine(text, mark, "alive"), "alive echoed (typed on serial)", s_step);
                running.WaitForPrompt(mark, s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "hello");
                lsusb = LsusbThenShutDown(running);
            });

        BootAssert.HasLineMatching(boot, @"^BdsDxe: starting Boot\d+ ""UEFI QEMU QEMU USB HARDDRIVE ");
        BootAssert.HasLineMatching(boot, @"^usb: xHCI 1\.0 at 0000:00:0[0-9a-f]\.0 \([0-9a-f]{4}:[0-9a-f]{4}\), \d+ ports, \d+ slots, (64|32)-bit DMA; ");
        string port = Regex.Match(boot.Serial, "(?m)^" + StorageLine + "$").Groups[1].Value;
        Assert.True(Regex.IsMatch(lsusb, @"(?m)^  port " + port + @" \(USB 3\): slot \d+, 46f4:0001 super speed, class 0x000000$"),
            "lsusb printed:\n" + lsusb);
        Assert.Matches(@"(?m)^  port \d+ \(USB 2\): slot \d+, 0627:0001 high speed, class 0x000000, boot keyboard ", lsusb);
        Assert.DoesNotMatch(@"usb: [^\n]*(failed|did not|no answer|resetting)", boot.Serial);
        Assert.DoesNotContain("KERNEL PANIC", boot.Serial);
    }

    /// <summary>
    /// The pc machine (i440FX, PIIX3, no MCFG: PCI through the legacy ports) with an xHCI and a USB keyboard: PS/2 is
    /// still found, and the USB keyboard (which QEMU gives the keys, as the keyboard added last) types a command.
    /// </summary>
    [Fact]
    public void PcMachineKeepsPs2AndTypesOnUsb()
    {
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: "pc", qmp: true, serialInput: true,
            extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci", "-device", "usb-kbd,bus=xhci.0" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => Regex.IsMatch(text, KeyboardLine), "the USB keyboard's line", BootHarness.DefaultTimeout);
                running.WaitForPrompt(running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1, s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "hello");
                running.SendSerial("shutdown\r");
                running.WaitForExit(s_step);
            });

        BootAssert.HasLineMatching(boot, @"^pci: legacy ports 0xCF8/0xCFC \(no MCFG\)$");
        BootAssert.HasLineMatching(boot, @"^keyboard: PS/2 on IRQ 1 \(");
        Assert.Equal("high", Regex.Match(boot.Serial, KeyboardLine).Groups[2].Value);
    }

    /// <summary>The pc machine without any xHCI: the boot log says so, and PS/2 types a command.</summary>
    [Fact]
    public void PcMachineWithoutXhciTypesOnPs2()
    {
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: "pc", qmp: true, serialInput: true,
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                running.WaitForPrompt(running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1, s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                TypeEcho(running, qmp, "hello");
                running.SendSerial("shutdown\r");
                running.WaitForExit(s_step);
            });

        BootAssert.HasLineMatching(boot, @"^usb: no xHCI controller$");
        BootAssert.HasLineMatching(boot, @"^keyboard: PS/2 on IRQ 1 \(");
    }

    /// <summary>
    /// Hot-plug behind a hub: a keyboard plugged into port 2 of a hub (the hub's status-change endpoint reports it)
    /// is found with its port path and types; unplugged, it is reported removed; then the hub itself is unplugged
    /// and reported removed, and the shell goes on.
    /// </summary>
    [Fact]
    public void KeyboardHotPlugBehindAHub()
    {
        string lsusb = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: NoPs2Machine, qmp: true, serialInput: true,
            extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci", "-device", "usb-hub,bus=xhci.0,port=1,id=hub" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerial(text => text.Contains(", hub, 8 ports", StringComparison.Ordinal), "the hub's line", s_step);
                using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                int mark = running.ReadSerial().Length;
                qmp.HumanMonitorCommand("device_add usb-kbd,bus=xhci.0,port=1.2,id=kbd");
                running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), KeyboardLine), "the plugged keyboard's line", s_step);
                TypeEcho(running, qmp, "behind");
                mark = running.ReadSerial().Length;
                qmp.HumanMonitorCommand("device_del kbd");
                running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), @"usb: port \d+\.2: 0627:0001 full speed removed"), "the keyboard's removal", s_step);
                mark = running.ReadSerial().Length;
                qmp.HumanMonitorCommand("device_del hub");
                running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), @"usb: port \d+: 0409:55aa full speed removed"), "the hub's removal", s_step);
                running.WaitForPrompt(mark, s_step);
                lsusb = LsusbThenShutDown(running);
            });

        Assert.Matches(@"usb: port (\d+)\.2: 0627:0001 full speed, boot keyboard", boot.Serial);
        Assert.DoesNotMatch(@"(?m)^  port ", lsusb);
        Assert.DoesNotMatch(@"usb: [^\n]*(failed|did not|no answer|resetting)", boot.Serial);
    }

    /// <summary>
    /// The in-kernel test usb.controller_recovers: the controller, halted behind the driver's back after the keyboard
    /// is bound, is noticed by the watchdog, reset by the manager, and the keyboard found again.
    /// </summary>
    [Fact]
    public void HaltedControllerIsResetAndItsKeyboardFoundAgain()
    {
        const string name = "usb.controller_recovers";
        Assert.Contains(name, KernelTestCatalog.OwnBootTests);
        BootResult boot = BootHarness.Boot("test=" + name, machine: NoPs2Machine,
            extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci", "-device", "usb-kbd,bus=xhci.0" });

        BootAssert.TestPassed(boot, name);
        BootAssert.Summary(boot, 1, 0);
        BootAssert.HasLineMatching(boot, @"^  usb: 0000:00:0[0-9a-f]\.0: the controller halted by itself; resetting the controller$");
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    // The SET_REPORT(output) setup packet for interface 0 with one byte, as QEMU's xHCI trace prints a fetched
    // Setup Stage TRB's immediate data: bmRequestType 0x21, bRequest 0x09, wValue 0x0200, wIndex 0, wLength 1.
    private const string SetLedsSetupTrace = "TR_SETUP, p 0x0001000002000921";

    /// <summary>
    /// A key held for 1.5 s repeats from the kernel's timer (the USB keyboard, unlike PS/2, does not repeat by
    /// itself): after the 500 ms delay at about 30 a second. Caps Lock turns capitals on, and each press sends the
    /// LED report (SET_REPORT, seen in QEMU's xHCI trace): once when the keyboard is bound, once per Caps Lock.
    /// </summary>
    [Fact]
    public void HeldKeyRepeatsAndCapsLockSetsTheLeds()
    {
        string typed = null;
        int ledReportsAtBind = 0;
        string traceDirectory = Directory.CreateTempSubdirectory("kxhci-").FullName;
        string trace = Path.Combine(traceDirectory, "xhci.log");
        try
        {
            BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial", machine: NoPs2Machine, qmp: true, serialInput: true,
                extraQemuArgs: new[] { "-device", "qemu-xhci,id=xhci", "-device", "usb-kbd,bus=xhci.0", "-trace", "usb_xhci_fetch_trb", "-D", trace },
                whileRunning: whileRunning), running =>
                {
                    running.WaitForSerial(text => Regex.IsMatch(text, KeyboardLine), "the USB keyboard's line", s_step);
                    ledReportsAtBind = CountLines(trace, SetLedsSetupTrace);
                    using QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_step);
                    int mark = running.ReadSerial().Length;
                    qmp.TypeText("echo ");
                    qmp.SendKeyHeld(1500, "x");
                    qmp.SendKey("caps_lock");
                    qmp.SendKey("a");
                    qmp.SendKey("caps_lock");
                    qmp.TypeText("b\n");
                    running.WaitForSerial(text => Regex.IsMatch(text.Substring(mark), "(?m)^x+Ab\r?$"), "the echo of x...Ab", s_step);
                    typed = Regex.Match(running.ReadSerial().Substring(mark), "(?m)^(x+Ab)\r?$").Groups[1].Value;
                    running.SendSerial("shutdown\r");
                    running.WaitForExit(s_step);
                });

            Assert.False(string.IsNullOrEmpty(typed), "no 'echo x...Ab' line\n" + boot.Describe());
            int repeats = typed.Length - 2 - 1;
            // 1.5 s held: 1 press, then repeats from 500 ms on every 33 ms (about 30); QEMU's timing under TCG varies.
            Assert.InRange(repeats, 10, 45);
            // The firmware's own keyboard driver sets the LEDs too before the kernel takes over; the kernel sends its
            // first report while binding (before its line), then one per Caps Lock press.
            Assert.True(ledReportsAtBind >= 1, "no LED report by the time the keyboard was bound");
            Assert.Equal(ledReportsAtBind + 2, CountLines(trace, SetLedsSetupTrace));
        }
        finally
        {
            Directory.Delete(traceDirectory, recursive: true);
        }
    }

    // Boots (boot gets the steps to run while QEMU runs) and fails the test, with the serial log, when a step threw.
    private static BootResult BootAndRun(Func<Action<RunningBoot>, BootResult> boot, Action<RunningBoot> steps)
    {
        string error = null;
        BootResult result = boot(running =>
        {
            try
            {
                steps(running);
            }
            catch (Exception e)
            {
                error = e.Message;
            }
        });
        Assert.True(error == null, error + "\n" + result.Describe());
        return result;
    }

    // Types "echo word" and Enter on the keyboard QEMU sends keys to, and waits for the command's output line.
    private static void TypeEcho(RunningBoot running, QmpClient qmp, string word)
    {
        int mark = running.ReadSerial().Length;
        qmp.TypeText("echo " + word + "\n");
        running.WaitForSerial(text => EchoedLine(text, mark, word), word + " echoed by the command", s_step);
        running.WaitForPrompt(mark, s_step);
    }

    private static int CountLines(string path, string text) =>
        Array.FindAll(File.ReadAllLines(path), line => line.Contains(text, StringComparison.Ordinal)).Length;

    // Types lsusb over serial, returns what it printed, and powers the machine off.
    private static string LsusbThenShutDown(RunningBoot running)
    {
        int mark = running.ReadSerial().Length;
        running.SendSerial("lsusb\r");
        string output = running.WaitForPrompt(mark, s_step).Substring(mark).Replace("\r", "");
        running.SendSerial("shutdown\r");
        running.WaitForExit(s_step);
        return output;
    }

    // Whether a line reading exactly line (the command's output) came after from.
    private static bool EchoedLine(string serial, int from, string line) =>
        Regex.IsMatch(serial.Substring(Math.Min(from, serial.Length)), "(?m)^" + Regex.Escape(line) + "\r?$");

    /// <summary>usb=off leaves the controller to itself: the boot log says so and lsusb finds nothing.</summary>
    [Fact]
    public void UsbOffSkipsTheStack()
    {
        string lsusb = null;
        BootResult boot = BootAndRun(whileRunning => BootHarness.Boot("console=serial usb=off", serialInput: true, extraQemuArgs: new[] { "-device", "qemu-xhci" },
            whileRunning: whileRunning), running =>
            {
                running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
                int mark = running.ReadSerial().LastIndexOf("\nready\n", StringComparison.Ordinal) + 1;
                running.WaitForPrompt(mark, s_step);
                lsusb = LsusbThenShutDown(running);
            });

        BootAssert.HasLineMatching(boot, @"^usb: off \(boot option usb=off\)$");
        Assert.Contains("no USB host controller", lsusb);
    }
}
