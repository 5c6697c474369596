// Stack traces as text: one "   at Method+0xOFFSET" line per frame, named from kernel.sym (Symbols).
namespace Kernel.Diagnostics;

/// <summary>Formats and captures stack traces.</summary>
public static class StackTraceText
{
    /// <summary>The lines for count recorded frames (code addresses, innermost first).</summary>
    public static string Format(ulong[] frames, int count)
    {
        string text = "";
        for (int i = 0; i < count; i++)
            text = text + "   at " + Symbols.NameWithOffset(frames[i]) + "\n";
        return text;
    }

    /// <summary>The trace of the frames from context outward, or null when there is no unwinder yet.</summary>
    public static string From(RegisterContext context)
    {
        if (!StackWalker.IsReady)
            return null;
        ulong[] frames = new ulong[StackWalker.MaxTraceFrames];
        return Format(frames, StackWalker.Collect(context, frames));
    }
}
