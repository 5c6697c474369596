// Boot tests of the console chapter: the screenshot test checks the banner's pixels against the font.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Kernel.BootTests.Harness;

namespace Kernel.BootTests;

/// <summary>
/// The framebuffer console, checked from outside: a normal (non-test) boot is captured with QMP screendump and
/// the first text row must be "Hello World!" drawn pixel for pixel with the font the kernel embeds.
/// </summary>
public sealed class ScreenshotTest
{
    private const string FirstLine = "Hello World!";

    // The shell's uptime clock task draws " up H:MM:SS " at the right end of the first row; those cells are not
    // checked here (ShellBootTests reads the clock).
    private const int ClockCells = 16;
    private const uint Foreground = 0xC0C0C0; // Terminal.DefaultForeground
    private const uint Background = 0x000000; // Terminal.DefaultBackground
    private static readonly TimeSpan s_qmpConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Boots to the idle loop, takes a screenshot, saves it for the README and checks the banner's pixels.</summary>
    [Fact]
    public void BannerIsDrawnWithTheConsoleFont()
    {
        Assert.True(File.Exists(RepoPaths.ConsoleFont), RepoPaths.ConsoleFont + " is missing; build with ./build.sh --target=Test.");
        Psf1Font font = Psf1Font.Load(RepoPaths.ConsoleFont);
        byte[] dump = null;

        BootResult boot = BootHarness.Boot("console=both", qmp: true, whileRunning: running =>
        {
            running.WaitForSerialLine("ready", BootHarness.DefaultTimeout);
            string path = Path.Combine(running.WorkDirectory, "screen.ppm");
            using (QmpClient qmp = QmpClient.Connect(running.QmpSocketPath, s_qmpConnectTimeout))
                qmp.ScreenDump(path);
            dump = File.ReadAllBytes(path);
        });

        Assert.True(boot.StoppedByHarness, "A boot without 'test' should wait in its shell after 'ready' until stopped.\n" + boot.Describe());
        Directory.CreateDirectory(RepoPaths.Screenshots);
        File.WriteAllBytes(Path.Combine(RepoPaths.Screenshots, "boot.ppm"), dump);

        PpmImage image = PpmImage.Parse(dump);
        (int width, int height) = BootAssert.ScreenSize(boot);
        Assert.True(image.Width == width && image.Height == height,
            "Screenshot is " + image.Width + "x" + image.Height + ", the kernel said screen " + width + "x" + height + ".\n" + boot.Describe());
        BootAssert.HasLineMatching(boot, @"^screen: .*, font " + font.Width + "x" + font.Height + "$");

        for (int i = 0; i < FirstLine.Length; i++)
            AssertCell(image, font, i, FirstLine[i]);
        AssertRestOfRowIsBackground(image, font, FirstLine.Length);
    }

    private static void AssertCell(PpmImage image, Psf1Font font, int column, char c)
    {
        var wrong = new List<string>();
        var picture = new StringBuilder();
        for (int y = 0; y < font.Height; y++)
        {
            for (int x = 0; x < font.Width; x++)
            {
                bool set = font.IsSet(c, x, y);
                uint expected = set ? Foreground : Background;
                uint actual = image.GetPixel(column * font.Width + x, y);
                if (actual != expected)
                    wrong.Add("(" + (column * font.Width + x) + "," + y + ") 0x" + actual.ToString("X6") + " not 0x" + expected.ToString("X6"));
                picture.Append(actual == Foreground ? '#' : actual == Background ? '.' : '?');
            }

            picture.Append("   ");
            for (int x = 0; x < font.Width; x++)
                picture.Append(font.IsSet(c, x, y) ? '#' : '.');
            picture.Append('\n');
        }

        Assert.True(wrong.Count == 0,
            "Character " + column + " ('" + c + "') of the first text row differs from the font in " + wrong.Count + " pixels, e.g. "
            + string.Join("; ", wrong.GetRange(0, Math.Min(5, wrong.Count))) + ".\nScreen vs font ('?' = other color):\n" + picture);
    }

    private static void AssertRestOfRowIsBackground(PpmImage image, Psf1Font font, int firstColumn)
    {
        for (int y = 0; y < font.Height; y++)
        {
            for (int x = firstColumn * font.Width; x < image.Width - ClockCells * font.Width; x++)
            {
                uint actual = image.GetPixel(x, y);
                Assert.True(actual == Background, "Pixel (" + x + "," + y + ") after '" + FirstLine + "' is 0x" + actual.ToString("X6") + ", expected background.");
            }
        }
    }
}
