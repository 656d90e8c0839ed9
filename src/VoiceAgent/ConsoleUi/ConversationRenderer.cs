using Spectre.Console;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.ConsoleUi;

/// <summary>The assistant's state, as the status line shows it.</summary>
public enum AgentState
{
    Listening,
    /// <summary>The user is talking (voice activity), whether or not the agent was speaking.</summary>
    HearingYou,
    Thinking,
    Speaking,
    Interrupted,
}

/// <summary>
/// Renders pipeline events as a readable conversation: the user's words, the reply as it streams,
/// and per-turn latency; and, on a terminal that has one, the status line: the state (listening /
/// hearing you / thinking / speaking / interrupted), the microphone's level and the last turn's
/// latency. Plain class, so it is tested without actors; the ConsoleViewActor feeds it.
/// </summary>
public sealed class ConversationRenderer(IAnsiConsole console, bool echoTypedLines, bool showLatency, IStatusDisplay? statusDisplay = null)
{
    private TurnId _turn = TurnId.None;
    private TurnLatency? _latency;
    private string _label = "agent";
    // Lines that arrive while the reply is mid-line, shown after it so it reads in one piece.
    private readonly List<string> _deferred = [];
    private PreemptiveReply? _preemptive;
    private bool _midLine;
    private bool _userSpeaking;
    private bool _playing;
    private bool _interrupted;
    private StatusSnapshot _status = new();
    private StatusSnapshot? _shown;

    public AgentState State =>
        _userSpeaking ? AgentState.HearingYou
        : _turn.IsNone ? AgentState.Listening
        : _interrupted ? AgentState.Interrupted
        : _playing ? AgentState.Speaking
        : AgentState.Thinking;

    /// <summary>What the status line shows now.</summary>
    public StatusSnapshot Status => _status with { State = State };

    /// <summary>The microphone's level, about ten times a second.</summary>
    public void Render(MicrophoneLevel level)
    {
        _status = _status with { Microphone = level.Device, MicrophoneDbfs = level.RmsDbfs };
        ShowStatus();
    }

    public void Render(IPipelineEvent e)
    {
        Show(e);
        ShowStatus();
    }

    private void Show(IPipelineEvent e)
    {
        switch (e)
        {
            case CaptureStarted capture:
                _status = _status with { Microphone = capture.Device, MicrophoneDbfs = null };
                break;
            case CaptureEnded or CaptureFailed:
                _status = _status with { Microphone = null, MicrophoneDbfs = null };
                break;
            case UserSpeechStarted:
                _userSpeaking = true;
                break;
            case UserSpeechDismissed or UserSpeechEnded:
                _userSpeaking = false;
                break;
            case RecognizerReady ready:
                // A recognizer that loads slowly is ready while the first reply streams: after it.
                Aside($"[grey]●[/] {Markup.Escape(ready.Description)}");
                break;
            case StatusNotice notice when _midLine && notice.Level != NoticeLevel.Error:
                _deferred.Add(NoticeMarkup(notice));
                break;
            case StatusNotice notice:
                Line(NoticeMarkup(notice));
                break;
            case BackchannelHeard backchannel:
                _status = _status with { Backchannels = _status.Backchannels + 1 };
                Aside($"[grey]  · \"{Markup.Escape(backchannel.Text)}\": a backchannel, I kept talking[/]");
                break;
            case EchoTranscriptDropped echo:
                _status = _status with { EchoTranscriptsDropped = _status.EchoTranscriptsDropped + 1 };
                Aside($"[grey]  · ignored \"{Markup.Escape(echo.Text)}\": my own voice[/]");
                break;
            case PreemptiveReply preemptive:
                _preemptive = preemptive; // shown beside the turn's latency
                break;
            case TranscriptFinal transcript when transcript.Source != InputSource.Keyboard || echoTypedLines:
                Line($"[bold green]you ›[/] {Markup.Escape(transcript.Text)}{Recognized(transcript)}");
                break;
            case AgentTurnStarted started:
                _turn = started.Turn;
                _playing = false;
                _interrupted = false;
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
                _playing = true;
                break;
            case BargeIn bargeIn when bargeIn.Turn == _turn:
                _interrupted = true;
                break;
            case AgentTurnEnded ended when ended.Turn == _turn:
                EndLine();
                if (ended.Outcome == TurnOutcome.Interrupted)
                    Line($"  [yellow]⏸ interrupted[/] [grey]— heard: \"{Markup.Escape(ended.HeardText)}\"[/]");
                else if (ended.Outcome == TurnOutcome.Failed)
                    Line($"  [red]✗ {Markup.Escape(ended.Error ?? "the reply failed")}[/]");
                if (_latency is { } measured && measured.Turn == ended.Turn && showLatency)
                    Line($"  [grey]⏱ first text {Ms(measured.FirstText)} · first audio {Ms(measured.FirstAudio)}{Preemptive()}[/]");
                _latency = null;
                _preemptive = null;
                _turn = TurnId.None;
                break;
            case TurnLatency latency:
                _latency = latency; // shown when the turn ends, not in the middle of the reply
                _status = _status with { LastFirstText = latency.FirstText, LastFirstAudio = latency.FirstAudio };
                break;
        }
    }

    /// <summary>Sends the status to the display when it changed.</summary>
    private void ShowStatus()
    {
        if (statusDisplay is null) return;
        var now = Status;
        if (now == _shown) return;
        _shown = now;
        statusDisplay.Show(now);
    }

    /// <summary>Ends a reply line left open (the app is stopping) and shows any waiting notices.</summary>
    public void Close() => EndLine();

    private static string NoticeMarkup(StatusNotice notice)
    {
        var color = notice.Level switch { NoticeLevel.Error => "red", NoticeLevel.Warning => "yellow", _ => "grey" };
        return $"[{color}]● {Markup.Escape(notice.Source)}: {Markup.Escape(notice.Text)}[/]";
    }

    /// <summary>A line beside the conversation: after the reply's line when one is open.</summary>
    private void Aside(string markup)
    {
        if (_midLine) _deferred.Add(markup);
        else Line(markup);
    }

    /// <summary>For recognized speech: the silence that ended the turn and why, speech end →
    /// transcript, and the engine that heard it.</summary>
    private string Recognized(TranscriptFinal transcript)
    {
        if (!showLatency) return "";
        var turnEnd = transcript.EndOfTurnDelay is { } delay
            ? $"turn ended after {Ms(delay)}{(transcript.EndOfTurnReason is { } reason ? $" ({Markup.Escape(reason)})" : "")} · "
            : "";
        return transcript.RecognitionLatency is { } latency
            ? $"  [grey]⏱ {turnEnd}heard in {Ms(latency)} · {Markup.Escape(transcript.Recognizer ?? "")}[/]"
            : "";
    }

    /// <summary>For a reply started before the user's turn was over: how much earlier it began.</summary>
    private string Preemptive() => _preemptive is { Outcome: PreemptiveOutcome.Used } used
        ? $" · started {Ms(used.Saved)} before the end of your turn"
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
        foreach (var line in deferred) console.MarkupLine(line);
    }
}
