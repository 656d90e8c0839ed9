using System.Text.Json.Serialization;
using System.Text.Json;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Simulation;

/// <summary>
/// A scripted conversation moment in the virtual room: the agent speaks <see cref="Reply"/>
/// (through the real TTS path) and the user makes sounds at times counted from the moment the
/// reply starts playing. Or, with neither a reply nor a prompt, a conversation the user starts:
/// each user sound is an utterance that is recognized and answered, played once the answer to
/// the one before has ended (see <see cref="IsUserLed"/>). Loaded from a JSON file (see
/// scenarios/*.json). Times are in seconds.
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>The agent says exactly this (a Say command; the whole text reaches TTS at once).</summary>
    public string Reply { get; init; } = "";

    /// <summary>Or: the user types this, and the conversation's responder streams its answer
    /// word by word, as a language model would (TTS is still receiving text while it speaks).</summary>
    public string Prompt { get; init; } = "";

    /// <summary>In a conversation the user starts: how many seconds of each answer's audio play
    /// before the answer is stopped (as the console's /stop does), so that a run of many turns
    /// stays short; null lets every answer finish.</summary>
    public double? StopReplyAfter { get; init; }

    /// <summary>Neither a reply nor a prompt: the user speaks first, and every user sound is an
    /// utterance for the recognizer (a speech recognizer must be configured in the settings).</summary>
    [JsonIgnore]
    public bool IsUserLed => string.IsNullOrWhiteSpace(Reply) && string.IsNullOrWhiteSpace(Prompt);

    public RoomSetup Room { get; init; } = new();
    public IReadOnlyList<UserSound> User { get; init; } = [];

    /// <summary>Configuration overrides (<c>key=value</c> as with -D), e.g. the microphone mode.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds to keep listening after the reply ends.</summary>
    public double Tail { get; init; } = 1.0;

    /// <summary>Longest run, in seconds, whatever happens.</summary>
    public double Timeout { get; init; } = 60;

    public Expectations Expect { get; init; } = new();

    /// <summary>Who transcribes the user: "scripted" (the words given with each sound, by a test
    /// double) or "real" (the recognizer the settings configure, on the audio). Left out: scripted
    /// when any sound has a transcript, real otherwise.</summary>
    public string? Recognizer { get; init; }

    /// <summary>The scripted recognizer takes this many seconds per utterance (a slow recognizer).</summary>
    public double RecognitionDelay { get; init; }

    /// <summary>Tools offered to the conversation for the run (answered after a delay).</summary>
    public IReadOnlyList<ScenarioTool> Tools { get; init; } = [];

    /// <summary>Whether the scripted recognizer (a test double) hears the user instead of a real one.</summary>
    [JsonIgnore]
    public bool UsesScriptedRecognizer => Recognizer is null
        ? User?.Any(s => s?.Transcript is not null) == true
        : string.Equals(Recognizer, "scripted", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder relative paths are resolved from (the scenario file's).</summary>
    [JsonIgnore]
    public string Folder { get; init; } = Environment.CurrentDirectory;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Scenario Load(string path)
    {
        if (!File.Exists(path)) throw new ScenarioException($"scenario file {path} not found.");
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(path), Json);
        }
        catch (JsonException e) when (e.Path is { Length: > 1 } field)
        {
            // The field and what was wrong with it (a number too large for its kind, text for a number, …).
            throw new ScenarioException($"{path}: \"{field.TrimStart('$', '.')}\" has a value of the wrong kind or out of range (line {e.LineNumber + 1}).");
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{path}: not a valid scenario ({e.Message.ReplaceLineEndings(" ")}).");
        }
        if (scenario is null)
            throw new ScenarioException($"{path}: a scenario is a JSON object with a \"reply\" or a \"prompt\".");
        scenario = scenario with { Folder = Path.GetDirectoryName(Path.GetFullPath(path))! };
        ScenarioValidation.Check(scenario, path);
        return scenario with
        {
            Name = string.IsNullOrWhiteSpace(scenario.Name) ? Path.GetFileNameWithoutExtension(path) : scenario.Name,
        };
    }

    /// <summary>A path from the scenario: absolute, or relative to the scenario file.</summary>
    public string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Folder, path));
}

