// Tests for LineEditor: the edits themselves, the exact echo of the common keys, lines wrapped over several rows,
// the readline keys, the line limit's signal, and Ctrl-L's redraw (issue 12). Screens are checked through
// EditorSession, which feeds every echo to an xterm-rule terminal model and to the kernel's TextGrid.
using System;
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

        Assert.Equal("bcd\u001b[2D", Apply(editor, InputKey.Typed('b')));
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

        Assert.Equal("bc \b\u001b[2D", Apply(editor, Delete));
        Assert.Equal("bc", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void EditsAtTheEdgesChangeNothingAndEchoNothing()
    {
        LineEditor editor = Typed("ab");
        Assert.Equal("", Apply(editor, Delete));
        Assert.Equal("", Apply(editor, Right));
        Assert.Equal("", Apply(editor, InputKey.Ctrl('k')));
        Apply(editor, Home);
        Assert.Equal("", Apply(editor, Backspace));
        Assert.Equal("", Apply(editor, Left));
        Assert.Equal("", Apply(editor, InputKey.Ctrl('u')));
        Assert.Equal("", Apply(editor, InputKey.Ctrl('w')));

        Assert.Equal("ab", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void CursorKeysMoveWithRelativeControlSequences()
    {
        LineEditor editor = Typed("hello");

        Assert.Equal("\b", Apply(editor, Left));
        Assert.Equal("\u001b[4D", Apply(editor, Home));
        Assert.Equal("\u001b[C", Apply(editor, Right));
        Assert.Equal("\u001b[4C", Apply(editor, End));
        Assert.Equal(5, editor.Cursor);
    }

    [Fact]
    public void DefaultLineHoldsFourKibibytes()
    {
        LineEditor editor = new LineEditor();
        Type(editor, new string('x', 5000));

        Assert.Equal(4096, LineEditor.DefaultMaxLength);
        Assert.Equal(LineEditor.DefaultMaxLength, editor.Length);
        Assert.Equal(5000 - 4096, editor.RefusedCount);
    }

    [Fact]
    public void ThreeHundredKeysAreAllKeptAndEchoed()
    {
        // Issue 12: the old 256-character line stopped echoing at column 256 without a word.
        EditorSession session = new EditorSession("> ", 80, 12, LineEditor.DefaultMaxLength);
        string typed = Pattern(300);
        session.Type(typed);

        Assert.Equal(typed, session.Editor.Text);
        Assert.Equal(0, session.Editor.RefusedCount);
        Assert.Equal(0, session.Terminal.Bells);
        Assert.Equal(LineEditOutcome.Submitted, session.Press(Enter));
        Assert.Equal(typed, session.Submitted[0]);
    }

    [Fact]
    public void AFullLineRingsForEachRefusedKeyAndExplainsOnce()
    {
        EditorSession session = new EditorSession("> ", 10, 12, 12);
        session.Type("abcdefghijkl");
        session.Press(Home);

        session.Type("xy");

        Assert.Equal("abcdefghijkl", session.Editor.Text);
        Assert.Equal(0, session.Editor.Cursor);
        Assert.Equal(2, session.Editor.RefusedCount);
        Assert.Equal(2, session.Terminal.Bells);
        Assert.Equal(1, CountOf(session.Transcript, session.FullNote));

        // A new line may explain again.
        session.Press(Enter);
        session.Type("abcdefghijklm");
        Assert.Equal(2, CountOf(session.Transcript, session.FullNote));
    }

    [Fact]
    public void ALongLineWrapsAndEditsAcrossRows()
    {
        EditorSession session = new EditorSession("> ", 10, 8, 100, startRow: 2);
        session.Type("0123456789abcdefghijklmnop");
        Assert.Equal(3, session.Terminal.Row - session.AnchorRow + 1);

        session.Press(Home);
        session.Type("<");
        session.Press(End, Backspace, Backspace, Backspace, Backspace, Backspace, Backspace, Backspace, Backspace);
        session.Press(Home, Right, Right, Right, Right, Right, Right, Right, Right, Right, Delete, Delete);
        session.Press(InputKey.Ctrl('e'), InputKey.Ctrl('a'), InputKey.Ctrl('k'));

        Assert.Equal("", session.Editor.Text);
        session.Type("x");
        Assert.Equal("x", session.Editor.Text);
    }

    [Fact]
    public void ALineEndingOnTheLastColumnPutsTheCursorOnTheNextRow()
    {
        EditorSession session = new EditorSession("> ", 10, 5, 100, startRow: 4);
        session.Type("12345678");

        Assert.Equal((0, 4), (session.Terminal.Column, session.Terminal.Row));
        Assert.Equal(1, session.Terminal.ScrollCount);
        session.Press(Left, Right, Backspace);
        session.Type("8");
        session.Press(Enter);
        Assert.Equal("12345678", session.Submitted[0]);
    }

    [Fact]
    public void EnterInTheMiddleOfAWrappedLineLeavesItWhole()
    {
        EditorSession session = new EditorSession("> ", 8, 10, 100);
        session.Type("echo one two three");
        session.Press(Home);

        Assert.Equal(LineEditOutcome.Submitted, session.Press(Enter));
        Assert.Equal("echo one two three", session.Submitted[0]);
    }

    [Fact]
    public void CtrlUAndCtrlKKillToTheStartAndToTheEnd()
    {
        EditorSession session = new EditorSession("> ", 80, 4, 100);
        session.Type("hello world");
        session.Press(Left, Left, Left, Left, Left);

        session.Press(InputKey.Ctrl('k'));
        Assert.Equal("hello ", session.Editor.Text);

        session.Press(Left, InputKey.Ctrl('u'));
        Assert.Equal(" ", session.Editor.Text);
        Assert.Equal(0, session.Editor.Cursor);
    }

    [Theory]
    [InlineData("echo hello world", 16, "echo hello ", 11)]
    [InlineData("echo hello world  ", 18, "echo hello ", 11)]
    [InlineData("echo hello world", 11, "echo world", 5)]
    [InlineData("echo hello world", 8, "echo lo world", 5)]
    [InlineData("   ", 3, "", 0)]
    [InlineData("a b", 0, "a b", 0)]
    public void CtrlWDeletesTheWordBeforeTheCursorLikeReadline(string line, int cursor, string expected, int expectedCursor)
    {
        EditorSession session = new EditorSession("> ", 7, 10, 100);
        session.Type(line);
        session.Press(Home);
        for (int i = 0; i < cursor; i++)
        {
            session.Press(Right);
        }

        session.Press(InputKey.Ctrl('w'));

        Assert.Equal(expected, session.Editor.Text);
        Assert.Equal(expectedCursor, session.Editor.Cursor);
    }

    [Fact]
    public void HomeEndAndCtrlAEMoveToTheEnds()
    {
        EditorSession session = new EditorSession("$ ", 6, 10, 100);
        session.Type("abcdefghijklmno");
        session.Press(Home);
        Assert.Equal(0, session.Editor.Cursor);
        session.Press(End);
        Assert.Equal(15, session.Editor.Cursor);
        session.Press(InputKey.Ctrl('a'));
        Assert.Equal(0, session.Editor.Cursor);
        session.Press(InputKey.Ctrl('e'));
        Assert.Equal(15, session.Editor.Cursor);
    }

    [Fact]
    public void CtrlCAbandonsTheLineAfterMarkingIt()
    {
        EditorSession session = new EditorSession("> ", 80, 4, 100);
        session.Type("half typed");
        session.Press(Left, Left);

        LineEditor editor = session.Editor;
        Assert.Equal(LineEditOutcome.Cancelled, session.Press(InputKey.Ctrl('c')));
        Assert.Equal("", editor.Text);
        Assert.Equal("half typed", session.Cancelled[0]);
        Assert.EndsWith("\u001b[2C^C\n> ", session.Transcript);
    }

    [Fact]
    public void CtrlLRedrawsTheLineWithTheCursorWhereTheEditorHasIt()
    {
        // Issue 12: the bytes 'h', ESC [ H, Ctrl-L left the screen's cursor after the 'h' while the editor's was
        // before it, so the next key was drawn in the wrong place.
        EditorSession session = new EditorSession("> ", 80, 6, 100, startRow: 3);
        AnsiInputDecoder decoder = new AnsiInputDecoder();
        foreach (byte b in new byte[] { (byte)'h', 0x1B, (byte)'[', (byte)'H', 0x0C })
        {
            if (decoder.Feed(b, out InputKey key))
            {
                session.Press(key);
            }
        }

        Assert.Equal(0, session.AnchorRow);
        Assert.Equal((2, 0), (session.Terminal.Column, session.Terminal.Row));
        session.Type("ec");
        Assert.Equal("> ech", session.Terminal.Read(0, 0, 5));
    }

    [Fact]
    public void CtrlLKeepsAWrappedLineAndItsCursor()
    {
        EditorSession session = new EditorSession("> ", 5, 8, 100, startRow: 5);
        session.Type("abcdefghijkl");
        session.Press(Left, Left, Left, Left, Left, Left, Left);

        session.Press(InputKey.Ctrl('l'));

        Assert.Equal(5, session.Editor.Cursor);
        Assert.Equal((2, 1), (session.Terminal.Column, session.Terminal.Row));
    }

    [Fact]
    public void RedrawAfterAMessageShowsPromptLineAndCursor()
    {
        EditorSession session = new EditorSession("> ", 6, 10, 100);
        session.Type("abcdefgh");
        session.Press(Left, Left, Left);

        string leave = new string(session.Editor.LeaveLineEcho());
        string redraw = new string(session.Editor.RedrawEcho());

        Assert.Equal("\u001b[3C\n", leave);
        Assert.Equal("> abcdefgh\u001b[3D", redraw);
    }

    [Fact]
    public void EnterSubmitsWithANewLineAndKeepsTheLineUntilCleared()
    {
        LineEditor editor = Typed("ls");

        Assert.Equal("\n", editor.Apply(Enter, out LineEditOutcome outcome));
        Assert.Equal(LineEditOutcome.Submitted, outcome);
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
            InputKey.Of(InputKeyKind.Escape), InputKey.Ctrl('z'), InputKey.Typed('\u0007'), InputKey.Typed('\u007F'),
            InputKey.Typed('\0'), InputKey.Typed('\u0085'), InputKey.Typed('\uD83D'),
        };

        foreach (InputKey key in ignored)
        {
            Assert.Equal("", editor.Apply(key, out LineEditOutcome outcome));
            Assert.Equal(LineEditOutcome.Editing, outcome);
        }

        Assert.Equal("ab", editor.Text);
        Assert.Equal(2, editor.Cursor);
        Assert.Equal(0, editor.RefusedCount);
    }

    [Fact]
    public void SetTextReplacesTheLineAndErasesWhatWasLonger()
    {
        EditorSession session = new EditorSession("$ ", 9, 8, 100);
        session.Type("echo something long");
        session.Press(Left, Left, Left);

        session.SetText("uptime");
        Assert.Equal("uptime", session.Editor.Text);
        Assert.Equal(6, session.Editor.Cursor);

        session.SetText(null);
        Assert.Equal("", session.Editor.Text);
    }

    [Fact]
    public void SetTextShowsControlCharactersAsQuestionMarks()
    {
        EditorSession session = new EditorSession("> ", 80, 4, 100);

        session.SetText("a\nb\bc\u007Fd\u0090é");

        Assert.Equal("a?b?c?d?é", session.Editor.Text);
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
    public void AWidthNotWiderThanThePromptIsRaised()
    {
        LineEditor editor = new LineEditor("sk> ", 3, 10);
        Assert.Equal(5, editor.Width);
        Assert.Equal(4, editor.PromptColumn);
    }

    [Fact]
    public void SpanAndStringFormsEchoTheSame()
    {
        LineEditor byString = Typed("abc");
        LineEditor bySpan = Typed("abc");
        InputKey[] keys = { Left, InputKey.Typed('x'), Home, Delete, End, Backspace, InputKey.Ctrl('w'), InputKey.Ctrl('u') };

        foreach (InputKey key in keys)
        {
            string expected = byString.Apply(key, out LineEditOutcome byStringOutcome);
            string actual = new string(bySpan.ApplyEcho(key, out LineEditOutcome bySpanOutcome));
            Assert.Equal(expected, actual);
            Assert.Equal(byStringOutcome, bySpanOutcome);
        }

        Assert.Equal(byString.SetText("history line"), new string(bySpan.SetTextEcho("history line")));
    }

    internal static string Pattern(int length)
    {
        char[] text = new char[length];
        for (int i = 0; i < length; i++)
        {
            text[i] = (char)('a' + i % 26);
        }

        return new string(text);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
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
        string echo = editor.Apply(key, out LineEditOutcome outcome);
        Assert.Equal(LineEditOutcome.Editing, outcome);
        return echo;
    }
}
