#if KERNEL_TESTS
// The in-kernel test runner (the seed's custom test framework): runs the catalog, prints one line per test and
// a final "N passed, N failed", then exits QEMU with success or failure. Tests that must crash the kernel are
// marked ShouldPanic and run only when named alone (test=<name>), each in its own boot.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Diagnostics;

namespace Kernel.Testing;

/// <summary>One in-kernel test.</summary>
public sealed class KernelTest
{
    public KernelTest(string name, Action body, bool shouldPanic = false, bool ownBoot = false)
    {
        Name = name;
        Body = body;
        ShouldPanic = shouldPanic;
        OwnBoot = ownBoot;
    }

    /// <summary>"group.name", used by the test=NAME boot option.</summary>
    public string Name { get; }

    public Action Body { get; }

    /// <summary>Passes only by panicking; run in its own boot.</summary>
    public bool ShouldPanic { get; }

    /// <summary>Needs devices only its boot test gives QEMU; runs only when named exactly.</summary>
    public bool OwnBoot { get; }
}

/// <summary>Runs the in-kernel tests.</summary>
public static class TestRunner
{
    private static string s_failure;

    /// <summary>This boot's facts (set by Run).</summary>
    public static BootFacts Boot { get; private set; }

    /// <summary>Records a failure of the running test (the first one is reported).</summary>
    public static void Fail(string message)
    {
        if (s_failure == null)
            s_failure = message;
    }

    /// <summary>Runs every normal test, or only those whose name equals or starts with filter + ".".</summary>
    public static void Run(string filter, BootFacts boot)
    {
        Boot = boot;
        KernelTest[] tests = TestCatalog.All();
        int passed = 0;
        int failed = 0;
        for (int i = 0; i < tests.Length; i++)
        {
            KernelTest test = tests[i];
            bool named = filter != null && test.Name == filter;
            bool inGroup = filter == null || named || test.Name.StartsWith(filter + ".");
            if (!inGroup || ((test.ShouldPanic || test.OwnBoot) && !named))
                continue;
            if (test.ShouldPanic)
                RunShouldPanic(test);
            s_failure = null;
            test.Body();
            if (s_failure == null)
            {
                passed++;
                Terminal.WriteLine("test " + test.Name + " ... ok");
            }
            else
            {
                failed++;
                Terminal.WriteLine("test " + test.Name + " ... FAILED: " + s_failure);
            }
        }
        if (passed + failed == 0)
            Terminal.WriteLine("test: no test matches '" + filter + "'");
        Terminal.WriteLine(passed.ToString() + " passed, " + failed.ToString() + " failed");
        QemuExit.Exit(success: failed == 0 && passed > 0);
    }

    private static void RunShouldPanic(KernelTest test)
    {
        Terminal.WriteLine("test " + test.Name + " ... (should panic)");
        Panic.ExpectPanic();
        test.Body();
        Terminal.WriteLine("test " + test.Name + " ... FAILED: returned without a panic");
        Terminal.WriteLine("0 passed, 1 failed");
        QemuExit.Exit(success: false);
        // Without QEMU's exit device (real hardware) there is nothing to return to.
        Cpu.HaltForever();
    }
}

/// <summary>Assertions for in-kernel tests: a failed check marks the test failed and the test goes on.</summary>
public static class Expect
{
    public static void True(bool condition, string what)
    {
        if (!condition)
            TestRunner.Fail(what);
    }

    public static void Equal(long expected, long actual, string what)
    {
        if (expected != actual)
            TestRunner.Fail(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
    }

    public static void Equal(ulong expected, ulong actual, string what)
    {
        if (expected != actual)
            TestRunner.Fail(what + ": expected 0x" + expected.ToString("x") + ", got 0x" + actual.ToString("x"));
    }

    public static void Equal(string expected, string actual, string what)
    {
        if (expected != actual)
            TestRunner.Fail(what + ": expected \"" + expected + "\", got \"" + actual + "\"");
    }
}
#endif
