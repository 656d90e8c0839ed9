using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using VoiceAgent.Hosting;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.ConsoleUi;

/// <summary>
/// Text mode: each typed line is published as a <see cref="TranscriptFinal"/> from the keyboard,
/// like recognized speech (the conversation interrupts itself when it is speaking). Lines starting
/// with '/' are commands, told to the conversation (push-to-talk to the recognizer); a publish and a
/// tell from here reach the conversation in the order they were made, so everything keeps the
/// order it was typed in. At the end of input (a pipe ran dry, Ctrl+D) the app waits for the
/// current reply to finish, then stops.
/// </summary>
public sealed class ConsoleInputService(ConsoleIo io, ActorSystem system, IRequiredActor<ConversationActorKey> conversationRole,
    IRequiredActor<RecognizerActorKey> recognizerRole, IHostApplicationLifetime lifetime) : BackgroundService
{
    public const string Help = "Type to talk. Commands: /say TEXT (speak it), /interrupt, /ptt (push-to-talk on/off), /help, /quit. Ctrl+C quits.";

    private bool _talkHeld;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Console reads are not cancellable: read on a task of its own and stop waiting on shutdown.
        var reading = Task.Run(() => ReadLoopAsync(stoppingToken), CancellationToken.None);
        await Task.WhenAny(reading, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        var conversation = await conversationRole.GetAsync(stoppingToken);
        var recognizer = await recognizerRole.GetAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var line = await io.Input.ReadLineAsync(stoppingToken);
            if (line is null) break;
            if (!Handle(line.Trim(), conversation, recognizer)) return;
        }
        if (stoppingToken.IsCancellationRequested) return;
        // Asked after the last line was published, so it queues behind it.
        await conversation.Ask<ConversationIdle>(new NotifyWhenIdle(), Timeout.InfiniteTimeSpan, stoppingToken);
        lifetime.StopApplication();
    }

    /// <summary>Returns false when the user asked to quit.</summary>
    private bool Handle(string line, IActorRef conversation, IActorRef recognizer)
    {
        switch (line)
        {
            case "":
                return true;
            case "/quit" or "/exit":
                lifetime.StopApplication();
                return false;
            case "/help":
                io.Output.MarkupLine($"[grey]{Markup.Escape(Help)}[/]");
                return true;
            case "/interrupt":
                conversation.Tell(new Interrupt("typed /interrupt"));
                return true;
            case "/ptt":
                // A console cannot see a key held down: /ptt toggles the talk key instead.
                _talkHeld = !_talkHeld;
                recognizer.Tell(new PushToTalk(_talkHeld));
                io.Output.MarkupLine(_talkHeld ? "[grey]● push-to-talk: talking (type /ptt to stop)[/]" : "[grey]● push-to-talk: released[/]");
                return true;
        }
        if (line.StartsWith("/say ", StringComparison.Ordinal))
        {
            conversation.Tell(new Say(line[5..].Trim()));
            return true;
        }
        if (line.StartsWith('/'))
        {
            io.Output.MarkupLine($"[yellow]Unknown command {Markup.Escape(line)}.[/] [grey]{Markup.Escape(Help)}[/]");
            return true;
        }
        system.EventStream.Publish(TranscriptFinal.Typed(line, DateTimeOffset.UtcNow));
        return true;
    }
}
