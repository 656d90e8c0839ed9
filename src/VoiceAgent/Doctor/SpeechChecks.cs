using System.Diagnostics;
using VoiceAgent.Audio;
using VoiceAgent.Composition;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Dsp;
using VoiceAgent.Speech.Diagnostics;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Voices;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Doctor;

/// <summary>Rows of the speech path live here, in the host, because whether they are needed
/// depends on the client's settings (Speech) and what they check is in the server (TtsServer).</summary>
internal static class SpeechUse
{
    public static bool EmbeddedServer(TtsSettings tts) => tts.EffectiveEndpoint == TtsEndpointKind.Embedded;

    public static bool Mp3(TtsSettings tts) => tts.AudioFormat == "mp3" && tts.EffectiveEndpoint != TtsEndpointKind.None;

    /// <summary>A row for something this configuration does not use still says whether it works,
    /// but its problems do not stop the assistant.</summary>
    public static DoctorRow Unless(bool needed, DoctorRow row, string usedWhen) =>
        needed ? row : row with { Needed = false, Detail = $"{row.Detail} (used only {usedWhen})" };

    /// <summary>A tenth of a second of a 440 Hz tone at 24 kHz, to push through an encoder.</summary>
    public static short[] TestTone() =>
        Enumerable.Range(0, 2400).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 24000))).ToArray();
}

/// <summary>Doctor row: espeak-ng, the embedded TTS server's synthesizer (loaded, and made to say a word).</summary>
public sealed class EspeakCheck : IDoctorCheck
{
    private readonly TtsSettings _tts;
    private readonly TtsServerOptions _server;
    private readonly SynthesisWorker _worker;

    public EspeakCheck(TtsSettings tts, TtsServerOptions server) : this(tts, server, SynthesisWorker.Shared)
    {
    }

    /// <param name="worker">The synthesis thread; tests pass one whose engine cannot load.</param>
    internal EspeakCheck(TtsSettings tts, TtsServerOptions server, SynthesisWorker worker)
    {
        _tts = tts;
        _server = server;
        _worker = worker;
    }

    public string Name => "espeak-ng";

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken) =>
        SpeechUse.Unless(SpeechUse.EmbeddedServer(_tts), await CheckAsync(cancellationToken), "by the embedded TTS server");

    private async Task<DoctorRow> CheckAsync(CancellationToken cancellationToken)
    {
        ISpeechEngine engine;
        try
        {
            engine = await _worker.Engine.WaitAsync(cancellationToken);
        }
        catch (SpeechEngineUnavailableException e)
        {
            return DoctorRow.Missing(Name, e.Message, DoctorText.AptInstall("libespeak-ng1", "espeak-ng-data"));
        }
        EspeakVoice voice;
        try
        {
            voice = new VoiceCatalog(engine.Voices, _server.Provider, _server.DefaultVoice, _server.VoiceAliases).Default;
        }
        catch (ArgumentException e)
        {
            return DoctorRow.Failing(Name, e.Message, "-D tts-server.default-voice=en-us");
        }
        var samples = await _worker.SynthesizeAsync(new SynthesisRequest("Ready.", voice.Identifier, 1.0), cancellationToken);
        if (samples.Length == 0)
            return DoctorRow.Failing(Name, $"voice {voice.Id} produced no audio", "-D tts-server.default-voice=en-us");
        var seconds = Pcm16.Duration(samples.Length, engine.SampleRate).TotalSeconds;
        return DoctorRow.Ok(Name, $"{engine.Voices.Count} voices; \"{voice.Id}\" said a test word ({seconds:0.0} s at {engine.SampleRate} Hz)");
    }
}

/// <summary>Doctor row: LAME, which the embedded server encodes MP3 with.</summary>
public sealed class Mp3EncoderCheck(TtsSettings tts) : IDoctorCheck
{
    public string Name => "LAME (MP3 encoder)";

    public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        DoctorRow row;
        if (Mp3Encoder.Unavailable is { } problem)
            row = DoctorRow.Missing(Name, problem, DoctorText.AptInstall("libmp3lame0"));
        else
            row = DoctorRow.Ok(Name, $"libmp3lame encoded a test tone ({Mp3Encoder.Encode(SpeechUse.TestTone(), 24000, 48).Length} bytes)");
        return SpeechUse.Unless(SpeechUse.EmbeddedServer(tts) && SpeechUse.Mp3(tts), row, "with tts.audio-format = mp3");
    }, cancellationToken);
}

/// <summary>Doctor row: the MP3 decoder the TTS client uses for audio-format mp3 (managed code,
/// nothing to install): it decodes a LAME test tone gaplessly, to exactly the samples encoded.</summary>
public sealed class Mp3DecoderCheck(TtsSettings tts) : IDoctorCheck
{
    public string Name => "MP3 decoder";

