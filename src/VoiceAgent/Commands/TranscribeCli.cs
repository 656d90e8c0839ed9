using System.Diagnostics;
using System.Globalization;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Composition;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition.PocketSphinx;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Commands;

/// <summary>The options of <c>voice-agent transcribe</c>; null means "as configured".</summary>
public sealed record TranscribeRequest(string? File, string? Engine, string? Model, string? Language, bool Microphone, double? Seconds);

/// <summary>
/// <c>voice-agent transcribe</c>: a WAV file (resampled to 16 kHz mono) or the microphone (cut
/// into utterances by the VAD, as the assistant does) through the configured or the named
/// recognizer. Exit codes: 0 done, 1 the device or the recognizer failed, 2 bad input (file,
/// engine, model, settings), each with one line.
/// </summary>
public static class TranscribeCli
{
    private const string Prefix = "voice-agent transcribe: ";

    public static async Task<int> RunAsync(TranscribeRequest request, Config config, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (request.Microphone == (request.File is not null))
        {
            await error.WriteLineAsync(Prefix + (request.Microphone
                ? "give a WAV file or --mic, not both."
                : "give a WAV file, or --mic to listen to the microphone (voice-agent transcribe --help)."));
            return 2;
        }
        if (request.Seconds is <= 0)
        {
            await error.WriteLineAsync(Prefix + "--seconds must be more than 0.");
            return 2;
        }

        var settings = Settings(request, config, out var engine, out var problem);
        if (problem is not null)
        {
            await error.WriteLineAsync(Prefix + problem);
            return 2;
        }

        // A bad file is reported before a model is loaded.
        short[]? samples = null;
        if (request.File is { } file)
        {
            try
            {
                var audio = WavFile.Read(file);
                samples = Resampler.Convert(audio.Samples, audio.SampleRate, CaptureFormat.SampleRate);
            }
            catch (AudioFormatException e)
            {
                await error.WriteLineAsync(Prefix + e.Message);
                return 2;
            }
        }

        // The engines the composition root registers, as the assistant gets them.
        await using var engines = new ServiceCollection().AddVoiceAgentEngines(config).BuildServiceProvider();
        var listening = engines.GetRequiredService<IListeningEngines>();
        var loading = Stopwatch.StartNew();
        ISpeechRecognizer recognizer;
        try
        {
            recognizer = engine is { } named ? Start(listening, named, settings) : Choose(listening, settings, error);
        }
        catch (SpeechRecognitionException e)
        {
            await error.WriteLineAsync(Prefix + e.Message);
            return 2;
        }
        using (recognizer)
        {
            loading.Stop();
            if (request.Language is { } language && recognizer is PocketSphinxRecognizer && !HearsEnglish(language))
                await error.WriteLineAsync($"PocketSphinx hears English only (pocketsphinx-en-us): --language {language} is not used.");
            return samples is not null
                ? await FileAsync(samples, recognizer, settings, loading.Elapsed, output, error, cancellationToken)
                : await MicrophoneAsync(request.Seconds, recognizer, settings, listening, engines.GetRequiredService<IAudioDevices>(), output, error, cancellationToken);
        }
    }

    /// <summary>The listening settings with the command's options applied.</summary>
    private static ListeningSettings Settings(TranscribeRequest request, Config config, out RecognizerEngine? engine, out string? problem)
    {
        engine = null;
        problem = null;
        var settings = ListeningSettings.FromConfig(config);
        if (request.Engine is { } name)
        {
            if (!RecognizerAvailability.TryParse(name, out var parsed))
            {
                problem = $"unknown engine '{name}'; one of: whisper, pocketsphinx, openai.";
                return settings;
            }
            engine = parsed;
        }
        if (request.Model is { } model)
        {
            engine ??= RecognizerEngine.Whisper;
            if (engine != RecognizerEngine.Whisper)
            {
                problem = $"--model chooses a Whisper model; it does not go with --engine {request.Engine}.";
                return settings;
            }
            settings = settings with { Whisper = settings.Whisper with { Model = model } };
        }
        if (request.Language is { } language)
            settings = settings with { Language = language, Whisper = settings.Whisper with { Language = language } };
        return settings;
    }

    private static bool HearsEnglish(string language) =>
        language.Equals("auto", StringComparison.OrdinalIgnoreCase)
        || language.Equals("en", StringComparison.OrdinalIgnoreCase)
        || language.StartsWith("en-", StringComparison.OrdinalIgnoreCase);

    private static ISpeechRecognizer Start(IListeningEngines engines, RecognizerEngine engine, ListeningSettings settings)
    {
        var status = RecognizerAvailability.Check(settings)[engine];
        if (!status.Available) throw new SpeechRecognitionException(status.Problem + ".");
        return engines.StartRecognizer(engine, settings);
    }

