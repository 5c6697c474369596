// One line for an exception, "FormatException: message", the form the executor reports a faulted task in and the
// shell prints a failed command with. The kernel's Type.Name comes from the symbol table and is the full name
// ("System.FormatException"); the host's is the short one. Both end up short here.
using System;

namespace Kernel.Tasks;

/// <summary>Names and one-line descriptions of exceptions, alike in the kernel and on the host.</summary>
public static class ExceptionSummary
{
    /// <summary>"FormatException: message" (the message's line breaks become spaces); "null" for no exception.</summary>
    public static string OneLine(Exception exception)
    {
        if (exception == null)
            return "null";
        return TypeName(exception) + ": " + OnOneLine(exception.Message ?? "");
    }

    /// <summary>The exception's type name without its namespace, e.g. "FormatException".</summary>
    public static string TypeName(Exception exception) => exception == null ? "null" : ShortTypeName(exception.GetType().Name);

    /// <summary>
    /// A type name without its namespace: "System.FormatException" gives "FormatException"; a name without dots is
    /// returned as is. Dots inside generic arguments ("Outer`1[System.Int32]", "List&lt;System.String&gt;") are left alone.
    /// </summary>
    public static string ShortTypeName(string fullName)
    {
        if (fullName == null)
            return "";
        int end = fullName.Length;
        for (int i = 0; i < fullName.Length; i++)
        {
            if (fullName[i] == '<' || fullName[i] == '[')
            {
                end = i;
                break;
            }
        }
        int lastDot = -1;
        for (int i = 0; i < end; i++)
        {
            if (fullName[i] == '.')
                lastDot = i;
        }
        return lastDot < 0 ? fullName : fullName.Substring(lastDot + 1);
    }

    // The kernel's corelib has no string.Replace: copy once, and only when there is a line break.
    private static string OnOneLine(string text)
    {
        char[] copy = null;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\r' && text[i] != '\n')
                continue;
            if (copy == null)
            {
                copy = new char[text.Length];
                for (int j = 0; j < text.Length; j++)
                    copy[j] = text[j];
            }
            copy[i] = ' ';
        }
        return copy == null ? text : new string(new ReadOnlySpan<char>(copy));
    }
}
