// Audits live 4-level page tables (Intel SDM Vol. 3A §4.5, §4.6 access rights): finds pages a supervisor may both
// write and execute. A page is writable only when R/W is set at every level, and executable only when no level
// sets XD (with EFER.NXE on); large pages count as the 4 KiB pages they cover.
namespace Kernel.Memory;

/// <summary>A run of virtually contiguous 4 KiB pages.</summary>
public readonly struct PageRange
{
    /// <summary>Creates a range of pages starting at virtualStart.</summary>
    public PageRange(ulong virtualStart, ulong pages)
    {
        VirtualStart = virtualStart;
        Pages = pages;
    }

    /// <summary>First virtual address.</summary>
    public ulong VirtualStart { get; }

    /// <summary>Number of 4 KiB pages.</summary>
    public ulong Pages { get; }

    /// <inheritdoc />
    public override string ToString() => "0x" + VirtualStart.ToString("x") + " +" + Pages.ToString() + " pages";
}

/// <summary>Finds writable and executable pages in a set of page tables.</summary>
public sealed class PageTableAudit
{
    private const int EntriesPerTable = 512;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;
    private const ulong CanonicalUpperBits = 0xFFFF_0000_0000_0000;

    private readonly IPhysicalMemory _memory;
    private readonly bool _noExecuteEnabled;
    private readonly PageRange[] _first;
    private ulong _lastEnd;

    private PageTableAudit(IPhysicalMemory memory, bool noExecuteEnabled, int keepRanges)
    {
        _memory = memory;
        _noExecuteEnabled = noExecuteEnabled;
        _first = new PageRange[keepRanges];
    }

    /// <summary>Writable and executable 4 KiB pages found.</summary>
    public ulong WritableExecutablePages { get; private set; }

    /// <summary>Ranges of such pages found (merged when contiguous).</summary>
    public int Ranges { get; private set; }

    /// <summary>The first ranges, at most as many as asked for.</summary>
    public PageRange Range(int index) => _first[index];

    /// <summary>Number of ranges kept.</summary>
    public int KeptRanges => Ranges < _first.Length ? Ranges : _first.Length;

    /// <summary>
    /// Walks the tables under the PML4 at root. noExecuteEnabled is EFER.NXE (without it nothing is protected from
    /// execution); keepRanges is how many of the first offending ranges to remember for a report.
    /// </summary>
    public static PageTableAudit Run(IPhysicalMemory memory, ulong root, bool noExecuteEnabled, int keepRanges)
    {
        var audit = new PageTableAudit(memory, noExecuteEnabled, keepRanges);
        audit.Walk(root & AddressMask, 4, 0, true, true);
        return audit;
    }

    private void Walk(ulong table, int level, ulong virtualBase, bool writable, bool executable)
    {
        int shift = 12 + 9 * (level - 1);
        for (int i = 0; i < EntriesPerTable; i++)
        {
            ulong entry = _memory.Table(table)[i];
            if ((entry & (ulong)PageFlags.Present) == 0)
                continue;
            ulong address = virtualBase | ((ulong)i << shift);
            if (level == 4 && i >= EntriesPerTable / 2)
                address |= CanonicalUpperBits;
            bool w = writable && (entry & (ulong)PageFlags.Writable) != 0;
            bool x = executable && !(_noExecuteEnabled && (entry & (ulong)PageFlags.NoExecute) != 0);
            if (!w || !x)
                continue; // nothing below can be both
            if (level == 1 || (level <= 3 && (entry & (ulong)PageFlags.Huge) != 0))
                Record(address, 1UL << (shift - 12));
            else
                Walk(entry & AddressMask, level - 1, address, w, x);
        }
    }

    private void Record(ulong address, ulong pages)
    {
        WritableExecutablePages += pages;
        if (Ranges > 0 && address == _lastEnd)
        {
            if (Ranges <= _first.Length)
                _first[Ranges - 1] = new PageRange(_first[Ranges - 1].VirtualStart, _first[Ranges - 1].Pages + pages);
        }
        else
        {
            if (Ranges < _first.Length)
                _first[Ranges] = new PageRange(address, pages);
            Ranges++;
        }
        _lastEnd = address + pages * 4096;
    }
}
