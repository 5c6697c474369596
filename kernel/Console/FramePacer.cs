// When the framebuffer console draws a frame that scrolled. A scroll moves every row, so its frame redraws the whole
// screen (the framebuffer is never read back, so its pixels cannot be moved): at 1920x1080 under TCG that is tens of
// milliseconds, while writing a line into the text grid takes microseconds. Drawing every scroll made printing many
// lines crawl (36 lines per second). Frames without a scroll (typing, the clock) are small and always drawn at once;
// a frame with scrolls is drawn at once only when the last one ended long enough ago (BudgetFactor times as long as
// it took), otherwise the grid keeps the rows dirty and the frame is left pending for a later write or timer tick.
// So drawing takes at most 1 / (1 + BudgetFactor) of the time while text streams by, and the screen still shows the
// newest text within a few frame times. Pure logic: timestamps are the caller's (the TSC in the kernel).
namespace Kernel.Console;

/// <summary>Decides whether a frame is drawn now or coalesced with the next ones.</summary>
public sealed class FramePacer
{
    /// <summary>Creates a pacer that leaves budgetFactor times a scrolled frame's drawing time before the next (at least 0).</summary>
    public FramePacer(int budgetFactor)
    {
        BudgetFactor = budgetFactor < 0 ? 0 : budgetFactor;
    }

    /// <summary>After a scrolled frame, the idle time owed per unit of drawing time.</summary>
    public int BudgetFactor { get; }

    /// <summary>The grid's scroll count when a frame was last drawn.</summary>
    public long DrawnScrolls { get; private set; }

    /// <summary>The time before which a frame with new scrolls waits.</summary>
    public ulong NextScrolledFrame { get; private set; }

    /// <summary>Frames drawn (counted by <see cref="Drawn"/>).</summary>
    public ulong Frames { get; private set; }

    /// <summary>Whether the screen lags the grid by scrolls not drawn yet.</summary>
    public bool HasPendingScrolls(long scrollCount) => scrollCount != DrawnScrolls;

    /// <summary>
    /// Whether to draw now: always when nothing scrolled since the last frame (only changed cells are redrawn), and
    /// for a scrolled frame once now has reached <see cref="NextScrolledFrame"/>.
    /// </summary>
    public bool ShouldDraw(long scrollCount, ulong now) => scrollCount == DrawnScrolls || now >= NextScrolledFrame;

    /// <summary>Records a frame drawn from start to end that brought the screen up to scrollCount.</summary>
    public void Drawn(long scrollCount, ulong start, ulong end)
    {
        if (scrollCount != DrawnScrolls)
        {
            ulong took = end >= start ? end - start : 0;
            NextScrolledFrame = end + took * (ulong)BudgetFactor;
        }
        DrawnScrolls = scrollCount;
        Frames++;
    }
}