    public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => Task.Run(() =>
    {
        DoctorRow row;
        if (Mp3Encoder.Unavailable is not null)
            row = DoctorRow.Ok(Name, "managed (NLayer); no encoder here to make a test tone");
        else
        {
            var tone = SpeechUse.TestTone();
            var decoded = SpeechProbes.DecodeMp3(Mp3Encoder.Encode(tone, 24000, 48));
            row = decoded.Length == tone.Length
                ? DoctorRow.Ok(Name, $"decoded a test tone gaplessly ({decoded.Length} samples, managed: NLayer)")
                : DoctorRow.Failing(Name, $"decoded {decoded.Length} samples from a {tone.Length}-sample MP3 tone", "report it: the MP3 decoder is part of VoiceAgent.Speech");
        }
        return SpeechUse.Unless(SpeechUse.Mp3(tts), row, "with tts.audio-format = mp3");
    }, cancellationToken);
}

/// <summary>Doctor row: where speech comes from. The embedded server is started and speaks a test
/// sentence over its WebSocket, as in a turn; Telnyx or another server gets a socket opened and
/// closed without text (nothing is spoken or billed), with the key masked.</summary>
public sealed class TtsEndpointCheck(TtsSettings tts, TtsServerOptions server) : IDoctorCheck
{
    public string Name => "TTS endpoint";

    /// <summary>Telnyx or another server; the embedded one is local work.</summary>
    public bool Remote => tts.EffectiveEndpoint is TtsEndpointKind.Telnyx or TtsEndpointKind.Url;

    public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => tts.EffectiveEndpoint switch
    {
        TtsEndpointKind.None => Task.FromResult(DoctorRow.NotUsed(Name, "tts.endpoint = none: replies are shown, not spoken", "-D tts.endpoint=auto")),
        TtsEndpointKind.Embedded => EmbeddedAsync(cancellationToken),
        TtsEndpointKind.Telnyx => RemoteAsync(tts.TelnyxUrl, "Telnyx", cancellationToken),
        _ => RemoteAsync(tts.Url, "TTS server", cancellationToken),
    };

    private async Task<DoctorRow> EmbeddedAsync(CancellationToken cancellationToken)
    {
        await using var host = new TtsServerHost(server.ForEmbedded());
        Uri uri;
        try
        {
            uri = await host.StartAsync(cancellationToken);
        }
        catch (SpeechEngineUnavailableException e)
        {
            return DoctorRow.Missing(Name, $"the embedded server cannot start: {e.Message}", DoctorText.AptInstall("libespeak-ng1", "espeak-ng-data"));
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            return DoctorRow.Failing(Name, $"the embedded server cannot start: {DoctorText.OneLine(e.Message)}", "voice-agent config   (check voice-agent.tts-server.*)");
        }
        await using var synthesizer = SpeechSynthesizerFactory.Create(tts with { Prewarm = false }, _ => ValueTask.FromResult(uri), server.ApiKey);
        var clock = Stopwatch.StartNew();
        var result = await SayRunner.RunAsync(synthesizer, "Ready.", cancellationToken);
        if (result.Error is not null || result.Samples.Length == 0)
            return DoctorRow.Failing(Name, $"the embedded server at {uri.Authority} did not speak: {result.Error ?? "no audio"}", "voice-agent say \"Hello.\" --out hello.wav   (shows the whole error)");
        var firstAudio = result.Metrics?.FirstTextToFirstAudio is { } first ? $", first audio after {first.TotalMilliseconds:0} ms" : "";
        return DoctorRow.Ok(Name, $"embedded Telnyx-compatible server (espeak-ng) at {uri.Authority}: spoke a test sentence over its WebSocket " +
            $"({result.Duration.TotalSeconds:0.0} s of {tts.AudioFormat} in {clock.ElapsedMilliseconds} ms{firstAudio}); no key needed");
    }

    private async Task<DoctorRow> RemoteAsync(string url, string what, CancellationToken cancellationToken)
    {
        var key = $"key {DoctorText.MaskSecret(tts.ApiKey)}";
        var isTelnyx = tts.EffectiveEndpoint == TtsEndpointKind.Telnyx;
        if (isTelnyx && string.IsNullOrWhiteSpace(tts.ApiKey))
            return DoctorRow.Missing(Name, $"tts.endpoint = telnyx, but {SpeechSynthesizerFactory.MissingKey}", "export TELNYX_API_KEY=…   (or --profile offline)");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("ws" or "wss"))
            return DoctorRow.Failing(Name, $"\"{url}\" is not a ws:// or wss:// URL", isTelnyx ? "-D tts.telnyx-url=wss://api.telnyx.com/v2/text-to-speech/speech" : "-D tts.url=ws://HOST:PORT/v2/text-to-speech/speech");
        var clock = Stopwatch.StartNew();
        var problem = await SpeechProbes.ConnectAsync(endpoint, tts, cancellationToken);
        if (problem is null)
            return DoctorRow.Ok(Name, $"{what} at {endpoint.Authority} accepted a socket for {tts.Voice} ({tts.AudioFormat}) in {clock.ElapsedMilliseconds} ms; {key}");
        var fix = problem.Contains("401", StringComparison.Ordinal)
            ? "export TELNYX_API_KEY=…   (a valid key)"
            : problem.Contains("403", StringComparison.Ordinal) ? "-D tts.voice=VOICE   (one your account can use)" : "check the network, or --profile offline";
        return DoctorRow.Failing(Name, $"{problem}; {key}", fix);
    }
}
