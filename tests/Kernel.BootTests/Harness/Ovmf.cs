// Where the OVMF firmware files are.
using System;
using System.IO;

namespace Kernel.BootTests.Harness;

/// <summary>
/// The OVMF firmware files: $OVMF_CODE and $OVMF_VARS when both are set (build.cake exports them), otherwise the
/// Debian package ovmf's 2 MiB pair, otherwise its 4 MiB pair. The variable store is only ever copied, never written.
/// </summary>
internal static class Ovmf
{
    private static readonly Lazy<(string Code, string Vars)> s_files = new Lazy<(string Code, string Vars)>(Find);

    /// <summary>The read-only firmware code image.</summary>
    public static string Code => s_files.Value.Code;

    /// <summary>The pristine variable store, to be copied for each boot.</summary>
    public static string Vars => s_files.Value.Vars;

    private static (string Code, string Vars) Find()
    {
        string code = Environment.GetEnvironmentVariable("OVMF_CODE");
        string vars = Environment.GetEnvironmentVariable("OVMF_VARS");
        if (!string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(vars))
        {
            if (!File.Exists(code) || !File.Exists(vars))
                throw new InvalidOperationException("OVMF_CODE (" + code + ") or OVMF_VARS (" + vars + ") does not exist.");
            return (code, vars);
        }

        foreach (string suffix in new[] { "", "_4M" })
        {
            code = "/usr/share/OVMF/OVMF_CODE" + suffix + ".fd";
            vars = "/usr/share/OVMF/OVMF_VARS" + suffix + ".fd";
            if (File.Exists(code) && File.Exists(vars))
                return (code, vars);
        }

        throw new InvalidOperationException("OVMF firmware not found in /usr/share/OVMF: install the Debian package ovmf, or set OVMF_CODE and OVMF_VARS.");
    }
}
