using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VoiceAgent.Dsp;
using VoiceAgent.Telnyx;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Protocol;

/// <summary>One piece of text to speak, tagged with the work (generation) it belongs to.</summary>
internal sealed record Segment(int Generation, string Text, CancellationToken Cancellation);

/// <summary>
/// Speaks one segment for a session: a cache hit is sent at once; otherwise the synthesis worker
/// streams the samples as espeak-ng makes them, and linear16 is resampled and sent in pieces
/// while the engine is still working, so its audio is never held whole. A wav segment needs its
/// length in its header and an mp3 segment its frame count and padding in its gapless Info frame,
/// so their engine samples are collected first (bounded by <c>max-segment-audio</c>) and the file
/// is then sent in pieces; concatenated frames carry a whole segment by definition.
/// <para>First audio first: the segment that opens a turn, when every synthesis engine is busy,
/// is synthesized in two parts (<see cref="FirstPieceSplitter"/>): a short first piece that goes
/// before the pieces of sessions already playing, then the rest. linear16 streams both through
/// one resampler; mp3 sends each as its own file with its own Info frame (gapless decoders join
/// them without a gap). The client still gets one text frame for the segment.</para>
/// </summary>
internal sealed class SegmentSpeaker(SessionOutput output, SessionSettings settings, ServerServices services, object owner)
{
    private TtsServerOptions Options => services.Options;

