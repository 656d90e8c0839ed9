using System.Diagnostics.CodeAnalysis;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;

namespace VoiceAgent.Simulation;

/// <summary>
/// Everything a scenario file says is checked when it is loaded, so a mistake is one line naming
/// the field (and the simulation exits with code 2) instead of a crash halfway through a run:
/// missing or null sections, numbers out of range, speech files that are not readable WAV.
/// </summary>
internal static class ScenarioValidation
{
    public static void Check(Scenario scenario, string path)
    {
        [DoesNotReturn]
        void Fail(string field, string problem) => throw new ScenarioException($"{path}: \"{field}\" {problem}.");
        void Range(string field, double value, double low, double high, string unit = "")
        {
            if (!double.IsFinite(value) || value < low || value > high)
                Fail(field, $"is {value}{unit}: use {low}{unit} to {high}{unit}");
        }
        void Count(string field, int? value)
        {
            if (value is < 0 or > 1000) Fail(field, $"is {value}: use 0 to 1000");
        }

        if (scenario.Name is null || scenario.Description is null || scenario.Reply is null || scenario.Prompt is null)
            Fail("name/description/reply/prompt", "must be text, not null");
        if (!string.IsNullOrWhiteSpace(scenario.Reply) && !string.IsNullOrWhiteSpace(scenario.Prompt))
            throw new ScenarioException($"{path}: a scenario needs either a \"reply\" for the agent to speak or a \"prompt\" for it to answer, not both.");
        if (scenario.User is null) Fail("user", "must be a list of sounds (or left out), not null");
        // The user starts: without an utterance to answer nothing would happen.
        if (scenario.IsUserLed && (scenario.User.Count == 0 || scenario.User.Any(s => s is { Speech: null })))
            throw new ScenarioException($"{path}: a scenario needs either a \"reply\" for the agent to speak, a \"prompt\" for it to answer, or user speech (only speech) that starts the conversation.");
        if (scenario.StopReplyAfter is { } stopAfter) Range("stopReplyAfter", stopAfter, 0, 600, " s");
        if (scenario.Settings is null) Fail("settings", "must be an object of \"key\": \"value\" settings (or left out), not null");
        if (scenario.Expect is null) Fail("expect", "must be an object (or left out), not null");
        if (scenario.Room is null) Fail("room", "must be an object (or left out), not null");

        Range("timeout", scenario.Timeout, 1, 3600, " s");
        Range("tail", scenario.Tail, 0, 600, " s");
        Range("room.echoDelay", scenario.Room.EchoDelay, 0, 2, " s");
        Range("room.echoGain", scenario.Room.EchoGain, 0, 4);
        Range("room.reverbSpacing", scenario.Room.ReverbSpacing, 0, 2, " s");
        Range("room.reverbDecay", scenario.Room.ReverbDecay, 0, 0.99);
        if (scenario.Room.NoiseDbfs is { } noise) Range("room.noiseDbfs", noise, -120, 0, " dBFS");

        foreach (var (key, value) in scenario.Settings)
            if (value is null) Fail($"settings.{key}", "is null: give the value as text, e.g. \"300ms\"");

        Count("expect.interruptions", scenario.Expect.Interruptions);
        Count("expect.falseInterruptions", scenario.Expect.FalseInterruptions);
        Count("expect.pauses", scenario.Expect.Pauses);
        Count("expect.resumes", scenario.Expect.Resumes);
        Count("expect.turns", scenario.Expect.Turns);
        Count("expect.maxFalseInterruptions", scenario.Expect.MaxFalseInterruptions);
        Count("expect.backchannels", scenario.Expect.Backchannels);
        Count("expect.minEchoTranscriptsDropped", scenario.Expect.MinEchoTranscriptsDropped);
        Count("expect.userTurns", scenario.Expect.UserTurns);
        Count("expect.toolCallsCancelled", scenario.Expect.ToolCallsCancelled);
        Count("expect.preemptiveRepliesUsed", scenario.Expect.PreemptiveRepliesUsed);
        Count("expect.preemptiveRepliesDiscarded", scenario.Expect.PreemptiveRepliesDiscarded);
        TurnTakingValidation.Check(scenario, path);
        if (scenario.Expect.MaxDetectionMs is { } detection) Range("expect.maxDetectionMs", detection, 0, 60_000, " ms");
        if (scenario.Expect.MaxSilentAfterDetectionMs is { } silent) Range("expect.maxSilentAfterDetectionMs", silent, 0, 60_000, " ms");

        for (var i = 0; i < scenario.User.Count; i++)
        {
            var sound = scenario.User[i];
            var field = $"user[{i}]";
            if (sound is null) Fail(field, "is null: give a sound like {\"at\": 1.5, \"cough\": 0.3}");
            if (sound.Continues && (!scenario.IsUserLed || i == 0))
                Fail($"{field}.continues", "only goes on with the sound before it, in a conversation the user starts: leave it out here");
            if ((sound.Speech is null) == (sound.Cough is null))
                throw new ScenarioException($"{path}: each user sound needs exactly one of \"speech\" (a WAV file) or \"cough\" (seconds).");
            Range($"{field}.at", sound.At, 0, scenario.Timeout, " s");
            Range($"{field}.gainDb", sound.GainDb, -60, 40, " dB");
            if (sound.Cough is { } cough && (!double.IsFinite(cough) || cough <= 0 || cough > 10))
                Fail($"{field}.cough", $"is {cough} s: use more than 0 and at most 10 s");
            if (sound.Speech is { } speech)
            {
                Range($"{field}.from", sound.From, 0, 3600, " s");
                Range($"{field}.length", sound.Length, 0, 3600, " s");
                var file = scenario.Resolve(speech);
                if (!File.Exists(file)) Fail($"{field}.speech", $"names {speech}, which does not exist (looked at {file})");
                WavAudio audio;
                try
                {
                    audio = WavFile.Read(file);
                }
                catch (Exception e) when (e is AudioFormatException or ArgumentException or IOException or UnauthorizedAccessException)
                {
                    throw new ScenarioException($"{path}: \"{field}.speech\" {speech} is not a readable WAV file ({e.Message.TrimEnd('.')}): use 16-bit PCM WAV.");
                }
                if (audio.SampleRate is < 8000 or > 192_000 || audio.Samples.Length == 0)
                    Fail($"{field}.speech", $"{speech} has no usable audio ({audio.Samples.Length} samples at {audio.SampleRate} Hz)");
                if (sound.From >= audio.Duration.TotalSeconds)
                    Fail($"{field}.from", $"is {sound.From} s, but {speech} lasts {audio.Duration.TotalSeconds:0.##} s");
            }
        }
    }
}