    private static ISpeechRecognizer Choose(IListeningEngines engines, ListeningSettings settings, TextWriter error)
    {
        var choice = engines.ChooseRecognizer(settings);
        if (choice.Recognizer is null) throw new SpeechRecognitionException(choice.Reason + "; name one with --engine.");
        if (choice.Reason.Length > 0) error.WriteLine($"{choice.Recognizer.Name} listens: {choice.Reason}.");
        return choice.Recognizer;
    }

    private static async Task<int> FileAsync(short[] samples, ISpeechRecognizer recognizer, ListeningSettings settings, TimeSpan loading,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var length = Pcm16.Duration(samples.Length, CaptureFormat.SampleRate);
        // Whisper invents words ("Thank you.") for silence: near-silent audio is never sent.
        var level = Pcm16.RmsDbfs(samples);
        if (level < settings.SilenceFloorDbfs)
        {
            var measured = double.IsFinite(level) ? Invariant($"{level:0} dBFS") : "digital silence";
            await output.WriteLineAsync(Invariant($"{length.TotalSeconds:0.0} s of audio, near-silent ({measured}, below listening.silence-floor-dbfs): nothing to transcribe · {recognizer.Name}"));
            return 0;
        }
        var timer = Stopwatch.StartNew();
        string text;
        try
        {
            text = await recognizer.TranscribeAsync(samples, cancellationToken);
        }
        catch (SpeechRecognitionException e)
        {
            await error.WriteLineAsync(Prefix + e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync(Prefix + "stopped.");
            return 1;
        }
        if (text.Length > 0) await output.WriteLineAsync(text);
        await output.WriteLineAsync(Invariant($"{length.TotalSeconds:0.0} s of audio in {timer.Elapsed.TotalSeconds:0.00} s · {recognizer.Name}{(text.Length == 0 ? " · no words heard" : "")} (model loaded in {loading.TotalSeconds:0.00} s)"));
        return 0;
    }

    private static async Task<int> MicrophoneAsync(double? seconds, ISpeechRecognizer recognizer, ListeningSettings settings,
        IListeningEngines engines, IAudioDevices devices, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Nothing plays while transcribing: the microphone is all user.
        var (engine, problem) = engines.CreateEngine(settings with { Mode = MicrophoneMode.Headset });
        if (engine is null)
        {
            await error.WriteLineAsync(Prefix + problem);
            return 2;
        }
        using var _ = engine;
        var capture = devices.OpenCapture(out var notice);
        if (capture is null)
        {
            await error.WriteLineAsync(Prefix + (notice?.Text ?? "no microphone (voice-agent.audio.input = none)"));
            return 1;
        }
        await using var __ = capture;
        var limit = seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        await error.WriteLineAsync($"Listening on {capture.Name} with {recognizer.Name}{(limit is { } l ? Invariant($" for {l.TotalSeconds:0.#} s") : "")}; each utterance is printed when it ends. Ctrl+C stops.");

        var printing = new object();
        var pending = new List<Task>();
        var end = TimeSpan.Zero;
        try
        {
            await foreach (var frame in capture.ReadFramesAsync(cancellationToken))
            {
                pending.AddRange(Utterances(engine.Process(frame.Samples.Span, frame.Position)).Select(Transcribe));
                end = frame.Position + Pcm16.Duration(frame.Samples.Length, CaptureFormat.SampleRate);
                if (end >= limit) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Audio.Capture.AudioDeviceException e)
        {
            await error.WriteLineAsync(Prefix + e.Message);
        }
        // Silence after the last frame ends an utterance still in progress.
        var silence = new short[CaptureFormat.FrameSamples];
        for (var t = TimeSpan.Zero; t < settings.MinSilence + settings.SpeechPadding + TimeSpan.FromMilliseconds(100); t += Pcm16.Duration(silence.Length, CaptureFormat.SampleRate))
            pending.AddRange(Utterances(engine.Process(silence, end + t)).Select(Transcribe));
        await Task.WhenAll(pending);
        return 0;

        async Task Transcribe(UtteranceReady utterance)
        {
            var timer = Stopwatch.StartNew();
            string line;
            try
            {
                var text = await recognizer.TranscribeAsync(utterance.Samples, CancellationToken.None);
                line = Invariant($"[{utterance.Start.TotalSeconds,6:0.0} s] {(text.Length > 0 ? text : "(no words heard)")}   ({(utterance.End - utterance.Start).TotalSeconds:0.0} s of speech, recognized in {timer.Elapsed.TotalSeconds:0.00} s · {recognizer.Name})");
            }
            catch (SpeechRecognitionException e)
            {
                line = Invariant($"[{utterance.Start.TotalSeconds,6:0.0} s] {e.Message}");
            }
            lock (printing) output.WriteLine(line);
        }
    }

    private static IEnumerable<UtteranceReady> Utterances(IReadOnlyList<ListeningEvent> events) => events.OfType<UtteranceReady>();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
