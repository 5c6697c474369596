// Which processors to start (SMP bring-up, issue 15): from the MADT's processor entries (ACPI 6.5 §5.2.12.2 and
// §5.2.12.12, flags in Table 5.23), the boot CPU's APIC ID and the smp=/cpus= boot options, one decision per
// processor and a logical CPU index for each CPU that will run. Pure logic, host-tested; nothing is started here.
using Kernel.Acpi;

namespace Kernel.Smp;

/// <summary>What the kernel does with one processor.</summary>
public enum CpuStartDecision
{
    /// <summary>The CPU running this code; always logical CPU 0.</summary>
    Boot = 0,

    /// <summary>Enabled and reachable: to be woken with INIT-SIPI-SIPI.</summary>
    Start,

    /// <summary>Enabled and reachable, but cpus=N (or smp=off) leaves it parked.</summary>
    SkippedByLimit,

    /// <summary>Disabled but online capable (flags 10b): a slot a CPU may be hot-added into; listed, never started.</summary>
    HotAddSlot,

    /// <summary>Neither Enabled nor Online Capable: the OS must not use it (Table 5.23).</summary>
    Disabled,

    /// <summary>An APIC ID the interrupt command register cannot address: 255 or more without x2APIC, or 0xFFFFFFFF (broadcast).</summary>
    Unreachable,

    /// <summary>Another entry with the same APIC ID (an xAPIC and an x2APIC entry for one CPU) was chosen instead.</summary>
    Duplicate,
}

/// <summary>The settings that shape a plan: the smp= and cpus= boot options and the local APIC's mode.</summary>
public readonly struct CpuStartOptions
{
    /// <summary>Creates options.</summary>
    public CpuStartOptions(bool smpEnabled, int cpuLimit, bool x2ApicAvailable)
    {
        SmpEnabled = smpEnabled;
        CpuLimit = cpuLimit;
        X2ApicAvailable = x2ApicAvailable;
    }

    /// <summary>smp=on (default): start the other CPUs; smp=off runs on the boot CPU alone.</summary>
    public bool SmpEnabled { get; }

    /// <summary>cpus=N: at most this many CPUs run, the boot CPU included; 0 (or less) means no limit.</summary>
    public int CpuLimit { get; }

    /// <summary>Whether the local APICs run in x2APIC mode, so 32-bit APIC IDs can be sent IPIs.</summary>
    public bool X2ApicAvailable { get; }
}

/// <summary>One processor of a plan.</summary>
public readonly struct PlannedCpu
{
    /// <summary>Creates an entry.</summary>
    public PlannedCpu(uint apicId, uint processorUid, int madtIndex, bool isX2ApicEntry, CpuStartDecision decision, int logicalIndex)
    {
        ApicId = apicId;
        ProcessorUid = processorUid;
        MadtIndex = madtIndex;
        IsX2ApicEntry = isX2ApicEntry;
        Decision = decision;
        LogicalIndex = logicalIndex;
    }

    /// <summary>The processor's (x2)APIC ID, the destination of its IPIs.</summary>
    public uint ApicId { get; }

    /// <summary>The ACPI processor UID from the MADT entry; 0 for a boot CPU the MADT did not list.</summary>
    public uint ProcessorUid { get; }

    /// <summary>Index of the entry in the MADT's processor list, or -1 for a boot CPU the MADT did not list.</summary>
    public int MadtIndex { get; }

    /// <summary>Whether the entry was a Processor Local x2APIC structure (type 9).</summary>
    public bool IsX2ApicEntry { get; }

    /// <summary>What the kernel does with it.</summary>
    public CpuStartDecision Decision { get; }

    /// <summary>The logical CPU number 0..n-1 for the boot CPU and the CPUs to start; -1 for the others.</summary>
    public int LogicalIndex { get; }

    /// <summary>Whether this CPU runs: the boot CPU or one to start.</summary>
    public bool Runs => Decision == CpuStartDecision.Boot || Decision == CpuStartDecision.Start;
}

/// <summary>
/// The decision for every processor: the boot CPU first (logical CPU 0), then the MADT's entries in table order,
/// the ones to start numbered 1, 2, ... in that order. When the MADT lists an APIC ID more than once, the first
/// enabled entry for it is the one used (else the first entry) and the others are <see cref="CpuStartDecision.Duplicate"/>.
/// A boot CPU missing from the MADT is tolerated: the plan still starts with it.
/// </summary>
public sealed class CpuStartPlan
{
    /// <summary>The xAPIC destination field is 8 bits and 0xFF is its broadcast ID, so xAPIC reaches IDs 0-254.</summary>
    public const uint MaxXApicId = 0xFE;

