using Spectre.Console;
using VoiceAgent.Protocol;

namespace VoiceAgent.ConsoleUi;

/// <summary>The assistant's state, as the status line shows it.</summary>
public enum AgentState
{
    Listening,
    Thinking,
    Speaking,
    Interrupted,
}

/// <summary>
/// Renders pipeline events as a readable conversation: the user's words, the reply as it streams,
/// the state (listening / thinking / speaking / interrupted) and per-turn latency. Plain class, so
/// it is tested without actors; the ConsoleViewActor feeds it.
/// </summary>
public sealed class ConversationRenderer(IAnsiConsole console, bool echoTypedLines, bool showLatency)
{
    private TurnId _turn = TurnId.None;
    private TurnLatency? _latency;
    private string _label = "agent";
    private readonly List<StatusNotice> _deferred = [];
    private bool _midLine;

    public AgentState State { get; private set; } = AgentState.Listening;

    public void Render(IPipelineEvent e)
    {
        switch (e)
        {
            case RecognizerReady ready:
                Line($"[grey]●[/] {Markup.Escape(ready.Description)}");
                break;
            case StatusNotice notice when _midLine && notice.Level != NoticeLevel.Error:
                _deferred.Add(notice); // shown after the reply's line, so the reply reads in one piece
                break;
            case StatusNotice notice:
                ShowNotice(notice);
                break;
            case TranscriptFinal transcript when transcript.Source != InputSource.Keyboard || echoTypedLines:
                Line($"[bold green]you ›[/] {Markup.Escape(transcript.Text)}{Recognized(transcript)}");
                break;
            case AgentTurnStarted started:
                _turn = started.Turn;
                SetState(AgentState.Thinking);
                EndLine();
                _label = started.Responder == "say" ? "agent" : $"agent ({started.Responder})";
                console.Markup($"[bold blue]{Markup.Escape(_label)} ›[/] ");
                _midLine = true;
                break;
            case AgentText text when text.Turn == _turn:
                if (!_midLine)
                {
                    // A notice interrupted the reply's line: pick the reply up on a fresh one.
                    console.Markup($"[bold blue]{Markup.Escape(_label)} ›[/] [grey]…[/]");
                }
                console.Write(text.Delta);
                _midLine = true;
                break;
            case PlaybackStarted playing when playing.Turn == _turn:
                SetState(AgentState.Speaking);
                break;
            case BargeIn bargeIn when bargeIn.Turn == _turn:
                SetState(AgentState.Interrupted);
                break;
            case AgentTurnEnded ended when ended.Turn == _turn:
                EndLine();
                if (ended.Outcome == TurnOutcome.Interrupted)
                    Line($"  [yellow]⏸ interrupted[/] [grey]— heard: \"{Markup.Escape(ended.HeardText)}\"[/]");
                else if (ended.Outcome == TurnOutcome.Failed)
                    Line($"  [red]✗ {Markup.Escape(ended.Error ?? "the reply failed")}[/]");
                if (_latency is { } measured && measured.Turn == ended.Turn && showLatency)
                    Line($"  [grey]⏱ first text {Ms(measured.FirstText)} · first audio {Ms(measured.FirstAudio)}[/]");
                _latency = null;
                _turn = TurnId.None;
                SetState(AgentState.Listening);
                break;
            case TurnLatency latency:
                _latency = latency; // shown when the turn ends, not in the middle of the reply
                break;
        }
    }

    private void SetState(AgentState state) => State = state;

    /// <summary>Ends a reply line left open (the app is stopping) and shows any waiting notices.</summary>
    public void Close() => EndLine();

    private void ShowNotice(StatusNotice notice)
    {
        var color = notice.Level switch { NoticeLevel.Error => "red", NoticeLevel.Warning => "yellow", _ => "grey" };
        Line($"[{color}]● {Markup.Escape(notice.Source)}: {Markup.Escape(notice.Text)}[/]");
    }

    /// <summary>For recognized speech: speech end → transcript, and the engine that heard it.</summary>
    private string Recognized(TranscriptFinal transcript) =>
        showLatency && transcript.RecognitionLatency is { } latency
            ? $"  [grey]⏱ heard in {Ms(latency)} · {Markup.Escape(transcript.Recognizer ?? "")}[/]"
            : "";

    private static string Ms(TimeSpan? value) => value is null ? "–" : $"{value.Value.TotalMilliseconds:0} ms";

    private void Line(string markup)
    {
        EndLine();
        console.MarkupLine(markup);
    }

    private void EndLine()
    {
        if (!_midLine) return;
        console.WriteLine();
        _midLine = false;
        var deferred = _deferred.ToList();
        _deferred.Clear();
        foreach (var notice in deferred) ShowNotice(notice);
    }
}
