using System.Globalization;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Tests;

/// <summary>What reached a listener, in the order it came. Times count from the moment capture
/// began (capture position zero).</summary>
internal abstract record RecordedInput(TimeSpan ArrivedAt);

/// <summary>A 20 ms microphone frame starting at sample <paramref name="FirstSample"/> of the microphone track.</summary>
internal sealed record RecordedFrame(long FirstSample, TimeSpan ArrivedAt) : RecordedInput(ArrivedAt);

/// <summary>A piece of played audio: <paramref name="Length"/> samples of the played track from
/// <paramref name="FirstSample"/>, stamped by the player with when it is heard.</summary>
internal sealed record RecordedPiece(long FirstSample, int Length, TimeSpan PlayedAt, bool Continues, TimeSpan ArrivedAt) : RecordedInput(ArrivedAt);

/// <summary>
/// A recording of a listener's input: the microphone (16 kHz) and the played audio (at the
/// player's rate) as two WAV files, and a timeline of when each microphone frame arrived and
/// each piece of played audio was announced, with the player's stamps.
/// </summary>
internal sealed record ListeningRecording(short[] Microphone, short[] Played, int PlayedRate, IReadOnlyList<RecordedInput> Timeline)
{
    private const string MicrophoneFile = "microphone.wav";
    private const string PlayedFile = "played.wav";
    private const string TimelineFile = "timeline.csv";

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        WavFile.Write(Path.Combine(folder, MicrophoneFile), Microphone, CaptureFormat.SampleRate);
        WavFile.Write(Path.Combine(folder, PlayedFile), Played, PlayedRate);
        // Ticks, so the stamps come back exactly.
        File.WriteAllLines(Path.Combine(folder, TimelineFile), Timeline.Select(input => input switch
        {
            RecordedFrame f => FormattableString.Invariant($"frame,{f.FirstSample},{f.ArrivedAt.Ticks}"),
            RecordedPiece p => FormattableString.Invariant($"played,{p.FirstSample},{p.Length},{p.PlayedAt.Ticks},{(p.Continues ? 1 : 0)},{p.ArrivedAt.Ticks}"),
            _ => throw new InvalidOperationException(input.ToString()),
        }));
    }

    public static ListeningRecording Load(string folder)
    {
        var microphone = WavFile.Read(Path.Combine(folder, MicrophoneFile));
        var played = WavFile.Read(Path.Combine(folder, PlayedFile));
        var timeline = File.ReadAllLines(Path.Combine(folder, TimelineFile)).Select(line =>
        {
            var fields = line.Split(',');
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return fields[0] == "frame"
                ? (RecordedInput)new RecordedFrame(Field(1), TimeSpan.FromTicks(Field(2)))
                : new RecordedPiece(Field(1), (int)Field(2), TimeSpan.FromTicks(Field(3)), Field(4) == 1, TimeSpan.FromTicks(Field(5)));
        }).ToList();
        return new ListeningRecording(microphone.Samples, played.Samples, played.SampleRate, timeline);
    }

    /// <summary>Gives the engine what the devices gave the listener, as it came, with capture
    /// having begun at <paramref name="captureStart"/> on the wall clock.</summary>
    public List<ListeningEvent> Replay(ListeningEngine engine, DateTimeOffset captureStart)
    {
        var events = new List<ListeningEvent>();
        foreach (var input in Timeline)
        {
            var arrivedAt = captureStart + input.ArrivedAt;
            events.AddRange(input switch
            {
                RecordedFrame f => engine.Process(
                    new AudioFrame(Microphone.AsMemory((int)f.FirstSample, CaptureFormat.FrameSamples), Pcm16.Duration(f.FirstSample, CaptureFormat.SampleRate)) { ArrivedAt = arrivedAt },
                    arrivedAt),
                RecordedPiece p => engine.AddReference(new PlaybackReference(Played.AsMemory((int)p.FirstSample, p.Length), PlayedRate, captureStart + p.PlayedAt, p.Continues)),
                _ => throw new InvalidOperationException(input.ToString()),
            });
        }
        return events;
    }
}
