// A few edits to a known-good byte buffer (a captured ACPI table, a real font, a built symbol table): overwritten
// bytes, then optionally a cut or an extension of the end. Parsers are fuzzed with mutations of real data because
// random bytes rarely get past a signature check; shrinking removes edits until the ones that matter are left, and
// ToString prints them ("cut to 57; [12]=0xFF, [40]=0x00") instead of the whole buffer.
using System;
using System.Linq;
using CsCheck;

namespace Kernel.HostTests.PropertyTesting;

public sealed record ByteMutation((int Offset, byte Value)[] Edits, int NewLength)
{
    /// <summary>Mutations of a buffer of originalLength bytes: up to maxEdits overwrites, and a new length in a quarter of them.</summary>
    public static Gen<ByteMutation> Of(int originalLength, int maxEdits = 8)
    {
        // Half the edits land in the first 64 bytes, where the headers are and parsers decide the most.
        int last = Math.Max(originalLength - 1, 0);
        Gen<int> offset = Gen.Frequency((1, Gen.Int[0, last]), (1, Gen.Int[0, Math.Min(last, 63)]));
        Gen<(int, byte)> edit = Gen.Select(offset, Gen.Byte);
        Gen<int> newLength = Gen.Frequency(
            (3, Gen.Const(originalLength)), (1, Gen.Int[0, originalLength + 64]));
        return Gen.Select(edit.Array[0, maxEdits], newLength, (edits, length) => new ByteMutation(edits, length));
    }

    /// <summary>A mutated copy of original (cut, or extended with 0xA5 bytes).</summary>
    public byte[] Apply(ReadOnlySpan<byte> original)
    {
        byte[] copy = original.ToArray();
        foreach ((int offset, byte value) in Edits)
        {
            if (offset < copy.Length)
                copy[offset] = value;
        }
        if (NewLength == copy.Length)
            return copy;
        byte[] resized = new byte[NewLength];
        Array.Fill(resized, (byte)0xA5);
        Array.Copy(copy, resized, Math.Min(copy.Length, NewLength));
        return resized;
    }

    public override string ToString() =>
        $"length {NewLength}; " + (Edits.Length == 0 ? "no edits" : string.Join(", ", Edits.Select(e => $"[{e.Offset}]=0x{e.Value:X2}")));
}
