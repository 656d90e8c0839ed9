namespace VoiceAgent.Listening.Recognition.PocketSphinx;

/// <summary>
/// PocketSphinx from the distribution's packages: the recognizer that needs no download, and the
/// low-accuracy fallback (about one word in five wrong on clear speech; Whisper is far better).
/// Decoding blocks for about half the utterance's length, so each call runs on its own thread,
/// with a decoder of its own from a pool.
/// </summary>
public sealed class PocketSphinxRecognizer : ISpeechRecognizer
{
    private readonly EnginePool<PocketSphinxDecoder> _decoders;

    private PocketSphinxRecognizer(PocketSphinxDecoder first, string modelFolder) =>
        _decoders = new EnginePool<PocketSphinxDecoder>(first, () => PocketSphinxDecoder.Load(modelFolder));

    public string Name => "PocketSphinx";

    public string Description => "speech recognition: PocketSphinx, the low-accuracy fallback (no download needed)";

    /// <summary>Loads the first decoder now, so a broken install is reported at start.</summary>
    public static PocketSphinxRecognizer Load(PocketSphinxOptions options) =>
        new(PocketSphinxDecoder.Load(options.ModelFolder), options.ModelFolder);

    public Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A native call of seconds that cannot be cut short: a thread of its own, not the pool's.
        return Task.Factory.StartNew(() =>
        {
            var decoder = _decoders.Rent();
            try
            {
                var text = decoder.Decode(utterance.Span);
                cancellationToken.ThrowIfCancellationRequested();
                return text;
            }
            finally
            {
                _decoders.Return(decoder);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Dispose() => _decoders.Dispose();
}
