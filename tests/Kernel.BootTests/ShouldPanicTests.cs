// Boot tests of the should-panic tests: each panics in its own boot and shows the text it must show.
using System;
using System.Collections.Generic;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>
/// The catalog's should-panic tests, one boot each (<c>test=NAME</c>): the kernel must panic with the expected
/// text and then report success to QEMU.
/// </summary>
public sealed class ShouldPanicTests
{
    private const string PanicHeader = "KERNEL PANIC: ";

    /// <summary>What each panic must say; a catalog test missing here fails, so none passes vacuously.</summary>
    private static readonly Dictionary<string, PanicExpectation> s_expected = new Dictionary<string, PanicExpectation>
    {
        ["panic.explicit"] = new PanicExpectation(false, "KERNEL PANIC: test panic", "from ExceptionTests.ExplicitPanic"),
        ["panic.unhandled_exception"] = new PanicExpectation(false, "unhandled exception System.InvalidOperationException", "boom from a test")
            .WithTrace("ExceptionTests::ThrowDeepest", "ExceptionTests::ThrowMiddle", "ExceptionTests::UnhandledExceptionPanics", "TestRunner::RunShouldPanic"),
        // A division by zero in managed code is a DivideByZeroException, unhandled here.
        ["panic.divide_by_zero"] = new PanicExpectation(false, "unhandled exception System.DivideByZeroException", "Attempted to divide by zero.")
            .WithTrace("ExceptionTests::DivideByZeroPanics", "TestRunner::RunShouldPanic"),
        ["panic.invalid_opcode"] = new PanicExpectation(true, "invalid opcode (#UD)"),
        ["panic.general_protection"] = new PanicExpectation(true, "general protection fault (#GP)", "ExceptionTests::NonCanonicalAddressPanics")
            .WithTrace("ExceptionTests::NonCanonicalAddressPanics", "TestRunner::RunShouldPanic", "TestRunner::Run"),
        ["panic.stack_overflow"] = new PanicExpectation(true, "KERNEL PANIC: kernel stack overflow", "double fault (#DF)", "guard page of stack slot 0", "ExceptionTests::Recurse"),
        ["panic.bad_selector"] = new PanicExpectation(true, "general protection fault (#GP)", "error code 0x28, selector GDT entry 0x5", "cpu_load_data_segment")
            .WithTrace("cpu_load_data_segment", "TestRunner::RunShouldPanic", "TestRunner::Run"),
        ["panic.unexpected_vector"] = new PanicExpectation(true, "unexpected interrupt, vector 64", "cpu_raise_vector_64"),
        ["panic.out_of_memory"] = new PanicExpectation(false, "KERNEL PANIC: out of memory: the heap cannot allocate", "aligned to 16", "heap tlsf: ", "allocations"),
        ["panic.unhandled_out_of_memory"] = new PanicExpectation(false, "unhandled exception System.OutOfMemoryException"),
        // A null dereference in managed code is a NullReferenceException, unhandled here.
        ["panic.null_reference"] = new PanicExpectation(false, "KERNEL PANIC: unhandled exception System.NullReferenceException")
            .WithTrace("MemoryTests::NullReadPanics", "TestRunner::RunShouldPanic"),
        ["panic.write_to_code"] = new PanicExpectation(true, "page fault (#PF)", "write to a protected page", "MemoryTests::WriteToCodePanics"),
        ["panic.execute_data"] = new PanicExpectation(true, "page fault (#PF)", "instruction fetch from a protected page"),
        ["panic.unmapped_address"] = new PanicExpectation(true, "read from a non-present page", "address (CR2) 0x00000000deadbeef", "MemoryTests::UnmappedAddressPanics"),
        // Alone on one CPU here; SmpBootTests runs it with two and checks the panic names CPU 1.
        ["panic.on_other_cpu"] = new PanicExpectation(false, "KERNEL PANIC: test panic on another CPU"),
        ["panic.pci_misaligned_offset"] = new PanicExpectation(false, "KERNEL PANIC: pci: 0000:00:00.0: offset 0x42 is not aligned to its width 4"),
    };

    /// <summary>The test panics as expected and the run counts as a success.</summary>
    [Theory]
    [MemberData(nameof(KernelTestCatalog.ShouldPanicTestData), MemberType = typeof(KernelTestCatalog))]
    public void PanicsAsExpected(string name)
    {
        Assert.True(s_expected.TryGetValue(name, out PanicExpectation expected),
            "The catalog has a should-panic test '" + name + "' that ShouldPanicTests does not know; add the text its panic must show.");

        BootResult boot = BootHarness.Boot("test=" + name);

        BootAssert.HasLine(boot, "test " + name + " ... (should panic)");
        int announced = boot.Serial.IndexOf("test " + name + " ... (should panic)\n", StringComparison.Ordinal);
        int panic = boot.Serial.IndexOf("\n" + PanicHeader, announced, StringComparison.Ordinal);
        Assert.True(panic >= 0, "No '" + PanicHeader + "' block after the test started.\n" + boot.Describe());
        Assert.True(!boot.Serial.Contains("panic while panicking"), "The panic itself failed.\n" + boot.Describe());
        Assert.True(boot.FirstLineStartingWith("test " + name + " ... FAILED") == null, "The test reported failure.\n" + boot.Describe());
        foreach (string text in expected.Texts)
            BootAssert.Contains(boot, text, panic, "panic block");
        // Every panic shows a stack trace; where the test names frames, they must appear innermost first.
        int trace = boot.Serial.IndexOf("  Stack trace:\n", panic, StringComparison.Ordinal);
        Assert.True(trace >= 0, "No stack trace in the panic block.\n" + boot.Describe());
        int previous = trace;
        foreach (string frame in expected.TraceInOrder)
        {
            int at = boot.Serial.IndexOf("   at " , previous, StringComparison.Ordinal);
            while (at >= 0 && !boot.Serial.Substring(at, boot.Serial.IndexOf('\n', at) - at).Contains(frame, StringComparison.Ordinal))
                at = boot.Serial.IndexOf("   at ", at + 1, StringComparison.Ordinal);
            Assert.True(at >= 0, "The trace has no frame '" + frame + "' after the previous expected one.\n" + boot.Describe());
            previous = at + 1;
        }
        if (expected.IsCpuException)
        {
            BootAssert.Contains(boot, "CPU exception ", panic, "panic block");
            BootAssert.Contains(boot, "rip 0x", panic, "panic block (registers)");
        }

        // The end of the kernel log comes with every panic: the boot's last message was "ready".
        BootAssert.Contains(boot, "  Last kernel messages:\n", panic, "panic block");
        BootAssert.Contains(boot, "] ready\n", boot.Serial.IndexOf("  Last kernel messages:\n", panic, StringComparison.Ordinal), "panic block (kernel log)");
        BootAssert.Contains(boot, "The kernel has stopped.", panic, "panic block");
        BootAssert.ExitCode(boot, BootResult.SuccessExitCode);
    }

    private sealed class PanicExpectation
    {
        public PanicExpectation(bool isCpuException, params string[] texts)
        {
            IsCpuException = isCpuException;
            Texts = texts;
        }

        public bool IsCpuException { get; }

        public string[] Texts { get; }

        /// <summary>Frames the stack trace must name, innermost first.</summary>
        public string[] TraceInOrder { get; private set; } = Array.Empty<string>();

        public PanicExpectation WithTrace(params string[] frames)
        {
            TraceInOrder = frames;
            return this;
        }
    }
}
