// Tests for LineEditor: the edits themselves, the exact echo for each, and, over random key sequences, that a
// terminal fed only the echo always shows the buffer with the cursor in the right column.
using System;
using System.Collections.Generic;
using Kernel.Input;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class LineEditorTests
{
    private static readonly InputKey Left = InputKey.Of(InputKeyKind.Left);
    private static readonly InputKey Right = InputKey.Of(InputKeyKind.Right);
    private static readonly InputKey Home = InputKey.Of(InputKeyKind.Home);
    private static readonly InputKey End = InputKey.Of(InputKeyKind.End);
    private static readonly InputKey Backspace = InputKey.Of(InputKeyKind.Backspace);
    private static readonly InputKey Delete = InputKey.Of(InputKeyKind.Delete);
    private static readonly InputKey Enter = InputKey.Of(InputKeyKind.Enter);

    [Fact]
    public void TypingAppendsAndEchoesEachCharacter()
    {
        LineEditor editor = new LineEditor();

        Assert.Equal("a", Apply(editor, InputKey.Typed('a')));
        Assert.Equal("b", Apply(editor, InputKey.Typed('b')));

        Assert.Equal("ab", editor.Text);
        Assert.Equal(2, editor.Cursor);
        Assert.Equal(2, editor.Length);
    }

    [Fact]
    public void InsertingInTheMiddleRedrawsTheTailAndStepsBack()
    {
        LineEditor editor = Typed("acd");
        Apply(editor, Left);
        Apply(editor, Left);

        Assert.Equal("bcd\b\b", Apply(editor, InputKey.Typed('b')));
        Assert.Equal("abcd", editor.Text);
        Assert.Equal(2, editor.Cursor);
    }

    [Fact]
    public void BackspaceAtTheEndEchoesBackBlankBack()
    {
        LineEditor editor = Typed("ab");

        Assert.Equal("\b \b", Apply(editor, Backspace));
        Assert.Equal("a", editor.Text);
        Assert.Equal(1, editor.Cursor);
    }

    [Fact]
    public void BackspaceInTheMiddleShiftsTheTailLeft()
    {
        LineEditor editor = Typed("abc");
        Apply(editor, Left);

        Assert.Equal("\bc \b\b", Apply(editor, Backspace));
        Assert.Equal("ac", editor.Text);
        Assert.Equal(1, editor.Cursor);
    }

    [Fact]
    public void DeleteRemovesTheCharacterUnderTheCursor()
    {
        LineEditor editor = Typed("abc");
        Apply(editor, Home);

        Assert.Equal("bc \b\b\b", Apply(editor, Delete));
        Assert.Equal("bc", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void EditsAtTheEdgesChangeNothingAndEchoNothing()
    {
        LineEditor editor = Typed("ab");
        Assert.Equal("", Apply(editor, Delete));
        Assert.Equal("", Apply(editor, Right));
        Apply(editor, Home);
        Assert.Equal("", Apply(editor, Backspace));
        Assert.Equal("", Apply(editor, Left));

        Assert.Equal("ab", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void CursorKeysMoveWithBackspacesAndRedrawnCharacters()
    {
        LineEditor editor = Typed("hello");

        Assert.Equal("\b", Apply(editor, Left));
        Assert.Equal("\b\b\b\b", Apply(editor, Home));
        Assert.Equal("h", Apply(editor, Right));
        Assert.Equal("ello", Apply(editor, End));
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void FullLineRefusesMoreCharactersAndCountsThem()
    {
        LineEditor editor = new LineEditor(4);
        Type(editor, "abcd");

        Assert.Equal("", Apply(editor, InputKey.Typed('e')));
        Apply(editor, Home);
        Assert.Equal("", Apply(editor, InputKey.Typed('f')));

        Assert.Equal("abcd", editor.Text);
        Assert.Equal(2, editor.RefusedCount);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void DefaultLineHoldsTwoHundredFiftySixCharacters()
    {
        LineEditor editor = new LineEditor();
        Type(editor, new string('x', 300));

        Assert.Equal(LineEditor.DefaultMaxLength, editor.Length);
        Assert.Equal(256, editor.MaxLength);
        Assert.Equal(300 - 256, editor.RefusedCount);
    }

    [Fact]
    public void EnterSubmitsWithANewLineAndKeepsTheLineUntilCleared()
    {
        LineEditor editor = Typed("ls");
        Apply(editor, Left);

        Assert.Equal("\n", editor.Apply(Enter, out bool submitted));
        Assert.True(submitted);
        Assert.Equal("ls", editor.Text);

        editor.Clear();
        Assert.Equal("", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void KeysTheEditorDoesNotUseChangeNothing()
    {
        LineEditor editor = Typed("ab");
        InputKey[] ignored =
        {
            InputKey.Of(InputKeyKind.Up), InputKey.Of(InputKeyKind.Down), InputKey.Of(InputKeyKind.Tab),
            InputKey.Of(InputKeyKind.Escape), InputKey.Ctrl('c'), InputKey.Typed('\u0007'), InputKey.Typed('\u007F'),
            InputKey.Typed('\0'), InputKey.Typed('\u0085'), InputKey.Typed('\uD83D'),
        };

        foreach (InputKey key in ignored)
        {
            Assert.Equal("", editor.Apply(key, out bool submitted));
            Assert.False(submitted);
        }

        Assert.Equal("ab", editor.Text);
        Assert.Equal(2, editor.Cursor);
        Assert.Equal(0, editor.RefusedCount);
    }

    [Fact]
    public void CtrlKeysEditLikeEmacs()
    {
        TerminalModel terminal = new TerminalModel("> ");
        LineEditor editor = new LineEditor();
        Feed(terminal, editor, "hello world");
        Feed(terminal, editor, Left, Left, Left, Left, Left);

        Feed(terminal, editor, InputKey.Ctrl('k'));
        Assert.Equal("hello ", editor.Text);
        terminal.AssertShows(editor);

        Feed(terminal, editor, Left, InputKey.Ctrl('u'));
        Assert.Equal(" ", editor.Text);
        Assert.Equal(0, editor.Cursor);
        terminal.AssertShows(editor);

        Feed(terminal, editor, InputKey.Ctrl('e'));
        Assert.Equal(1, editor.Cursor);
        Feed(terminal, editor, InputKey.Ctrl('a'));
        Assert.Equal(0, editor.Cursor);
        terminal.AssertShows(editor);
    }

    [Fact]
    public void SetTextReplacesTheLineAndBlanksWhatWasLonger()
    {
        TerminalModel terminal = new TerminalModel("$ ");
        LineEditor editor = new LineEditor();
        Feed(terminal, editor, "echo something long");
        Feed(terminal, editor, Left, Left, Left);

        terminal.Write(editor.SetText("uptime"));

        Assert.Equal("uptime", editor.Text);
        Assert.Equal(6, editor.Cursor);
        terminal.AssertShows(editor);

        terminal.Write(editor.SetText(null));
        Assert.Equal("", editor.Text);
        terminal.AssertShows(editor);
    }

    [Fact]
    public void SetTextShowsControlCharactersAsQuestionMarks()
    {
        TerminalModel terminal = new TerminalModel("> ");
        LineEditor editor = new LineEditor();

        terminal.Write(editor.SetText("a\nb\bc\u007Fd\u0090é"));

        Assert.Equal("a?b?c?d?é", editor.Text);
        terminal.AssertShows(editor);
    }

    [Fact]
    public void SetTextCutsTextToTheMaximumLength()
    {
        LineEditor editor = new LineEditor(5);

        editor.SetText("abcdefgh");

        Assert.Equal("abcde", editor.Text);
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void SpanAndStringFormsEchoTheSame()
    {
        LineEditor byString = Typed("abc");
        LineEditor bySpan = Typed("abc");
        InputKey[] keys = { Left, InputKey.Typed('x'), Home, Delete, End, Backspace, InputKey.Ctrl('u') };

        foreach (InputKey key in keys)
        {
            string expected = byString.Apply(key, out bool submittedByString);
            string actual = new string(bySpan.ApplyEcho(key, out bool submittedBySpan));
            Assert.Equal(expected, actual);
            Assert.Equal(submittedByString, submittedBySpan);
        }

        Assert.Equal(byString.SetText("history line"), new string(bySpan.SetTextEcho("history line")));
    }

    [Theory]
    [InlineData(1, 256)]
    [InlineData(2, 12)]
    [InlineData(3, 5)]
    [InlineData(4, 1)]
    [InlineData(5, 40)]
    public void RandomEditsKeepTheTerminalInStepWithTheBuffer(int seed, int maxLength)
    {
        Random random = new Random(seed);
        TerminalModel terminal = new TerminalModel("sk> ");
        LineEditor editor = new LineEditor(maxLength);

        // A reference model of the edits, independent of the editor's own shifting code.
        List<char> expected = new List<char>();
        int cursor = 0;
        for (int step = 0; step < 20_000; step++)
        {
            int choice = random.Next(100);
            if (choice < 3)
            {
                string text = RandomText(random, random.Next(maxLength + 3));
                terminal.Write(editor.SetText(text));
                expected = new List<char>(text.Length > maxLength ? text.Substring(0, maxLength) : text);
                cursor = expected.Count;
            }
            else if (choice < 5)
            {
                terminal.Write(editor.Apply(Enter, out bool submitted));
                Assert.True(submitted);
                Assert.Equal(("sk> " + new string(expected.ToArray())).TrimEnd(' '), terminal.CompletedRows[^1]);
                editor.Clear();
                expected.Clear();
                cursor = 0;
                terminal.WritePrompt();
            }
            else
            {
                InputKey key = RandomKey(random);
                terminal.Write(editor.Apply(key, out bool submitted));
                Assert.False(submitted);
                ApplyToModel(key, expected, ref cursor, maxLength);
            }

            Assert.Equal(new string(expected.ToArray()), editor.Text);
            Assert.Equal(cursor, editor.Cursor);
            terminal.AssertShows(editor);
        }
    }

    private static InputKey RandomKey(Random random)
    {
        int choice = random.Next(20);
        return choice switch
        {
            < 8 => InputKey.Typed((char)random.Next(' ', '~' + 1)),
            8 => Backspace,
            9 => Delete,
            10 or 11 => Left,
            12 => Right,
            13 => Home,
            14 => End,
            15 => InputKey.Ctrl('u'),
            16 => InputKey.Ctrl('k'),
            17 => InputKey.Ctrl(random.Next(2) == 0 ? 'a' : 'e'),
            _ => InputKey.Of(random.Next(2) == 0 ? InputKeyKind.Up : InputKeyKind.Tab),
        };
    }

    private static void ApplyToModel(InputKey key, List<char> line, ref int cursor, int maxLength)
    {
        switch (key.Kind)
        {
            case InputKeyKind.Character when line.Count < maxLength:
                line.Insert(cursor++, key.Character);
                break;
            case InputKeyKind.Backspace when cursor > 0:
                line.RemoveAt(--cursor);
                break;
            case InputKeyKind.Delete when cursor < line.Count:
                line.RemoveAt(cursor);
                break;
            case InputKeyKind.Left when cursor > 0:
                cursor--;
                break;
            case InputKeyKind.Right when cursor < line.Count:
                cursor++;
                break;
            case InputKeyKind.Home:
                cursor = 0;
                break;
            case InputKeyKind.End:
                cursor = line.Count;
                break;
            case InputKeyKind.Control when key.Character == 'A':
                cursor = 0;
                break;
            case InputKeyKind.Control when key.Character == 'E':
                cursor = line.Count;
                break;
            case InputKeyKind.Control when key.Character == 'K':
                line.RemoveRange(cursor, line.Count - cursor);
                break;
            case InputKeyKind.Control when key.Character == 'U':
                line.RemoveRange(0, cursor);
                cursor = 0;
                break;
        }
    }

    private static string RandomText(Random random, int length)
    {
        char[] text = new char[length];
        for (int i = 0; i < length; i++)
        {
            text[i] = (char)random.Next(' ', '~' + 1);
        }

        return new string(text);
    }

    private static LineEditor Typed(string text)
    {
        LineEditor editor = new LineEditor();
        Type(editor, text);
        return editor;
    }

    private static void Type(LineEditor editor, string text)
    {
        foreach (char c in text)
        {
            Apply(editor, InputKey.Typed(c));
        }
    }

    private static string Apply(LineEditor editor, InputKey key)
    {
        string echo = editor.Apply(key, out bool submitted);
        Assert.False(submitted);
        return echo;
    }

    private static void Feed(TerminalModel terminal, LineEditor editor, string text)
    {
        foreach (char c in text)
        {
            Feed(terminal, editor, InputKey.Typed(c));
        }
    }

    private static void Feed(TerminalModel terminal, LineEditor editor, params InputKey[] keys)
    {
        foreach (InputKey key in keys)
        {
            terminal.Write(Apply(editor, key));
            terminal.AssertShows(editor);
        }
    }
}
