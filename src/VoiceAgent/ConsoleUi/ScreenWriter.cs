using System.Text;

namespace VoiceAgent.ConsoleUi;

/// <summary>The console's output in interactive mode: everything written goes to the screen,
/// above its live region. Spectre.Console, loggers and stray Console.Write calls all end up here.</summary>
public sealed class ScreenWriter(TerminalScreen screen) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => screen.Write(value.ToString());

    public override void Write(string? value) => screen.Write(value ?? "");

    public override void Write(char[] buffer, int index, int count) => screen.Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => screen.Write((value ?? "") + "\n");

    public override void WriteLine() => screen.Write("\n");
}
