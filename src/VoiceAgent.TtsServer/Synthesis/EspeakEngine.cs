using System.Runtime.InteropServices;
using System.Text;
using VoiceAgent.TtsServer.Native;

namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>espeak-ng through libespeak-ng in synchronous mode: the callback runs on the calling
/// thread while espeak_Synth is inside and hands each piece of audio to the call's sink. Create and
/// use it on one thread only (espeak-ng is one global engine per process).</summary>
internal sealed unsafe class EspeakEngine : ISpeechEngine
{
    // The callback is a static function; the current call's state lives here. Safe because
    // calls are serialized on one thread.
    [ThreadStatic] private static CallState? _current;

    private string? _voiceInUse;
    private int _rateInUse = -1;

    private sealed class CallState(SampleSink sink, CancellationToken cancellation)
    {
        public readonly SampleSink Sink = sink;
        public readonly CancellationToken Cancellation = cancellation;
        /// <summary>The sink asked to stop (or failed): not an engine error.</summary>
        public bool Stopped;
        public Exception? SinkError;
    }

    private EspeakEngine(int sampleRate, IReadOnlyList<EspeakVoice> voices)
    {
        SampleRate = sampleRate;
        Voices = voices;
    }

    public int SampleRate { get; }

    public IReadOnlyList<EspeakVoice> Voices { get; }

    /// <summary>Loads libespeak-ng and its data. Throws <see cref="SpeechEngineUnavailableException"/>
    /// with what to install when either is missing.</summary>
    public static EspeakEngine Create()
    {
        int rate;
        try
        {
            rate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, 200, null, EspeakNative.InitializeDontExit);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new SpeechEngineUnavailableException(
                "espeak-ng library not found (libespeak-ng.so.1): install the Debian packages libespeak-ng1 and espeak-ng-data.", e);
        }
        if (rate <= 0)
            throw new SpeechEngineUnavailableException(
                "espeak-ng failed to initialize (voice data missing?): install the Debian package espeak-ng-data.");
        EspeakNative.SetSynthCallback(&OnSamples);
        return new EspeakEngine(rate, ReadVoices());
    }

    public void Synthesize(SynthesisRequest request, SampleSink sink, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        SelectVoice(request.VoiceIdentifier);
        SelectRate(request.Speed);

        var state = new CallState(sink, cancellation);
        _current = state;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(TextFor(request) + "\0");
            var flags = (uint)(EspeakNative.CharsUtf8 | (request.SentenceGoesOn ? 0 : EspeakNative.EndPause));
            int result;
            fixed (byte* text = bytes)
                result = EspeakNative.Synth(text, (nuint)bytes.Length, 0, EspeakNative.PositionCharacter, 0, flags, null, null);
            cancellation.ThrowIfCancellationRequested();
            if (state.SinkError is not null)
                throw new InvalidOperationException("Taking the synthesized audio failed.", state.SinkError);
            if (result != EspeakNative.ErrorOk && !state.Stopped)
                throw new InvalidOperationException($"espeak_Synth failed with code {result}.");
        }
        finally
        {
            _current = null;
        }
    }

    /// <summary>espeak-ng ends a text with a full stop's falling tone; the first part of a
    /// sentence that goes on gets a comma's, the tone of a clause with more to come (the comma's
    /// pause is left out with the end pause).</summary>
    private static string TextFor(SynthesisRequest request) =>
        request.SentenceGoesOn && request.Text.Length > 0 && !char.IsPunctuation(request.Text[^1]) ? request.Text + "," : request.Text;

    private void SelectVoice(string identifier)
    {
        if (identifier == _voiceInUse) return;
        var name = Encoding.UTF8.GetBytes(identifier + "\0");
        int result;
        fixed (byte* p = name) result = EspeakNative.SetVoiceByName(p);
        if (result != EspeakNative.ErrorOk)
            throw new InvalidOperationException($"espeak-ng could not load voice '{identifier}' (code {result}).");
        _voiceInUse = identifier;
        _rateInUse = -1; // a voice change resets the rate
    }

    private void SelectRate(double speed)
    {
        var wpm = (int)Math.Round(EspeakNative.RateNormal * speed);
        wpm = Math.Clamp(wpm, EspeakNative.RateMinimum, EspeakNative.RateMaximum);
        if (wpm == _rateInUse) return;
        EspeakNative.SetParameter(EspeakNative.ParameterRate, wpm, 0);
        _rateInUse = wpm;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OnSamples(short* samples, int count, IntPtr events)
    {
        var state = _current;
        if (state is null || state.Stopped) return 1;
        if (state.Cancellation.IsCancellationRequested) return 1; // 1 = abort synthesis
        if (samples == null || count <= 0) return 0;
        try
        {
            if (state.Sink(new ReadOnlySpan<short>(samples, count))) return 0;
        }
        catch (Exception e)
        {
            // An exception must not cross this native callback: it would end the process.
            state.SinkError = e;
        }
        state.Stopped = true;
        return 1;
    }

    private static List<EspeakVoice> ReadVoices()
    {
        var voices = new List<EspeakVoice>();
        var list = EspeakNative.ListVoices(null);
        if (list == null) return voices;
        for (var i = 0; list[i] != IntPtr.Zero; i++)
        {
            var voice = (EspeakNative.Voice*)list[i];
            var identifier = Marshal.PtrToStringUTF8((IntPtr)voice->Identifier) ?? "";
            if (identifier.Length == 0 || identifier.StartsWith("mb/")) continue; // MBROLA voices need extra packages
            var name = Marshal.PtrToStringUTF8((IntPtr)voice->Name) ?? identifier;
            // languages: pairs of (priority byte, NUL-terminated string); the first is the main one.
            var language = voice->Languages == null ? "" : Marshal.PtrToStringUTF8((IntPtr)(voice->Languages + 1)) ?? "";
            var id = identifier[(identifier.LastIndexOf('/') + 1)..].ToLowerInvariant();
            voices.Add(new EspeakVoice(id, identifier, name, language));
        }
        return voices;
    }
}

public sealed class SpeechEngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
