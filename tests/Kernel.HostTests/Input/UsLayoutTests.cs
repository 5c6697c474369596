// Tests for UsLayout: the character a key types under each modifier combination.
using Kernel.Input;
using Xunit;

namespace Kernel.HostTests.Input;

public class UsLayoutTests
{
    [Theory]
    [InlineData(Key.Q, KeyModifiers.None, 'q')]
    [InlineData(Key.Q, KeyModifiers.RightShift, 'Q')]
    [InlineData(Key.Q, KeyModifiers.CapsLock, 'Q')]
    [InlineData(Key.Q, KeyModifiers.CapsLock | KeyModifiers.LeftShift, 'q')]
    [InlineData(Key.M, KeyModifiers.None, 'm')]
    [InlineData(Key.L, KeyModifiers.Shift, 'L')]
    [InlineData(Key.D5, KeyModifiers.CapsLock, '5')]
    [InlineData(Key.D5, KeyModifiers.LeftShift, '%')]
    [InlineData(Key.NonUsBackslash, KeyModifiers.None, '\\')]
    [InlineData(Key.NonUsBackslash, KeyModifiers.LeftShift, '|')]
    [InlineData(Key.KeypadEnter, KeyModifiers.None, '\n')]
    [InlineData(Key.Keypad0, KeyModifiers.NumLock, '0')]
    [InlineData(Key.Keypad9, KeyModifiers.NumLock, '9')]
    public void KeysTypeTheirUsCharacters(Key key, KeyModifiers modifiers, char expected)
    {
        Assert.Equal(expected, UsLayout.Character(key, modifiers));
    }

    [Theory]
    [InlineData(Key.A, '\u0001')]
    [InlineData(Key.C, '\u0003')]
    [InlineData(Key.Z, '\u001A')]
    public void CtrlLetterIsItsControlCodeWhateverTheShiftState(Key key, char expected)
    {
        Assert.Equal(expected, UsLayout.Character(key, KeyModifiers.LeftControl));
        Assert.Equal(expected, UsLayout.Character(key, KeyModifiers.RightControl | KeyModifiers.LeftShift | KeyModifiers.CapsLock));
    }

    [Fact]
    public void CtrlLeavesNonLettersAlone()
    {
        Assert.Equal('1', UsLayout.Character(Key.D1, KeyModifiers.LeftControl));
        Assert.Equal('[', UsLayout.Character(Key.LeftBracket, KeyModifiers.LeftControl));
    }

    [Theory]
    [InlineData(Key.F1)]
    [InlineData(Key.Up)]
    [InlineData(Key.Delete)]
    [InlineData(Key.LeftShift)]
    [InlineData(Key.CapsLock)]
    [InlineData(Key.Pause)]
    [InlineData(Key.None)]
    public void NonCharacterKeysTypeNothing(Key key)
    {
        Assert.Equal('\0', UsLayout.Character(key, KeyModifiers.None));
        Assert.Equal('\0', UsLayout.Character(key, KeyModifiers.Shift | KeyModifiers.Control));
    }
}