    /// <summary>The x2APIC broadcast ID, never a CPU's.</summary>
    public const uint X2ApicBroadcastId = 0xFFFF_FFFF;

    private CpuStartPlan(PlannedCpu[] cpus)
    {
        Cpus = cpus;
    }

    /// <summary>Every processor with its decision, the boot CPU at index 0.</summary>
    public PlannedCpu[] Cpus { get; }

    /// <summary>The number of processor entries in the MADT.</summary>
    public int ListedCount { get; private set; }

    /// <summary>Whether the MADT listed the boot CPU's APIC ID.</summary>
    public bool BootCpuListed { get; private set; }

    /// <summary>CPUs to start (the boot CPU not counted).</summary>
    public int StartCount { get; private set; }

    /// <summary>CPUs that will run: the boot CPU plus <see cref="StartCount"/>.</summary>
    public int RunningCount => StartCount + 1;

    /// <summary>CPUs left parked by cpus=N or smp=off.</summary>
    public int SkippedCount { get; private set; }

    /// <summary>Online-capable slots (disabled now, may be hot-added).</summary>
    public int HotAddSlotCount { get; private set; }

    /// <summary>Entries neither enabled nor online capable.</summary>
    public int DisabledCount { get; private set; }

    /// <summary>Enabled entries whose APIC ID cannot be addressed in the APIC's mode.</summary>
    public int UnreachableCount { get; private set; }

    /// <summary>Entries repeating an APIC ID already used.</summary>
    public int DuplicateCount { get; private set; }

    /// <summary>The settings the plan was made with.</summary>
    public CpuStartOptions Options { get; private set; }

    /// <summary>
    /// Makes the plan for <paramref name="processors"/> (the MADT's, in table order; null is taken as none) when
    /// the boot CPU has APIC ID <paramref name="bootApicId"/>.
    /// </summary>
    public static CpuStartPlan Create(MadtProcessor[] processors, uint bootApicId, CpuStartOptions options)
    {
        if (processors == null)
        {
            processors = new MadtProcessor[0];
        }

        int bootEntry = -1;
        for (int i = 0; i < processors.Length && bootEntry < 0; i++)
        {
            if (processors[i].ApicId == bootApicId && ChosenEntryFor(processors, i) == i)
            {
                bootEntry = i;
            }
        }

        // The boot CPU's own entry moves to the front; a missing one is made up.
        int count = bootEntry < 0 ? processors.Length + 1 : processors.Length;
        PlannedCpu[] cpus = new PlannedCpu[count];
        CpuStartPlan plan = new CpuStartPlan(cpus);
        plan.Options = options;
        plan.ListedCount = processors.Length;
        plan.BootCpuListed = bootEntry >= 0;
        cpus[0] = bootEntry < 0
            ? new PlannedCpu(bootApicId, 0, -1, false, CpuStartDecision.Boot, 0)
            : new PlannedCpu(bootApicId, processors[bootEntry].ProcessorUid, bootEntry, processors[bootEntry].IsX2Apic, CpuStartDecision.Boot, 0);

        int limit = !options.SmpEnabled ? 1 : options.CpuLimit > 0 ? options.CpuLimit : int.MaxValue;
        int running = 1;
        int next = 1;
        for (int i = 0; i < processors.Length; i++)
        {
            if (i == bootEntry)
            {
                continue;
            }

            MadtProcessor processor = processors[i];
            CpuStartDecision decision = plan.Decide(processors, i, bootApicId, options.X2ApicAvailable);
            int logicalIndex = -1;
            if (decision == CpuStartDecision.Start)
            {
                if (running < limit)
                {
                    logicalIndex = running;
                    running++;
                    plan.StartCount++;
                }
                else
                {
                    decision = CpuStartDecision.SkippedByLimit;
                    plan.SkippedCount++;
                }
            }

            cpus[next++] = new PlannedCpu(processor.ApicId, processor.ProcessorUid, i, processor.IsX2Apic, decision, logicalIndex);
        }

        return plan;
    }

