// What an exception's dispatch records on the exception object: the return addresses of the frames it passed, the
// throw site first. The kernel's dispatcher writes them; Exception.StackTrace formats them through RuntimeHooks.
using System;

namespace Internal.Runtime;

/// <summary>How an exception entered the dispatcher.</summary>
public enum ExceptionDispatchKind
{
    /// <summary>`throw e;`: a new dispatch, the trace starts again.</summary>
    Throw = 0,

    /// <summary>`throw;` in a catch: the caught exception again, its trace kept and extended.</summary>
    Rethrow = 1,

    /// <summary>A fault in managed code (null dereference, division by zero) turned into an exception.</summary>
    Fault = 2,
}

/// <summary>The frames recorded on an exception.</summary>
public static class ExceptionFrames
{
    /// <summary>Frames recorded at most (the innermost ones); a deeper dispatch records no more.</summary>
    public const int MaxFrames = 64;

    private const int InitialCapacity = 16;

    /// <summary>
    /// Gives exception room for <see cref="MaxFrames"/> frames now, so that recording its dispatch never allocates
    /// (for the preallocated OutOfMemoryException, thrown when nothing can be allocated).
    /// </summary>
    public static void Reserve(Exception exception)
    {
        if (exception._frames == null || exception._frames.Length < MaxFrames)
            exception._frames = new ulong[MaxFrames];
        exception._frameCount = 0;
    }

    /// <summary>
    /// Forgets the recorded frames (a new throw of the same object), unless <see cref="KeepOnNextThrow"/> asked to
    /// keep them for this one throw.
    /// </summary>
    public static void Clear(Exception exception)
    {
        if (exception._keepFramesOnThrow)
        {
            exception._keepFramesOnThrow = false;
            return;
        }
        exception._frameCount = 0;
    }

    /// <summary>Makes the next throw of exception keep the frames recorded so far and add its own after them.</summary>
    public static void KeepOnNextThrow(Exception exception) => exception._keepFramesOnThrow = true;

    /// <summary>Records the next frame's code address (up to <see cref="MaxFrames"/>).</summary>
    public static void Append(Exception exception, ulong address)
    {
        if (exception._frameCount == MaxFrames)
            return;
        ulong[] frames = exception._frames;
        if (frames == null || exception._frameCount == frames.Length)
        {
            ulong[] larger = new ulong[frames == null ? InitialCapacity : Math.Min(frames.Length * 2, MaxFrames)];
            for (int i = 0; i < exception._frameCount; i++)
                larger[i] = frames[i];
            exception._frames = frames = larger;
        }
        frames[exception._frameCount++] = address;
    }

    /// <summary>How many frames are recorded.</summary>
    public static int Count(Exception exception) => exception._frameCount;

    /// <summary>The code address of recorded frame index (0 is the throw site).</summary>
    public static ulong At(Exception exception, int index) => exception._frames[index];
}
