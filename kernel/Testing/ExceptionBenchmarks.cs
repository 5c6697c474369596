#if KERNEL_TESTS || EXCEPTION_BENCH
// The exception benchmarks (issue 13): try/finally on the path that does not throw, against the same body without
// it, and throw+catch across 1 and across 10 frames. This file is compiled into the test kernel and into the host's
// tests/Kernel.ExceptionBench, so both time the same C#; each side supplies ReadTimestamp (the TSC in the kernel and
// on the host alike) and prints the figures (ExceptionBenchmarks.Kernel.cs, the host's Program.cs).
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Testing;

/// <summary>Times the exception paths: samples of cycles per call of each body.</summary>
public static partial class ExceptionBenchmarks
{
    /// <summary>Samples per figure (the median and 99th percentile are taken over them).</summary>
    public const int Samples = 1000;

    /// <summary>Frames between the throw and the catch in the deep case.</summary>
    public const int DeepFrames = 10;

    private const int WarmUpCalls = 100;

    // Thrown over and over: the benchmark times dispatch, not allocation (the kernel has no collector to take back
    // a thousand exceptions). Made by Prepare, not by a static constructor.
    private static InvalidOperationException s_exception;
    private static int s_sink;

    /// <summary>A cycle count (the time stamp counter).</summary>
    private static partial ulong ReadTimestamp();

    /// <summary>Makes the exception the throwing bodies throw; call before measuring.</summary>
    public static void Prepare() =>
        s_exception ??= new InvalidOperationException("thrown by the exception benchmark (a panic here means this kernel cannot catch exceptions)");

    /// <summary>Cycles of a call to a body of two increments.</summary>
    public static ulong[] MeasureEmptyBody()
    {
        var samples = new ulong[Samples];
        for (int i = 0; i < WarmUpCalls; i++)
            EmptyBody();
        for (int i = 0; i < samples.Length; i++)
        {
            ulong start = ReadTimestamp();
            EmptyBody();
            samples[i] = ReadTimestamp() - start;
        }
        return samples;
    }

    /// <summary>Cycles of a call to the same two increments as try { one } finally { the other }, nothing thrown.</summary>
    public static ulong[] MeasureTryFinally()
    {
        var samples = new ulong[Samples];
        for (int i = 0; i < WarmUpCalls; i++)
            TryFinallyBody();
        for (int i = 0; i < samples.Length; i++)
        {
            ulong start = ReadTimestamp();
            TryFinallyBody();
            samples[i] = ReadTimestamp() - start;
        }
        return samples;
    }

    /// <summary>Cycles of a throw caught frames frames further up (1: the catching method calls the thrower).</summary>
    public static ulong[] MeasureThrowCatch(int frames)
    {
        Prepare();
        var samples = new ulong[Samples];
        for (int i = 0; i < WarmUpCalls; i++)
            ThrowCatch(frames);
        for (int i = 0; i < samples.Length; i++)
        {
            ulong start = ReadTimestamp();
            ThrowCatch(frames);
            samples[i] = ReadTimestamp() - start;
        }
        return samples;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EmptyBody()
    {
        s_sink++;
        s_sink++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TryFinallyBody()
    {
        try
        {
            s_sink++;
        }
        finally
        {
            s_sink++;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCatch(int frames)
    {
        try
        {
            Descend(frames);
        }
        catch (InvalidOperationException)
        {
            s_sink++;
        }
    }

    // frames calls deep, the last one throws; the increment after the call keeps it from being a tail call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Descend(int frames)
    {
        if (frames <= 1)
            throw s_exception;
        Descend(frames - 1);
        s_sink++;
    }
}
#endif
