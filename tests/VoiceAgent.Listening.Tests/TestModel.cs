using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Listening.Tests;

/// <summary>The real Silero model (models/, fetched by scripts/fetch-vad-model.sh) and helpers to feed audio.</summary>
internal static class TestModel
{
    public static string Path => RepoPaths.Model(VadModelFile.FileName);

    public static SileroVadModel Silero() => new(VadModelFile.Resolve(Path));

    public static short[] Jfk() => WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples;

    /// <summary>An agent's voice: espeak-ng (the synthesizer behind the embedded TTS server), 16 kHz.</summary>
    public static short[] Espeak(string text)
    {
        var audio = EspeakAsPlayed(text);
        return Resampler.Convert(audio.Samples, audio.SampleRate, CaptureFormat.SampleRate);
    }

    /// <summary>The agent's voice at the synthesizer's own rate, as the player plays it.</summary>
    public static WavAudio EspeakAsPlayed(string text)
    {
        var start = new System.Diagnostics.ProcessStartInfo("espeak-ng", ["-v", "en-us", "--stdout", text])
        {
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        using var wav = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(wav);
        process.WaitForExit();
        return WavFile.Parse(wav.ToArray(), "espeak-ng output");
    }

    public const string AgentReply =
        "Hello there. I am your voice assistant and I can talk for quite a while about many different things, " +
        "such as the weather, the news, and how to cook pasta properly.";

    /// <summary>Feeds audio to the engine in 20 ms frames from <paramref name="start"/>.</summary>
    public static List<ListeningEvent> Feed(ListeningEngine engine, ReadOnlySpan<short> audio, TimeSpan start = default, bool windows = false)
    {
        var events = new List<ListeningEvent>();
        for (var offset = 0; offset + CaptureFormat.FrameSamples <= audio.Length; offset += CaptureFormat.FrameSamples)
        {
            var position = start + Pcm16.Duration(offset, CaptureFormat.SampleRate);
            events.AddRange(engine.Process(audio.Slice(offset, CaptureFormat.FrameSamples), position, windows));
        }
        return events;
    }
}
