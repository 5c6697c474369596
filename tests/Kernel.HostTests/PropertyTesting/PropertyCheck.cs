// How the host tests run CsCheck properties. A normal run (./build.sh --target=Test, dotnet test) is bounded and
// deterministic: a fixed number of inputs from a fixed seed per test, so a failure reproduces on every machine.
// A failing input is handed to CsCheck's Sample with its seed, which shrinks it to a minimal one and throws
// CsCheckException with the seed and the printed input (the message xunit shows).
// Setting any of CsCheck's own environment variables (CsCheck_Iter, CsCheck_Time, CsCheck_Seed) switches to plain
// CsCheck sampling with those settings and random seeds: that is the longer run of ./build.sh --target=Fuzz, and how
// a printed seed is replayed (CsCheck_Seed=... dotnet test --filter ...).
using System;
using System.Runtime.CompilerServices;
using CsCheck;

namespace Kernel.HostTests.PropertyTesting;

public static class PropertyCheck
{
    /// <summary>The trait the property tests carry: <c>dotnet test --filter Category=Property</c> selects them.</summary>
    public const string Category = "Category";

    /// <summary>The trait value, see <see cref="Category"/>.</summary>
    public const string Property = "Property";

    /// <summary>Inputs a normal run tries when the test does not say.</summary>
    public const int DefaultIterations = 200;

    /// <summary>Inputs CsCheck may try while shrinking a failure found in a normal run.</summary>
    private const int ShrinkIterations = 20_000;

    private static readonly bool s_fuzzing =
        IsSet("CsCheck_Iter") || IsSet("CsCheck_Time") || IsSet("CsCheck_Seed");

    /// <summary>True in the long run: the environment sets CsCheck's iteration count, time budget or seed.</summary>
    public static bool Fuzzing => s_fuzzing;

    /// <summary>
    /// Checks assert on generated inputs: iterations of them from a seed fixed per test in a normal run, CsCheck's
    /// own settings when fuzzing. A failure is shrunk and thrown with its seed and print(input).
    /// </summary>
    public static void ForAll<T>(this Gen<T> gen, Action<T> assert, int iterations = DefaultIterations,
        Func<T, string> print = null, [CallerMemberName] string test = "")
    {
        if (s_fuzzing)
        {
            gen.Sample(assert, print: print);
            return;
        }

        var pcg = new PCG(StreamOf(test), 0x5EED_0F_C0FFEEUL);
        for (int i = 0; i < iterations; i++)
        {
            ulong state = pcg.State;
            T input = gen.Generate(pcg, null, out _);
            try
            {
                assert(input);
            }
            catch (Exception firstFailure)
            {
                string seed = pcg.ToString(state);
                // Replays the failing seed first, then keeps sampling for smaller failures; throws the smallest.
                gen.Sample(assert, seed: seed, iter: ShrinkIterations, print: print);
                throw new InvalidOperationException(
                    $"input {i} (seed {seed}) failed once but not when replayed: {(print ?? Check.Print)(input)}", firstFailure);
            }
        }
    }

    public static void ForAll<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> assert, int iterations = DefaultIterations,
        Func<(T1, T2), string> print = null, [CallerMemberName] string test = "") =>
        gen.ForAll(t => assert(t.Item1, t.Item2), iterations, print, test);

    public static void ForAll<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> assert,
        int iterations = DefaultIterations, Func<(T1, T2, T3), string> print = null, [CallerMemberName] string test = "") =>
        gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3), iterations, print, test);

    public static void ForAll<T1, T2, T3, T4>(this Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> assert,
        int iterations = DefaultIterations, Func<(T1, T2, T3, T4), string> print = null, [CallerMemberName] string test = "") =>
        gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3, t.Item4), iterations, print, test);

    public static void ForAll<T1, T2, T3, T4, T5>(this Gen<(T1, T2, T3, T4, T5)> gen, Action<T1, T2, T3, T4, T5> assert,
        int iterations = DefaultIterations, Func<(T1, T2, T3, T4, T5), string> print = null, [CallerMemberName] string test = "") =>
        gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5), iterations, print, test);

    public static void ForAll<T1, T2, T3, T4, T5, T6, T7>(this Gen<(T1, T2, T3, T4, T5, T6, T7)> gen,
        Action<T1, T2, T3, T4, T5, T6, T7> assert, int iterations = DefaultIterations,
        Func<(T1, T2, T3, T4, T5, T6, T7), string> print = null, [CallerMemberName] string test = "") =>
        gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7), iterations, print, test);

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));

    /// <summary>A PCG stream per test (FNV-1a of its name), so tests do not all see the same inputs.</summary>
    private static uint StreamOf(string test)
    {
        uint hash = 2166136261;
        foreach (char c in test)
            hash = (hash ^ c) * 16777619;
        return hash;
    }
}
