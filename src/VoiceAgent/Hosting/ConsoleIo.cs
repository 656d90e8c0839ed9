using Spectre.Console;
using VoiceAgent.ConsoleUi;

namespace VoiceAgent.Hosting;

/// <summary>Where the assistant reads typed lines and writes the conversation, and (in an
/// interactive terminal) where the status line goes. <see cref="ConsoleSession"/> makes the real
/// one; tests pass a reader and a recording console.</summary>
public sealed record ConsoleIo(TextReader Input, IAnsiConsole Output, bool EchoTypedLines, IStatusDisplay? Status = null);