/// <summary>The room's acoustics (defaults: the virtual room's, a laptop on a desk).</summary>
public sealed record RoomSetup
{
    /// <summary>Speaker-to-microphone delay in seconds.</summary>
    public double EchoDelay { get; init; } = 0.05;

    /// <summary>Level of the echo relative to what is played (0.3 is the room's default).</summary>
    public double EchoGain { get; init; } = 0.3;

    /// <summary>Spacing of reflections in seconds; 0 for none.</summary>
    public double ReverbSpacing { get; init; }

    public double ReverbDecay { get; init; } = 0.4;

    /// <summary>Background noise level in dBFS; null for none.</summary>
    public double? NoiseDbfs { get; init; }
}

/// <summary>Something the user does, <see cref="At"/> seconds after the reply starts playing; in
/// a conversation the user starts, <see cref="At"/> seconds after the answer to the previous
/// utterance ended (the first utterance: after the room started listening).</summary>
public sealed record UserSound
{
    public double At { get; init; }

    /// <summary>A WAV file of speech.</summary>
    public string? Speech { get; init; }

    /// <summary>Where in the file to start, and how much to play (seconds; 0 = to the end).</summary>
    public double From { get; init; }

    public double Length { get; init; }

    /// <summary>A cough-like burst of this many seconds.</summary>
    public double? Cough { get; init; }

    /// <summary>Level in dB applied to the sound.</summary>
    public double GainDb { get; init; }

    /// <summary>What the scripted recognizer hears in this sound ("uh-huh", "stop, never mind").</summary>
    public string? Transcript { get; init; }

    /// <summary>In a conversation the user starts: the sound goes on with the user's turn, played
    /// <see cref="At"/> seconds after the previous sound ends without waiting for an answer (a
    /// speaker pausing mid-sentence).</summary>
    public bool Continues { get; init; }

    public bool IsSpeech => Speech is not null;

    public string Describe() =>
        (Speech is not null ? $"speech {Path.GetFileName(Speech)}" : $"cough {Cough:0.###} s")
        + (Transcript is null ? "" : $" \"{Transcript}\"");

    /// <summary>The sound at 16 kHz.</summary>
    public short[] Load(Scenario scenario)
    {
        short[] samples;
        if (Speech is not null)
        {
            var path = scenario.Resolve(Speech);
            if (!File.Exists(path)) throw new ScenarioException($"{scenario.Name}: user speech {Speech} not found (looked at {path}).");
            var wav = WavFile.Read(path);
            samples = Resampler.Convert(wav.Samples, wav.SampleRate, CaptureFormat.SampleRate);
            var from = Math.Min(samples.Length, Pcm16.SamplesFor(TimeSpan.FromSeconds(From), CaptureFormat.SampleRate));
            var length = Length > 0 ? Pcm16.SamplesFor(TimeSpan.FromSeconds(Length), CaptureFormat.SampleRate) : samples.Length - from;
            samples = samples[from..Math.Min(samples.Length, from + length)];
        }
        else
        {
            samples = CoughSound.Create(TimeSpan.FromSeconds(Cough!.Value));
        }
        if (GainDb != 0)
        {
            var gain = Math.Pow(10, GainDb / 20);
            samples = samples.Select(s => Pcm16.FromScaled(s * gain)).ToArray();
        }
        return samples;
    }
}

/// <summary>A tool the scenario offers the conversation: each call is answered with
/// <see cref="Result"/> after <see cref="Seconds"/> (a slow lookup).</summary>
public sealed record ScenarioTool
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public double Seconds { get; init; }
    public string Result { get; init; } = "";

    /// <summary>A call under way when the user interrupts runs to its end (see <see cref="OfferTool.FinishIfInterrupted"/>).</summary>
    public bool FinishIfInterrupted { get; init; }
}

public sealed class ScenarioException(string message) : Exception(message);
