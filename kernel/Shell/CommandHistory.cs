// Command history for the shell: the lines entered before, recalled with Up and Down as in bash or cmd.exe.
using System.Collections.Generic;

namespace Kernel.Shell;

/// <summary>
/// The most recent submitted lines, oldest first, at most <see cref="Capacity"/> of them (the oldest is dropped
/// to make room). Blank lines and a line equal to the newest entry are not recorded, so pressing Enter on a
/// recalled line does not fill the history with copies.
/// </summary>
/// <remarks>
/// Navigation: <see cref="Previous"/> walks towards older entries and <see cref="Next"/> back towards newer
/// ones. The line being typed before the first <see cref="Previous"/> is the draft: it is remembered then and
/// given back by the <see cref="Next"/> that steps past the newest entry, so browsing the history does not lose
/// a half-typed command. Edits made to a recalled line are not saved into the history.
/// </remarks>
public sealed class CommandHistory
{
    /// <summary>Entries kept by the parameterless constructor.</summary>
    public const int DefaultCapacity = 32;

    private readonly List<string> _entries = new List<string>();

    // Entry shown now; _entries.Count while not navigating (on the draft).
    private int _position;
    private string _draft;

    /// <summary>Creates an empty history of <see cref="DefaultCapacity"/> entries.</summary>
    public CommandHistory()
        : this(DefaultCapacity)
    {
    }

    /// <summary>Creates an empty history keeping at most <paramref name="capacity"/> entries (at least 1).</summary>
    public CommandHistory(int capacity)
    {
        Capacity = capacity < 1 ? 1 : capacity;
    }

    /// <summary>Most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether <see cref="Previous"/> has been used since the last <see cref="Add"/> or reset.</summary>
    public bool IsNavigating => _position < _entries.Count;

    /// <summary>Entry <paramref name="index"/>, 0 being the oldest; null when out of range.</summary>
    public string Entry(int index) => index >= 0 && index < _entries.Count ? _entries[index] : null;

    /// <summary>
    /// Records a submitted line (unless blank or equal to the newest entry) and ends any navigation.
    /// </summary>
    public void Add(string line)
    {
        ResetNavigation();
        if (IsBlank(line) || (_entries.Count > 0 && _entries[_entries.Count - 1] == line))
        {
            return;
        }

        if (_entries.Count == Capacity)
        {
            _entries.RemoveAt(0);
        }

        _entries.Add(line);
        _position = _entries.Count;
    }

    /// <summary>
    /// Steps to the next older entry and returns it, or null when there is none (the shell then leaves the line
    /// alone). On the first step <paramref name="currentDraft"/> is remembered for <see cref="Next"/>.
    /// </summary>
    public string Previous(string currentDraft)
    {
        if (_position == 0)
        {
            return null;
        }

        if (_position == _entries.Count)
        {
            _draft = currentDraft ?? "";
        }

        _position--;
        return _entries[_position];
    }

    /// <summary>
    /// Steps to the next newer entry and returns it; past the newest, returns the remembered draft once. Null
    /// when not navigating.
    /// </summary>
    public string Next()
    {
        if (_position >= _entries.Count)
        {
            return null;
        }

        _position++;
        if (_position < _entries.Count)
        {
            return _entries[_position];
        }

        string draft = _draft ?? "";
        _draft = null;
        return draft;
    }

    /// <summary>Forgets the navigation position and draft, as after a submitted or cancelled line.</summary>
    public void ResetNavigation()
    {
        _position = _entries.Count;
        _draft = null;
    }

    private static bool IsBlank(string line)
    {
        if (line == null)
        {
            return true;
        }

        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] != ' ' && line[i] != '\t')
            {
                return false;
            }
        }

        return true;
    }
}
