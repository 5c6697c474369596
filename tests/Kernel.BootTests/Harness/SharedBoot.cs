// A boot shared by all tests of one class (an xunit class fixture).
using System;

namespace Kernel.BootTests.Harness;

/// <summary>
/// A boot shared by every test of one class (an xunit class fixture): it happens on first use, once, and its
/// result (or the exception, e.g. "kernel not built") is handed to each test.
/// </summary>
public abstract class SharedBoot
{
    private readonly Lazy<BootResult> _result;

    /// <summary>Prepares a boot with <paramref name="bootOptions"/> as boot.cfg.</summary>
    protected SharedBoot(string bootOptions, bool gptImage = false)
    {
        _result = new Lazy<BootResult>(() => BootHarness.Boot(bootOptions, gptImage: gptImage));
    }

    /// <summary>The boot's result; boots on first access.</summary>
    public BootResult Result => _result.Value;
}
