using System.Globalization;
using Spectre.Console;

namespace VoiceAgent.ConsoleUi;

/// <summary>What the status line shows: the assistant's state, the microphone and its level
/// (when one is open) and the last turn's latency.</summary>
public sealed record StatusSnapshot
{
    public AgentState State { get; init; } = AgentState.Listening;

    /// <summary>The open microphone's name; null when there is none (text mode).</summary>
    public string? Microphone { get; init; }

    /// <summary>The microphone's latest level (RMS over the last tenth of a second).</summary>
    public double? MicrophoneDbfs { get; init; }

    /// <summary>The last completed turn: end of the user's words to the reply's first text and audio.</summary>
    public TimeSpan? LastFirstText { get; init; }

    public TimeSpan? LastFirstAudio { get; init; }

    /// <summary>Since the start: backchannels heard over the agent (it kept talking).</summary>
    public int Backchannels { get; init; }

    /// <summary>Since the start: transcripts of the agent's own voice, dropped.</summary>
    public int EchoTranscriptsDropped { get; init; }
}

/// <summary>Where the renderer sends the status; only an interactive terminal has one.</summary>
public interface IStatusDisplay
{
    void Show(StatusSnapshot status);
}

/// <summary>One styled piece of the status line.</summary>
public readonly record struct StatusSegment(string Text, Style? Style = null);

/// <summary>Turns a <see cref="StatusSnapshot"/> into the pieces of one line:
/// <c>● speaking · mic ▮▮▮▯▯▯ -32 dBFS · last reply: first audio 480 ms</c>.</summary>
public static class StatusLineFormat
{
    private const int MeterCells = 6;
    private const double MeterFloorDbfs = -60;
    private static readonly Style Quiet = new(Color.Grey);

    public static IReadOnlyList<StatusSegment> Segments(StatusSnapshot status)
    {
        var (word, color) = Describe(status.State);
        var segments = new List<StatusSegment>
        {
            new("● ", new Style(color)),
            new(word, new Style(color, decoration: Decoration.Bold)),
            new(" · ", Quiet),
        };
        if (status.Microphone is null)
            segments.Add(new("no microphone: type to talk", Quiet));
        else
        {
            segments.Add(new("mic "));
            if (status.MicrophoneDbfs is { } level)
            {
                var lit = Lit(level);
                segments.Add(new(new string('▮', lit), new Style(Color.Green)));
                segments.Add(new(new string('▯', MeterCells - lit), Quiet));
                segments.Add(new($" {Db(level)} dBFS"));
            }
            else
                segments.Add(new("open", Quiet));
        }
        if (status.LastFirstAudio is { } audio)
            segments.Add(new($" · last reply: first audio {Ms(audio)}", Quiet));
        else if (status.LastFirstText is { } text)
            segments.Add(new($" · last reply: first text {Ms(text)}", Quiet));
        if (status.Backchannels > 0) segments.Add(new($" · backchannels {status.Backchannels}", Quiet));
        if (status.EchoTranscriptsDropped > 0) segments.Add(new($" · own voice ignored {status.EchoTranscriptsDropped}", Quiet));
        return segments;
    }

    /// <summary>The line without styles.</summary>
    public static string Plain(StatusSnapshot status) => string.Concat(Segments(status).Select(s => s.Text));

    public static string Word(AgentState state) => Describe(state).Word;

    private static (string Word, Color Color) Describe(AgentState state) => state switch
    {
        AgentState.HearingYou => ("hearing you", Color.Aqua),
        AgentState.Thinking => ("thinking", Color.Yellow),
        AgentState.Speaking => ("speaking", Color.Blue),
        AgentState.Interrupted => ("interrupted", Color.Fuchsia),
        _ => ("listening", Color.Green),
    };

    private static int Lit(double dbfs) =>
        double.IsNegativeInfinity(dbfs) ? 0 : (int)Math.Clamp(Math.Round((dbfs - MeterFloorDbfs) / -MeterFloorDbfs * MeterCells), 0, MeterCells);

    private static string Db(double dbfs) =>
        double.IsNegativeInfinity(dbfs) ? "-inf" : Math.Round(dbfs).ToString("0", CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0} ms";
}
