// Property test of CommandHistory against a list model, with CsCheck: random Add / Up / Down / reset sequences on
// small capacities, the history's answers and contents matching a plain list after every step. A failure shrinks
// to a minimal sequence, printed in the test output.
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Shell;
using Xunit;

namespace Kernel.HostTests.Shell;

public class CommandHistoryPropertyTests
{
    private const int Iterations = 1000;

    public enum Action
    {
        Add,
        Previous,
        Next,
        Reset,
    }

    public readonly record struct Step(Action Action, string Text)
    {
        public override string ToString() =>
            Action + (Action == Action.Add || Action == Action.Previous ? "(" + (Text == null ? "null" : "\"" + Text.Replace("\t", "\\t") + "\"") + ")" : "");
    }

    private static readonly Gen<string> Lines = Gen.Frequency(
        (10, Gen.String[Gen.Char["ab \t"], 0, 3]),
        (1, Gen.Const((string)null)));

    private static readonly Gen<Step> Steps = Gen.Frequency(
        (4, Lines.Select(line => new Step(Action.Add, line))),
        (4, Lines.Select(draft => new Step(Action.Previous, draft))),
        (3, Gen.Const(new Step(Action.Next, null))),
        (1, Gen.Const(new Step(Action.Reset, null))));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void HistoryMatchesAListModel()
    {
        Gen<(int, Step[])> cases = Gen.Select(Gen.Int[-1, 5], Steps.Array[0, 60]);
        cases.ForAll(test =>
        {
            (int capacity, Step[] steps) = test;
            CommandHistory history = new CommandHistory(capacity);
            HistoryModel model = new HistoryModel(capacity < 1 ? 1 : capacity);
            foreach (Step step in steps)
            {
                switch (step.Action)
                {
                    case Action.Add:
                        history.Add(step.Text);
                        model.Add(step.Text);
                        break;
                    case Action.Previous:
                        Assert.Equal(model.Previous(step.Text), history.Previous(step.Text));
                        break;
                    case Action.Next:
                        Assert.Equal(model.Next(), history.Next());
                        break;
                    case Action.Reset:
                        history.ResetNavigation();
                        model.Reset();
                        break;
                }

                Assert.Equal(model.Entries, Enumerable.Range(0, history.Count).Select(history.Entry).ToList());
                Assert.Equal(model.IsNavigating, history.IsNavigating);
            }
        }, Iterations, test => "capacity " + test.Item1 + ": " + string.Join(", ", test.Item2.Select(s => s.ToString())));
    }

    /// <summary>The history as its documentation describes it: a list, a place in it counted from the newest
    /// end, and the draft saved on the first step back.</summary>
    private sealed class HistoryModel
    {
        private readonly int _capacity;

        // Steps back from the draft: 0 when not navigating.
        private int _stepsBack;
        private string _draft;

        public HistoryModel(int capacity) => _capacity = capacity;

        public List<string> Entries { get; } = new List<string>();

        public bool IsNavigating => _stepsBack > 0;

        public void Add(string line)
        {
            Reset();
            if (line == null || line.All(c => c == ' ' || c == '\t') || (Entries.Count > 0 && Entries[^1] == line))
            {
                return;
            }

            Entries.Add(line);
            if (Entries.Count > _capacity)
            {
                Entries.RemoveAt(0);
            }
        }

        public string Previous(string draft)
        {
            if (_stepsBack == Entries.Count)
            {
                return null;
            }

            if (_stepsBack == 0)
            {
                _draft = draft ?? "";
            }

            _stepsBack++;
            return Entries[Entries.Count - _stepsBack];
        }

        public string Next()
        {
            if (_stepsBack == 0)
            {
                return null;
            }

            _stepsBack--;
            if (_stepsBack > 0)
            {
                return Entries[Entries.Count - _stepsBack];
            }

            string draft = _draft;
            _draft = null;
            return draft;
        }

        public void Reset()
        {
            _stepsBack = 0;
            _draft = null;
        }
    }
}
