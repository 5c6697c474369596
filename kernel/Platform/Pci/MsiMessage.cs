// The message a device writes to raise an interrupt on a local APIC (Intel SDM Vol. 3A §11.11, "Message Signalled
// Interrupts"): the address selects the processor, the data the vector. The kernel uses the simplest form: physical
// destination mode (bit 2 clear) with no redirection hint (bit 3 clear), so the 8-bit destination ID in address
// bits 19:12 is one APIC ID; fixed delivery (data bits 10:8 = 000) and edge trigger (bit 15 clear), so the handler
// ends with an EOI to the local APIC only. An x2APIC ID above 255 does not fit this format (it needs interrupt
// remapping): the caller polls instead. Pure: the host tests link it.
namespace Kernel.Pci;

/// <summary>MSI and MSI-X message address and data for a fixed, edge-triggered interrupt to one CPU.</summary>
public static class MsiMessage
{
    /// <summary>Address bits 31:20 are always 0xFEE: the local APICs' interrupt message window.</summary>
    public const uint AddressBase = 0xFEE0_0000;

    /// <summary>The highest APIC ID the 8-bit destination field holds.</summary>
    public const uint MaxDestination = 0xFF;

    /// <summary>Vectors 0-15 are reserved for MSI delivery (SDM §11.11.2); 255 is the APIC's spurious vector here.</summary>
    public const int FirstVector = 16;

    /// <summary>The highest vector a message may carry.</summary>
    public const int LastVector = 0xFE;

    private const int DestinationShift = 12;
    private const uint RedirectionHint = 1u << 3;
    private const uint LogicalDestination = 1u << 2;
    private const int DeliveryModeShift = 8;
    private const uint LevelAssert = 1u << 14;
    private const uint LevelTriggered = 1u << 15;

    /// <summary>The message address for physical destination apicId (at most <see cref="MaxDestination"/>).</summary>
    public static uint Address(uint apicId) => AddressBase | (apicId & MaxDestination) << DestinationShift;

    /// <summary>The message data: vector with fixed delivery, edge triggered.</summary>
    public static uint Data(int vector) => (uint)vector & 0xFF;

    /// <summary>
    /// The address and data that deliver vector to the CPU with APIC ID apicId; null, or why it cannot be done
    /// (an APIC ID past 255, a reserved vector).
    /// </summary>
    public static string Encode(uint apicId, int vector, out uint address, out uint data)
    {
        address = 0;
        data = 0;
        if (apicId > MaxDestination)
            return "APIC ID " + apicId.ToString() + " does not fit an MSI address (no interrupt remapping)";
        if (vector < FirstVector || vector > LastVector)
            return "vector " + vector.ToString() + " cannot be sent in a message";
        address = Address(apicId);
        data = Data(vector);
        return null;
    }

    /// <summary>The destination APIC ID in address.</summary>
    public static uint DestinationOf(uint address) => (address >> DestinationShift) & MaxDestination;

    /// <summary>The vector in data.</summary>
    public static int VectorOf(uint data) => (int)(data & 0xFF);

    /// <summary>Whether address targets one CPU by physical APIC ID with no redirection hint.</summary>
    public static bool IsPhysical(uint address) =>
        (address & 0xFFF0_0000) == AddressBase && (address & (RedirectionHint | LogicalDestination)) == 0;

    /// <summary>Whether data asks for fixed delivery, edge triggered.</summary>
    public static bool IsFixedEdge(uint data) =>
        ((data >> DeliveryModeShift) & 7) == 0 && (data & (LevelTriggered | LevelAssert)) == 0;
}
