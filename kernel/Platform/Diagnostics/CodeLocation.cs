// Where an instruction address lies in the kernel image's code: its function's .pdata entry and unwind record, and
// for managed code the method body (root) a funclet belongs to, whose EH clauses and code offsets the funclet shares.
namespace Kernel.Diagnostics;

/// <summary>A code address resolved against the image's function table.</summary>
public readonly struct CodeLocation
{
    /// <summary>Describes a location.</summary>
    public CodeLocation(ulong address, RuntimeFunction function, UnwindRecord record, bool isManaged, RuntimeFunction root, UnwindRecord rootRecord)
    {
        Address = address;
        Function = function;
        Record = record;
        IsManaged = isManaged;
        Root = root;
        RootRecord = rootRecord;
    }

    /// <summary>The instruction address.</summary>
    public ulong Address { get; }

    /// <summary>The function (method body, funclet or shim routine) containing it.</summary>
    public RuntimeFunction Function { get; }

    /// <summary>Its unwind record (with NativeAOT's trailer for managed code).</summary>
    public UnwindRecord Record { get; }

    /// <summary>Whether it is code ILC compiled.</summary>
    public bool IsManaged { get; }

    /// <summary>The method body: Function itself unless that is a funclet.</summary>
    public RuntimeFunction Root { get; }

    /// <summary>The method body's record: the one pointing to the EH clauses.</summary>
    public UnwindRecord RootRecord { get; }

    /// <summary>The offset EH clauses use: from the start of the method body.</summary>
    public uint CodeOffset(ulong imageBase) => (uint)(Address - imageBase - Root.Begin);
}
