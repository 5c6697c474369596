// Where each general-purpose register's value is kept while a frame runs, as a stack walk finds out: a callee that
// pushed or saved a callee-saved register holds the caller's value at that stack address. A precise GC stack walk
// reports a register slot of a frame at the address its value lives at (Unwinder.Step fills this in).
namespace Kernel.Diagnostics;

/// <summary>An address per general-purpose register (x64 encoding order); 0 where no walk has recorded one.</summary>
public struct RegisterLocations
{
    private ulong _r0, _r1, _r2, _r3, _r4, _r5, _r6, _r7, _r8, _r9, _r10, _r11, _r12, _r13, _r14, _r15;

    /// <summary>The address holding register's value, or 0.</summary>
    public readonly ulong Get(int register) => register switch
    {
        0 => _r0, 1 => _r1, 2 => _r2, 3 => _r3, 4 => _r4, 5 => _r5, 6 => _r6, 7 => _r7,
        8 => _r8, 9 => _r9, 10 => _r10, 11 => _r11, 12 => _r12, 13 => _r13, 14 => _r14, _ => _r15,
    };

    /// <summary>Records that register's value is at address.</summary>
    public void Set(int register, ulong address)
    {
        switch (register)
        {
            case 0: _r0 = address; break;
            case 1: _r1 = address; break;
            case 2: _r2 = address; break;
            case 3: _r3 = address; break;
            case 4: _r4 = address; break;
            case 5: _r5 = address; break;
            case 6: _r6 = address; break;
            case 7: _r7 = address; break;
            case 8: _r8 = address; break;
            case 9: _r9 = address; break;
            case 10: _r10 = address; break;
            case 11: _r11 = address; break;
            case 12: _r12 = address; break;
            case 13: _r13 = address; break;
            case 14: _r14 = address; break;
            default: _r15 = address; break;
        }
    }
}
