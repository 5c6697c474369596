// Property runs with CsCheck that are the same on every run: a fixed-seed sweep of generated cases, and only when
// one fails, CsCheck's shrinking from that case, so the test output ends with a minimal failing input.
using System;
using CsCheck;

namespace Kernel.HostTests.Properties;

/// <summary>
/// Runs a property over generated cases.
/// </summary>
/// <remarks>
/// By default each property checks a fixed number of cases drawn from a fixed seed, so <c>--target=Test</c> is
/// repeatable and quick. Environment variables (CsCheck's own names) change that for longer runs:
/// <c>CsCheck_Iter=N</c> checks N cases from the same fixed seed; <c>CsCheck_Time=S</c> hands the property to
/// CsCheck's own sampler for S seconds of random seeds on every core; <c>CsCheck_Seed=...</c> replays the seed a
/// failure printed (also through CsCheck's sampler). A failure in the fixed sweep is shrunk by CsCheck starting
/// from the failing seed: the exception then prints the seed and the smallest failing case found.
/// </remarks>
internal static class PropertyCheck
{
    private const string IterationsVariable = "CsCheck_Iter";
    private const string TimeVariable = "CsCheck_Time";
    private const string SeedVariable = "CsCheck_Seed";

    // The fixed seed of the default sweep (any value would do; this one is written down so failures replay).
    private const uint SweepStream = 12;
    private const ulong SweepSeed = 0x5EED_0F_C5C4EC;

    // How many further cases CsCheck may try while shrinking a failure.
    private const long ShrinkIterations = 1_000_000;

    /// <summary>Checks <paramref name="property"/> on <paramref name="iterations"/> generated cases (see remarks).</summary>
    public static void Run<T>(Gen<T> gen, Action<T> property, int iterations, Func<T, string> print)
    {
        if (IsSet(TimeVariable) || IsSet(SeedVariable))
        {
            gen.Sample(property, print: print);
            return;
        }

        long count = iterations;
        string configured = Environment.GetEnvironmentVariable(IterationsVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            count = long.Parse(configured);
        }

        PCG random = new PCG(SweepStream, SweepSeed);
        for (long i = 0; i < count; i++)
        {
            ulong state = random.State;
            T value = gen.Generate(random, null, out _);
            try
            {
                property(value);
            }
            catch (Exception)
            {
                // Throws CsCheckException naming the seed and the smallest failing case it found.
                gen.Sample(property, seed: random.ToString(state), iter: ShrinkIterations, print: print);
                throw;
            }
        }
    }

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));
}
