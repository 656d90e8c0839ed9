using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAgent.Audio;
using VoiceAgent.Configuration;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;

namespace VoiceAgent.Composition;

/// <summary>What <see cref="SayRunner"/> produced: the PCM playback would have received.</summary>
public sealed record SayResult(short[] Samples, int SampleRate, string HeardText, SpeechMetrics? Metrics, string? Error)
{
    public TimeSpan Duration => Pcm16.Duration(Samples.Length, SampleRate);
}

/// <summary>
/// The core of <c>voice-agent say</c>: speaks one text as an agent turn through the real
/// TtsActor in a small actor system, with a collector standing in for the PlaybackActor, so the
/// result is exactly what would have been played (stale-turn filtering included). Built by the
/// composition root like every other host, with only the TTS path running.
/// </summary>
public static class SayRunner
{
    /// <summary>Speaks <paramref name="text"/>, streamed word by word like LLM output.</summary>
    public static async Task<SayResult> RunAsync(ISpeechSynthesizer synthesizer, string text, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Nothing to say: give the text to speak.", nameof(text));
        var done = new TaskCompletionSource<SayResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "voice-agent" });
        builder.Logging.ClearProviders();
        builder.Services.AddVoiceAgent(DefaultConfig.Load().Config, voice => voice
            .Named("say")
            .ConfigureActorSystem(akka => akka.AddHocon("akka.loglevel = ERROR\nakka.stdout-loglevel = ERROR\nakka.log-dead-letters = off", HoconAddMode.Prepend))
            .UseSynthesizer(synthesizer)
            .SpeakOnly(Props.Create(() => new PlaybackCollector(synthesizer.OutputSampleRate, done))));
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var tts = host.Services.GetRequiredService<ActorRegistry>().Get<TtsActorKey>();
            var turn = new TurnId(1);
            tts.Tell(new AgentTurnStarted(turn, text, "say", DateTimeOffset.UtcNow));
            foreach (var word in Words(text)) tts.Tell(new AgentText(turn, word));
            tts.Tell(new AgentTextCompleted(turn, text));

            await using var registration = ct.Register(() => done.TrySetCanceled(ct));
            return await done.Task;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Writes the result as a 16-bit mono WAV file.</summary>
    public static void WriteWav(SayResult result, string path) => WavFile.Write(path, result.Samples, result.SampleRate);

    /// <summary>Splits text into words with their trailing spaces, as a chat model streams them.</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i])))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    /// <summary>Stands in for the PlaybackActor: keeps what would be played.</summary>
    private sealed class PlaybackCollector : ReceiveActor
    {
        private readonly List<short> _samples = new();
        private readonly StringBuilder _heard = new();
        private SpeechMetrics? _metrics;
        private string? _error;

        public PlaybackCollector(int sampleRate, TaskCompletionSource<SayResult> done)
        {
            Receive<AudioChunk>(chunk =>
            {
                _samples.AddRange(chunk.Samples.Span);
                if (chunk.Text is not null) _heard.Append(chunk.Text);
            });
            Receive<SpeechFailed>(m => _error = m.Reason);
            Receive<SpeechMetrics>(m => _metrics = m);
            // The TtsActor publishes failure and metrics before it tells us the turn is complete.
            Receive<SpeechCompleted>(_ => done.TrySetResult(new SayResult(_samples.ToArray(), sampleRate, _heard.ToString(), _metrics, _error)));
        }
    }
}