    /// <summary>Whether an APIC ID can be the destination of an IPI: 0-254 in xAPIC mode, anything but 0xFFFFFFFF in x2APIC mode.</summary>
    public static bool IsReachable(uint apicId, bool x2ApicAvailable) =>
        x2ApicAvailable ? apicId != X2ApicBroadcastId : apicId <= MaxXApicId;

    /// <summary>The logical index of the CPU with <paramref name="apicId"/> if it runs, else -1.</summary>
    public int LogicalIndexOf(uint apicId)
    {
        for (int i = 0; i < Cpus.Length; i++)
        {
            if (Cpus[i].ApicId == apicId && Cpus[i].Runs)
            {
                return Cpus[i].LogicalIndex;
            }
        }

        return -1;
    }

    /// <summary>
    /// The boot log's line, e.g. "cpus: 4 listed, 1 boot + 2 to start, 1 hot-add slot, 0 skipped"; disabled,
    /// unreachable and duplicate entries, a boot CPU missing from the MADT and a limiting option are appended only when present.
    /// </summary>
    public string Summary()
    {
        string line = "cpus: " + ListedCount.ToString() + " listed, 1 boot + " + StartCount.ToString() + " to start, "
            + HotAddSlotCount.ToString() + (HotAddSlotCount == 1 ? " hot-add slot, " : " hot-add slots, ")
            + SkippedCount.ToString() + " skipped";
        if (DisabledCount > 0)
        {
            line = line + ", " + DisabledCount.ToString() + " disabled";
        }

        if (UnreachableCount > 0)
        {
            line = line + ", " + UnreachableCount.ToString() + (Options.X2ApicAvailable ? " unreachable" : " unreachable without x2APIC");
        }

        if (DuplicateCount > 0)
        {
            line = line + ", " + DuplicateCount.ToString() + (DuplicateCount == 1 ? " duplicate" : " duplicates");
        }

        if (!BootCpuListed)
        {
            line = line + ", boot CPU not in the MADT";
        }

        if (!Options.SmpEnabled)
        {
            line = line + " (smp=off)";
        }
        else if (Options.CpuLimit > 0)
        {
            line = line + " (cpus=" + Options.CpuLimit.ToString() + ")";
        }

        return line;
    }

    /// <summary>A short name for a decision, e.g. "hot-add slot".</summary>
    public static string DecisionName(CpuStartDecision decision)
    {
        switch (decision)
        {
            case CpuStartDecision.Boot: return "boot";
            case CpuStartDecision.Start: return "start";
            case CpuStartDecision.SkippedByLimit: return "skipped";
            case CpuStartDecision.HotAddSlot: return "hot-add slot";
            case CpuStartDecision.Disabled: return "disabled";
            case CpuStartDecision.Unreachable: return "unreachable";
            case CpuStartDecision.Duplicate: return "duplicate";
            default: return "unknown";
        }
    }

    // The decision before the limit is applied (Start stands for "would start"); counts everything but Start.
    private CpuStartDecision Decide(MadtProcessor[] processors, int index, uint bootApicId, bool x2ApicAvailable)
    {
        MadtProcessor processor = processors[index];
        if (processor.ApicId == bootApicId || ChosenEntryFor(processors, index) != index)
        {
            DuplicateCount++;
            return CpuStartDecision.Duplicate;
        }

        if (!processor.IsEnabled)
        {
            if (processor.IsOnlineCapable)
            {
                HotAddSlotCount++;
                return CpuStartDecision.HotAddSlot;
            }

            DisabledCount++;
            return CpuStartDecision.Disabled;
        }

        if (!IsReachable(processor.ApicId, x2ApicAvailable))
        {
            UnreachableCount++;
            return CpuStartDecision.Unreachable;
        }

        return CpuStartDecision.Start;
    }

    // The entry used for processors[index]'s APIC ID: the first enabled entry with that ID, else the first entry.
    private static int ChosenEntryFor(MadtProcessor[] processors, int index)
    {
        uint apicId = processors[index].ApicId;
        int first = -1;
        for (int i = 0; i < processors.Length; i++)
        {
            if (processors[i].ApicId != apicId)
            {
                continue;
            }

            if (processors[i].IsEnabled)
            {
                return i;
            }

            if (first < 0)
            {
                first = i;
            }
        }

        return first;
    }
}
