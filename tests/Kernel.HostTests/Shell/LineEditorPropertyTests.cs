// Property tests of LineEditor against a model (a string and a cursor), with CsCheck: random key sequences on
// random prompt, width and line limit; after every key the editor matches the model and both screens (the xterm
// model and the kernel's TextGrid) show exactly the prompt and the line with the cursor in place. A failure
// shrinks to a minimal key sequence, printed in the test output.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Input;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class LineEditorPropertyTests
{
    private const int Iterations = 400;

    /// <summary>One step of a test: a key, or a history recall (SetText).</summary>
    public readonly record struct Step(InputKey Key, string Recalled)
    {
        public override string ToString() => Recalled != null ? "SetText(\"" + EditorSession.Escape(Recalled) + "\")" : Describe(Key);
    }

    /// <summary>A generated case: the editor's setting and the steps.</summary>
    public sealed record Scenario(int PromptLength, int Width, int MaxLength, int StartRow, Step[] Steps)
    {
        public override string ToString() =>
            "prompt " + PromptLength + " wide, width " + Width + ", max " + MaxLength + ", start row " + StartRow + ": "
            + string.Join(", ", Steps.Select(s => s.ToString()));
    }

    private static readonly Gen<InputKey> Keys = Gen.Frequency(
        (40, Gen.Char["abc xy"].Select(InputKey.Typed)),
        (6, Gen.OneOf(Key(InputKeyKind.Backspace), Key(InputKeyKind.Delete))),
        (10, Gen.OneOf(Key(InputKeyKind.Left), Key(InputKeyKind.Right))),
        (4, Gen.OneOf(Key(InputKeyKind.Home), Key(InputKeyKind.End), InputKey.Ctrl('A'), InputKey.Ctrl('E'))),
        (5, Gen.OneOf(InputKey.Ctrl('K'), InputKey.Ctrl('U'), InputKey.Ctrl('W'))),
        (1, Gen.OneOf(InputKey.Ctrl('L'), InputKey.Ctrl('C'), Key(InputKeyKind.Enter))),
        (1, Gen.OneOf(Key(InputKeyKind.Up), Key(InputKeyKind.Tab), Key(InputKeyKind.Escape), InputKey.Ctrl('Z'))));

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (30, Keys.Select(k => new Step(k, null))),
        (1, Gen.String[Gen.Char["ab \n\u0001"], 0, 30].Select(t => new Step(default, t))));

    private static readonly Gen<Scenario> Scenarios =
        from promptLength in Gen.Int[0, 4]
        from extraWidth in Gen.Int[1, 16]
        from maxLength in Gen.Int[1, 50]
        from startRow in Gen.Int[0, 6]
        from steps in Steps.Array[0, 80]
        select new Scenario(promptLength, promptLength + extraWidth, maxLength, startRow, steps);

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void EditorMatchesTheModelAndBothScreensShowTheLine()
    {
        Scenarios.ForAll(Check, Iterations, s => s.ToString());
    }

    private static void Check(Scenario scenario)
    {
        string prompt = new string('>', scenario.PromptLength);
        int width = scenario.Width;
        string note = "(line full: at most " + scenario.MaxLength + " characters)";
        int rowsForLine = (scenario.PromptLength + scenario.MaxLength + width) / width + 1;
        int rows = scenario.StartRow + rowsForLine * 2 + (note.Length + width - 1) / width + 2;
        EditorSession session = new EditorSession(prompt, width, rows, scenario.MaxLength, scenario.StartRow);
        LineModel model = new LineModel(scenario.MaxLength);
        foreach (Step step in scenario.Steps)
        {
            if (step.Recalled != null)
            {
                session.SetText(step.Recalled);
                model.SetText(step.Recalled);
            }
            else
            {
                LineEditOutcome outcome = session.Press(step.Key);
                Assert.Equal(model.Apply(step.Key), outcome);
            }

            Assert.Equal(model.Text, session.Editor.Text);
            Assert.Equal(model.Cursor, session.Editor.Cursor);
            Assert.Equal(model.Refused, session.Editor.RefusedCount);
            Assert.Equal(model.Refused, session.Terminal.Bells);
        }

        Assert.Equal(model.Submitted, session.Submitted);
        Assert.Equal(model.Cancelled, session.Cancelled);
    }

    private static InputKey Key(InputKeyKind kind) => InputKey.Of(kind);

    private static string Describe(InputKey key) => key.Kind switch
    {
        InputKeyKind.Character => "'" + key.Character + "'",
        InputKeyKind.Control => "Ctrl-" + key.Character,
        _ => key.Kind.ToString(),
    };

    /// <summary>What the keys should do, written plainly, independent of the editor's code.</summary>
    private sealed class LineModel
    {
        private readonly int _maxLength;
        private readonly StringBuilder _text = new StringBuilder();

        public LineModel(int maxLength) => _maxLength = maxLength;

        public string Text => _text.ToString();

        public int Cursor { get; private set; }

        public int Refused { get; private set; }

        public List<string> Submitted { get; } = new List<string>();

        public List<string> Cancelled { get; } = new List<string>();

        public void SetText(string text)
        {
            _text.Clear();
            foreach (char c in text.Take(_maxLength))
            {
                _text.Append(c < ' ' ? '?' : c);
            }

            Cursor = _text.Length;
        }

        public LineEditOutcome Apply(InputKey key)
        {
            string text = Text;
            switch (key.Kind)
            {
                case InputKeyKind.Character when text.Length == _maxLength:
                    Refused++;
                    break;
                case InputKeyKind.Character:
                    _text.Insert(Cursor++, key.Character);
                    break;
                case InputKeyKind.Backspace when Cursor > 0:
                    _text.Remove(--Cursor, 1);
                    break;
                case InputKeyKind.Delete when Cursor < text.Length:
                    _text.Remove(Cursor, 1);
                    break;
                case InputKeyKind.Left when Cursor > 0:
                    Cursor--;
                    break;
                case InputKeyKind.Right when Cursor < text.Length:
                    Cursor++;
                    break;
                case InputKeyKind.Home:
                    Cursor = 0;
                    break;
                case InputKeyKind.End:
                    Cursor = text.Length;
                    break;
                case InputKeyKind.Enter:
                    Submitted.Add(text);
                    _text.Clear();
                    Cursor = 0;
                    return LineEditOutcome.Submitted;
                case InputKeyKind.Control:
                    return ApplyControl(key.Character, text);
            }

            return LineEditOutcome.Editing;
        }

        private LineEditOutcome ApplyControl(char letter, string text)
        {
            switch (letter)
            {
                case 'A':
                    Cursor = 0;
                    break;
                case 'E':
                    Cursor = text.Length;
                    break;
                case 'K':
                    _text.Remove(Cursor, text.Length - Cursor);
                    break;
                case 'U':
                    _text.Remove(0, Cursor);
                    Cursor = 0;
                    break;
                case 'W':
                    string before = text.Substring(0, Cursor);
                    string kept = before.TrimEnd(' ');
                    int lastSpace = kept.LastIndexOf(' ');
                    kept = kept.Substring(0, lastSpace + 1);
                    _text.Remove(kept.Length, Cursor - kept.Length);
                    Cursor = kept.Length;
                    break;
                case 'C':
                    Cancelled.Add(text);
                    _text.Clear();
                    Cursor = 0;
                    return LineEditOutcome.Cancelled;
            }

            return LineEditOutcome.Editing;
        }
    }
}