    /// <param name="opensTurn">Nothing of this turn has been sent yet: the listener is waiting in silence.</param>
    public async Task SpeakAsync(Segment segment, double speed, bool opensTurn, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = settings.Audio;
        var cache = settings.DisableCache ? null : services.Cache;
        var key = AudioCache.KeyFor(segment.Text, settings.Voice.Identifier, spec, speed);
        if (cache is not null && cache.TryGet(key, out var cachedAudio))
        {
            await SendWholeAsync(segment, cachedAudio, cached: true, started, cancellation);
            return;
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(segment.Cancellation, cancellation);
        var streams = StartSynthesis(segment.Text, speed, opensTurn, both.Token);
        try
        {
            byte[]? audio;
            if (Options.Concatenated)
            {
                audio = SegmentAudio.Encode(await streams[0].ReadAllAsync(both.Token), services.EngineSampleRate, spec);
                if (!await SendWholeAsync(segment, audio, cached: false, started, cancellation)) return;
            }
            else
            {
                var sender = new PieceSender(output, segment, spec.Format, Options.ChunkBytes, started, cache is null ? 0 : CacheEntryLimit);
                audio = spec.Format switch
                {
                    AudioFormat.Wav => await StreamWavAsync(streams[0], sender, both.Token),
                    AudioFormat.Mp3 => await SendMp3Async(streams, sender, opensTurn, both.Token),
                    _ => await StreamLinear16Async(streams, sender, opensTurn, both.Token),
                };
                if (audio is null) return; // interrupted
                if (!await output.SendAsync(segment.Generation, ServerFrame.SegmentText(segment.Text, false), cancellation)) return;
            }
            if (streams.Any(s => s.Truncated))
                services.Logger.LogWarning("TTS segment audio cut at {Seconds:0} s (tts-server.max-segment-audio): {Characters} characters asked for more", Options.MaxSegmentAudio.TotalSeconds, segment.Text.Length);
            else if (audio.Length > 0)
                cache?.Add(key, audio);
        }
        finally
        {
            // A part not read to its end (interrupted, failed) must not keep an engine busy.
            if (streams.Count > 1) await both.CancelAsync();
        }
    }

    /// <summary>The segment's synthesis, queued at once: whole, or (opening a turn while every
    /// engine is busy, for formats that stream per piece) a first piece ahead of playing sessions'
    /// pieces and the rest behind them.</summary>
    private List<SynthesisStream> StartSynthesis(string text, double speed, bool opensTurn, CancellationToken cancellation)
    {
        var voice = settings.Voice.Identifier;
        var synthesizer = services.Worker;
        var cut = opensTurn && !Options.Concatenated && settings.Audio.Format != AudioFormat.Wav && synthesizer.Pending >= synthesizer.Engines
            ? FirstPieceSplitter.Split(text)
            : null;
        if (cut is not var (head, tail))
            return [synthesizer.Start(new SynthesisRequest(text, voice, speed), owner, cancellation, services.MaxSegmentSamples, firstAudio: opensTurn)];
        return
        [
            synthesizer.Start(new SynthesisRequest(head, voice, speed, SentenceGoesOn: true), owner, cancellation, services.MaxSegmentSamples, firstAudio: true),
            synthesizer.Start(new SynthesisRequest(tail, voice, speed), owner, cancellation, services.MaxSegmentSamples),
        ];
    }

    /// <summary>The cache keeps segments up to this size; a larger one is not collected at all.</summary>
    private long CacheEntryLimit => Math.Max(0, Options.CacheBytes / 16);

    /// <summary>mp3: per part, the (bounded) engine samples come first, then the part is encoded
    /// whole as one file with its Info frame (so a client drops the encoder's delay and padding:
    /// no gap between files) and sent in pieces on frame boundaries. A turn's first audio does
    /// not wait for its whole first part: the part's first block of speech (about 0.2 s) is a
    /// file of its own, sent at once, and the rest of the part follows as the next file.</summary>
    private async Task<byte[]?> SendMp3Async(List<SynthesisStream> streams, PieceSender sender, bool opensTurn, CancellationToken cancellation)
    {
        for (var part = 0; part < streams.Count; part++)
        {
            var stream = streams[part];
            var sentFromThisPart = false;
            if (opensTurn && part == 0)
            {
                var first = await ReadAtLeastAsync(stream, services.EngineSampleRate / 5, cancellation);
                if (first.Length > 0)
                {
                    var file = await EncodeAsync(() => SegmentAudio.Encode(first, services.EngineSampleRate, settings.Audio), Urgency.FirstFrame, cancellation);
                    if (!await sender.AddAsync(file, last: true, cancellation)) return null;
                    sentFromThisPart = true;
                }
            }
            var samples = await stream.ReadAllAsync(cancellation);
            if (samples.Length == 0 && sentFromThisPart) continue;
            var audio = await EncodeAsync(() => SegmentAudio.Encode(samples, services.EngineSampleRate, settings.Audio),
                opensTurn && part == 0 ? Urgency.FirstPiece : Urgency.Later, cancellation);
            if (!await sender.AddAsync(audio, last: true, cancellation)) return null;
        }
        return sender.Kept;
    }

    /// <summary>The stream's blocks until at least <paramref name="samples"/> samples or its end.</summary>
    private static async Task<short[]> ReadAtLeastAsync(SynthesisStream stream, int samples, CancellationToken cancellation)
    {
        var collected = new List<short>();
        while (collected.Count < samples && await stream.Blocks.WaitToReadAsync(cancellation))
            while (collected.Count < samples && stream.Blocks.TryRead(out var block)) collected.AddRange(block);
        return collected.ToArray();
    }

    /// <summary>linear16: each block of engine samples is resampled as it arrives (the parts of
    /// a cut segment through one resampler, so they join as one signal).</summary>
    private async Task<byte[]?> StreamLinear16Async(List<SynthesisStream> streams, PieceSender sender, bool opensTurn, CancellationToken cancellation)
    {
        using var encoder = new SegmentStreamEncoder(services.EngineSampleRate, settings.Audio);
        for (var part = 0; part < streams.Count; part++)
            await foreach (var block in streams[part].Blocks.ReadAllAsync(cancellation))
            {
                var urgency = !opensTurn ? Urgency.Later : !sender.SentAny ? Urgency.FirstFrame : part == 0 ? Urgency.FirstPiece : Urgency.Later;
                var pcm = await EncodeAsync(() => encoder.Push(block), urgency, cancellation);
                if (!await sender.AddAsync(pcm, last: false, cancellation)) return null;
            }
        return await sender.AddAsync(encoder.Finish(), last: true, cancellation) ? sender.Kept : null;
    }

    private Task<T> EncodeAsync<T>(Func<T> work, Urgency urgency, CancellationToken cancellation) =>
        services.AudioWork.RunAsync(owner, work, urgency, cancellation);

    /// <summary>wav: the header needs the length, so the (bounded) engine samples come first;
    /// then the header and the resampled samples are streamed out.</summary>
    private async Task<byte[]?> StreamWavAsync(SynthesisStream stream, PieceSender sender, CancellationToken cancellation)
    {
        var samples = await stream.ReadAllAsync(cancellation);
        var rate = settings.Audio.SampleRate;
        var outputSamples = Resampler.OutputLength(samples.Length, services.EngineSampleRate, rate);
        if (!await sender.AddAsync(WavFile.Header(rate, checked((int)outputSamples * 2)), last: false, cancellation)) return null;
        var resampler = new Resampler(services.EngineSampleRate, rate);
        for (var offset = 0; offset < samples.Length; offset += EncodeBlockSamples)
        {
            var block = samples.AsSpan(offset, Math.Min(EncodeBlockSamples, samples.Length - offset));
            if (!await sender.AddAsync(Pcm16.ToBytes(resampler.Process(block)), last: false, cancellation)) return null;
        }
        return await sender.AddAsync(Pcm16.ToBytes(resampler.Flush()), last: true, cancellation) ? sender.Kept : null;
    }

    /// <summary>Engine samples resampled per step when streaming a wav body.</summary>
    private const int EncodeBlockSamples = 4096;

    /// <summary>A whole encoded segment (a cache hit, or a concatenated frame).</summary>
    private async Task<bool> SendWholeAsync(Segment segment, byte[] audio, bool cached, long started, CancellationToken cancellation)
    {
        var timeToFirstAudio = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (Options.Concatenated)
            return await output.SendAsync(segment.Generation, ServerFrame.AudioChunk(audio, segment.Text, cached, timeToFirstAudio), cancellation);
        long? firstFrame = timeToFirstAudio;
        foreach (var piece in SegmentAudio.Split(audio, settings.Audio.Format, Options.ChunkBytes))
        {
            if (!await output.SendAsync(segment.Generation, ServerFrame.AudioChunk(piece, null, cached, firstFrame), cancellation)) return false;
            firstFrame = null;
        }
        return await output.SendAsync(segment.Generation, ServerFrame.SegmentText(segment.Text, cached), cancellation);
    }

    /// <summary>Collects encoded bytes and sends them as audio frames as soon as a piece is whole:
    /// the first piece as soon as one MP3 frame (or any PCM) is ready, later ones of about
    /// <c>chunk-bytes</c>. Keeps a copy for the cache while it stays under the cache's limit.</summary>
    private sealed class PieceSender(SessionOutput output, Segment segment, AudioFormat format, int chunkBytes, long started, long keepLimit)
    {
        private readonly List<byte> _pending = [];
        private List<byte>? _kept = keepLimit > 0 ? [] : null;
        private bool _sentAny;

        private Span<byte> Pending => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending);

        /// <summary>First audio matters most: mp3 and linear16 send their first piece as soon as
        /// there is one (a wav file's first piece is its header with a chunk of audio).</summary>
        private bool FirstPieceGoesNow => !_sentAny && format != AudioFormat.Wav;

        /// <summary>The segment's first audio frame has gone out.</summary>
        public bool SentAny => _sentAny;

        /// <summary>Everything sent, when it was small enough to keep; otherwise empty.</summary>
        public byte[] Kept => _kept?.ToArray() ?? [];

        /// <summary>False once the segment's work was interrupted (nothing more is sent).</summary>
        public async Task<bool> AddAsync(byte[] bytes, bool last, CancellationToken cancellation)
        {
            _pending.AddRange(bytes);
            if (_kept is not null)
            {
                _kept.AddRange(bytes);
                if (_kept.Count > keepLimit) _kept = null;
            }
            while (true)
            {
                var ready = FirstPieceGoesNow
                    ? (format == AudioFormat.Mp3 ? SegmentAudio.ReadyLength(Pending, format, 1, last) : Math.Min(_pending.Count & ~1, chunkBytes))
                    : SegmentAudio.ReadyLength(Pending, format, chunkBytes, final: last);
                if (last && ready == 0) ready = _pending.Count;
                if (ready == 0) return true;
                var piece = _pending.GetRange(0, ready).ToArray();
                _pending.RemoveRange(0, ready);
                long? firstFrame = _sentAny ? null : (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                segment.Cancellation.ThrowIfCancellationRequested();
                if (!await output.SendAsync(segment.Generation, ServerFrame.AudioChunk(piece, null, false, firstFrame), cancellation)) return false;
                _sentAny = true;
            }
        }
    }
}
