// Taking an xHCI controller from the firmware (xHCI 1.2 §4.22.1 and §7.1): while the BIOS owns it, System Management
// Mode may drive it (and emulate a PS/2 keyboard on ports 0x60/0x64 from USB). The OS sets the OS Owned semaphore in
// the USB Legacy Support capability and waits for the firmware to clear BIOS Owned; a firmware that never answers
// loses it anyway (BIOS Owned cleared by the OS, as Linux does after a second). Either way the SMI enables in
// USBLEGCTLSTS are then turned off and its write-1-to-clear SMI events acknowledged, so SMM stays out of the way.
using System;

namespace Kernel.Usb;

/// <summary>The outcome of a hand-off.</summary>
public enum HandoffOutcome
{
    /// <summary>The controller has no USB Legacy Support capability: nothing to take.</summary>
    NoCapability,
    /// <summary>The firmware did not own it.</summary>
    NotOwned,
    /// <summary>The firmware released it within the timeout.</summary>
    Released,
    /// <summary>The firmware did not answer; its ownership was cleared by force.</summary>
    Forced,
}

/// <summary>The BIOS-to-OS ownership hand-off of an xHCI controller.</summary>
public static class LegacyHandoff
{
    /// <summary>USBLEGSUP HC BIOS Owned Semaphore.</summary>
    public const uint BiosOwned = 1u << 16;
    /// <summary>USBLEGSUP HC OS Owned Semaphore.</summary>
    public const uint OsOwned = 1u << 24;
    /// <summary>How long the firmware gets to release the controller.</summary>
    public const ulong TimeoutMicroseconds = 1_000_000;

    // USBLEGCTLSTS: SMI enables (USB SMI, host system error, OS ownership, PCI command, BAR) and their RW1C events.
    private const uint SmiEnables = 1u << 0 | 1u << 4 | 1u << 13 | 1u << 14 | 1u << 15;
    private const uint SmiEvents = 1u << 29 | 1u << 30 | 1u << 31;

    /// <summary>
    /// The byte offset of the first extended capability with id, walking from HCCPARAMS1's xECP, or 0 when there is
    /// none. The walk stops at a next pointer of 0, leaving the register block, or after 64 capabilities (a loop).
    /// </summary>
    public static uint FindCapability(IRegisterBlock registers, uint registerBytes, byte id, uint after = 0)
    {
        uint offset = (registers.Read32(XhciRegisters.CapabilityParameters1) >> 16) * 4;
        for (int seen = 0; offset != 0 && offset + 4 <= registerBytes && seen < 64; seen++)
        {
            uint header = registers.Read32(offset);
            if ((header & 0xFF) == id && offset > after)
                return offset;
            uint next = (header >> 8) & 0xFF;
            if (next == 0)
                return 0;
            offset += next * 4;
        }
        return 0;
    }

    /// <summary>
    /// Takes the controller whose registers are given from the firmware; clockMicroseconds is a monotonic clock the
    /// wait is measured with. elapsedMicroseconds says how long the firmware took.
    /// </summary>
    public static HandoffOutcome TakeOwnership(IRegisterBlock registers, uint registerBytes, Func<ulong> clockMicroseconds,
        out ulong elapsedMicroseconds)
    {
        elapsedMicroseconds = 0;
        uint capability = FindCapability(registers, registerBytes, XhciRegisters.LegacySupportCapability);
        if (capability == 0)
            return HandoffOutcome.NoCapability;
        HandoffOutcome outcome = HandoffOutcome.NotOwned;
        uint legacySupport = registers.Read32(capability);
        if ((legacySupport & BiosOwned) != 0)
        {
            registers.Write32(capability, legacySupport | OsOwned);
            ulong start = clockMicroseconds();
            outcome = HandoffOutcome.Forced;
            while (true)
            {
                elapsedMicroseconds = clockMicroseconds() - start;
                if ((registers.Read32(capability) & BiosOwned) == 0)
                {
                    outcome = HandoffOutcome.Released;
                    break;
                }
                if (elapsedMicroseconds >= TimeoutMicroseconds)
                    break;
            }
            if (outcome == HandoffOutcome.Forced)
                registers.Write32(capability, (registers.Read32(capability) & ~BiosOwned) | OsOwned);
        }
        else
        {
            registers.Write32(capability, legacySupport | OsOwned);
        }
        uint control = registers.Read32(capability + 4);
        registers.Write32(capability + 4, (control & ~SmiEnables & ~SmiEvents) | SmiEvents);
        return outcome;
    }

    /// <summary>A phrase for the boot log.</summary>
    public static string Describe(HandoffOutcome outcome, ulong elapsedMicroseconds) => outcome switch
    {
        HandoffOutcome.NoCapability => "no legacy support capability",
        HandoffOutcome.NotOwned => "firmware did not own it",
        HandoffOutcome.Released => "firmware released it in " + (elapsedMicroseconds / 1000).ToString() + " ms",
        _ => "firmware did not release it in " + (TimeoutMicroseconds / 1000).ToString() + " ms; taken by force",
    };
}
