using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoiceAgent.Simulation;

/// <summary>What a scenario run showed, on the room's timeline (milliseconds since the room
/// started unless named otherwise).</summary>
public sealed record ScenarioReport
{
    public string Scenario { get; init; } = "";
    public RoomSetup Room { get; init; } = new();
    public string MicrophoneMode { get; init; } = "";
    public double? ReplyStartedMs { get; init; }
    public double? ReplyEndedMs { get; init; }
    public string ReplyOutcome { get; init; } = "";
    public IReadOnlyList<UserSoundReport> UserSounds { get; init; } = [];
    public IReadOnlyList<InterruptionReport> Interruptions { get; init; } = [];
    public int FalseInterruptions { get; init; }
    public IReadOnlyList<PauseReport> Pauses { get; init; } = [];
    public IReadOnlyList<double> ResumesMs { get; init; } = [];
    public IReadOnlyList<string> ForceSent { get; init; } = [];

    /// <summary>In a conversation the user starts: each utterance and its answer, in order.</summary>
    public IReadOnlyList<TurnTimingReport> Turns { get; init; } = [];

    /// <summary>Backchannels, echo transcripts, the end of each user turn, preemptive replies, tool calls.</summary>
    public TurnTakingReport TurnTaking { get; init; } = new();
    public bool Passed { get; init; }
    public IReadOnlyList<string> Failures { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A scripted user sound: where it was put and where its sound really begins.</summary>
public sealed record UserSoundReport(string Kind, double StartMs, double OnsetMs, double EndMs)
{
    [JsonIgnore]
    public bool IsSpeech { get; init; }

    /// <summary>Where its sound really ends: the end of its last 10 ms that is not near-silent
    /// (a user's turn ends here, whatever quiet follows in the file).</summary>
    public double LastSoundMs { get; init; } = EndMs;

    /// <summary>It goes on with the user's turn begun by the sound before it.</summary>
    [JsonIgnore]
    public bool Continues { get; init; }
}

/// <summary>A confirmed barge-in.</summary>
/// <param name="OnsetMs">When the user's speech began (from the scripted audio).</param>
/// <param name="DetectedMs">When the recognizer decided the onset, on the capture clock (playback is then ordered to pause).</param>
/// <param name="ConfirmedMs">When the barge-in was confirmed (force, drop, cancel), on the capture clock.</param>
/// <param name="PlaybackSilentMs">When the speakers went silent for good (from the played track).</param>
/// <param name="SilentAfterDetectionMs">From the pause order to silence on the played track.</param>
/// <param name="ForceSent">Whether the TTS actor sent a force frame for the turn.</param>
/// <param name="ByUser">True when user speech was under way: false means a false interruption.</param>
public sealed record InterruptionReport(
    double? OnsetMs,
    double DetectedMs,
    double ConfirmedMs,
    double PlaybackSilentMs,
    double? DetectionLatencyMs,
    double SilentAfterDetectionMs,
    bool ForceSent,
    bool ByUser);

/// <summary>An onset that paused playback, and how it ended (confirmed, dismissed or still open).
/// <paramref name="DetectedMs"/> is when the recognizer decided, on the capture clock (the
/// room's timeline); <see cref="OrderedMs"/> when the pause order was seen in the pipeline (later
/// by however long a busy machine made it wait).</summary>
public sealed record PauseReport(double? OnsetMs, double DetectedMs, double? PlaybackSilentMs, string Outcome, double? ResumedMs, string Cause)
{
    public double OrderedMs { get; init; } = DetectedMs;
}

/// <summary>
/// One utterance of the user and the agent's answer, on the room's timeline: when the user's
/// sound ended, when the recognizer decided the user had finished (end of turn), when the
/// transcript reached the pipeline, when the answer's first text (token) came, and when its
/// first audio sounded on the played track. Null where the turn never got that far.
/// </summary>
public sealed record TurnTimingReport(
    string Heard,
    double SpeechEndMs,
    double? EndOfTurnMs,
    double? TranscriptMs,
    double? FirstTokenMs,
    double? FirstAudioMs)
{
    /// <summary>User speech end → first audio of the answer: what the user waits.</summary>
    public double? VoiceToVoiceMs => Between(SpeechEndMs, FirstAudioMs);

    /// <summary>User speech end → end of turn decided (the silence the VAD waits for).</summary>
    public double? EndOfTurnPartMs => Between(SpeechEndMs, EndOfTurnMs);

    /// <summary>End of turn → transcript (recognition).</summary>
    public double? TranscriptPartMs => Between(EndOfTurnMs, TranscriptMs);

    /// <summary>Transcript → the answer's first token.</summary>
    public double? FirstTokenPartMs => Between(TranscriptMs, FirstTokenMs);

    /// <summary>First token → first audio heard (synthesis, playback buffering).</summary>
    public double? FirstAudioPartMs => Between(FirstTokenMs, FirstAudioMs);

    /// <summary>The pipeline's own voice-to-voice figure (<c>TurnLatency</c>), counted from the
    /// recognizer's estimate of the speech end to the moment the first audio went to the device.</summary>
    public double? PipelineVoiceToVoiceMs { get; init; }

    private static double? Between(double? from, double? to) =>
        from is { } f && to is { } t ? Math.Round(t - f, 1) : null;
}
