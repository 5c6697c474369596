// Shell command line syntax: a command name and its arguments, separated by blanks, with double quotes for
// arguments containing blanks (a small subset of POSIX shell word splitting).
using System;

namespace Kernel.Shell;

/// <summary>
/// A parsed command line. Words are separated by spaces and tabs. A double quote starts or ends a quoted
/// stretch in which blanks are ordinary characters; quotes are removed and may sit anywhere in a word
/// (<c>a"b c"d</c> is the one word <c>ab cd</c>; <c>""</c> is an empty argument). There are no escapes, so an
/// argument cannot contain a double quote. A quote left open is an error.
/// </summary>
public sealed class CommandLine
{
    private const char Quote = '"';

    private readonly string[] _words;

    private CommandLine(string[] words, int count)
    {
        _words = words;
        WordCount = count;
    }

    /// <summary>The command name (the first word); "" for a blank line.</summary>
    public string Name => WordCount > 0 ? _words[0] : "";

    /// <summary>Whether the line had no words at all (the shell just prompts again).</summary>
    public bool IsEmpty => WordCount == 0;

    /// <summary>Arguments after the name.</summary>
    public int ArgumentCount => WordCount > 0 ? WordCount - 1 : 0;

    private int WordCount { get; }

    /// <summary>Argument <paramref name="index"/> (0 is the first after the name); null when out of range.</summary>
    public string Argument(int index) => index >= 0 && index < ArgumentCount ? _words[index + 1] : null;

    /// <summary>
    /// Splits <paramref name="line"/> into words. Returns false with a one-line <paramref name="error"/> (and a
    /// null <paramref name="parsed"/>) for an unterminated quote; a blank or null line parses as
    /// <see cref="IsEmpty"/>.
    /// </summary>
    public static bool TryParse(string line, out CommandLine parsed, out string error)
    {
        parsed = null;
        error = null;
        if (line == null)
        {
            line = "";
        }

        // A line of n characters has at most n / 2 + 1 words (each needs a character or a "" and a separator).
        string[] words = new string[line.Length / 2 + 1];
        char[] word = new char[line.Length];
        int count = 0;
        int wordLength = 0;
        bool inWord = false;
        bool inQuotes = false;
        int quoteColumn = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == Quote)
            {
                inQuotes = !inQuotes;
                quoteColumn = i;
                inWord = true;
            }
            else if (!inQuotes && IsBlank(c))
            {
                if (inWord)
                {
                    words[count++] = new string(new ReadOnlySpan<char>(word, 0, wordLength));
                    wordLength = 0;
                    inWord = false;
                }
            }
            else
            {
                word[wordLength++] = c;
                inWord = true;
            }
        }

        if (inQuotes)
        {
            error = "unterminated quote (opened at column " + (quoteColumn + 1).ToString() + ")";
            return false;
        }

        if (inWord)
        {
            words[count++] = new string(new ReadOnlySpan<char>(word, 0, wordLength));
        }

        parsed = new CommandLine(words, count);
        return true;
    }

    /// <summary>
    /// Parses an unsigned decimal number of at most <paramref name="max"/>: digits only (no sign, blanks or
    /// other bases), leading zeros allowed. Returns false, with <paramref name="value"/> zero, for an empty
    /// string, any other character, or a value above <paramref name="max"/> however many digits it has.
    /// </summary>
    public static bool TryParseUInt(string text, uint max, out uint value)
    {
        value = 0;
        if (text == null || text.Length == 0)
        {
            return false;
        }

        ulong result = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            // result <= max < 2^32 here, so result * 10 + 9 cannot overflow 64 bits.
            result = result * 10 + (ulong)(c - '0');
            if (result > max)
            {
                return false;
            }
        }

        value = (uint)result;
        return true;
    }

    /// <summary>
    /// As <see cref="TryParseUInt"/>, for a command's argument: the number, or a <see cref="FormatException"/>
    /// saying what was expected ("'x' is not a whole number from 0 to 3600"), which the shell prints as the
    /// command's one error line.
    /// </summary>
    public static uint ParseUInt(string text, uint max)
    {
        if (!TryParseUInt(text, max, out uint value))
        {
            throw new FormatException("'" + text + "' is not a whole number from 0 to " + max.ToString());
        }

        return value;
    }

    private static bool IsBlank(char c) => c == ' ' || c == '\t';
}
