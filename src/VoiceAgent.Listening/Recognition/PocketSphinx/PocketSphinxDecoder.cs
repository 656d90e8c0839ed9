using System.Runtime.InteropServices;

namespace VoiceAgent.Listening.Recognition.PocketSphinx;

/// <summary>
/// One PocketSphinx decoder (loading one takes about half a second, so it is kept and reused).
/// Decodes whole utterances with <c>full_utt = 1</c>: the model normalizes its features over the
/// whole utterance (<c>-cmn batch</c>), which on jfk.wav gives 18 % word errors instead of the
/// 54–86 % of feeding it piece by piece. Not thread-safe: one call at a time.
/// </summary>
internal sealed class PocketSphinxDecoder : IDisposable
{
    private IntPtr _decoder;

    private PocketSphinxDecoder(IntPtr decoder) => _decoder = decoder;

    /// <summary>Loads the model in <paramref name="modelFolder"/> (Debian's layout: <c>en-us/</c>,
    /// <c>en-us.lm.bin</c>, <c>cmudict-en-us.dict</c>).</summary>
    public static PocketSphinxDecoder Load(string modelFolder)
    {
        string[] arguments =
        [
            "-hmm", Path.Combine(modelFolder, "en-us"),
            "-lm", Path.Combine(modelFolder, "en-us.lm.bin"),
            "-dict", Path.Combine(modelFolder, "cmudict-en-us.dict"),
            "-samprate", "16000",
            // Its log would flood the console.
            "-logfn", "/dev/null",
        ];
        var argv = arguments.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            var config = PocketSphinxNative.cmd_ln_parse_r(IntPtr.Zero, PocketSphinxNative.ps_args(), argv.Length, argv, 1);
            if (config == IntPtr.Zero) throw new SpeechRecognitionException($"PocketSphinx refused its settings for the model in {modelFolder}.");
            try
            {
                var decoder = PocketSphinxNative.ps_init(config);
                return decoder != IntPtr.Zero
                    ? new PocketSphinxDecoder(decoder)
                    : throw new SpeechRecognitionException($"PocketSphinx could not load its model from {modelFolder} (reinstall pocketsphinx-en-us, or check voice-agent.listening.pocketsphinx.model-folder).");
            }
            finally
            {
                PocketSphinxNative.cmd_ln_free_r(config);
            }
        }
        finally
        {
            foreach (var pointer in argv) Marshal.FreeCoTaskMem(pointer);
        }
    }

    /// <summary>The words in one utterance (16 kHz mono), lower case; empty when it heard none.</summary>
    public unsafe string Decode(ReadOnlySpan<short> utterance)
    {
        ObjectDisposedException.ThrowIf(_decoder == IntPtr.Zero, this);
        if (PocketSphinxNative.ps_start_utt(_decoder) < 0) throw new SpeechRecognitionException("PocketSphinx could not start an utterance.");
        fixed (short* samples = utterance)
        {
            if (PocketSphinxNative.ps_process_raw(_decoder, samples, (nuint)utterance.Length, 0, 1) < 0)
            {
                PocketSphinxNative.ps_end_utt(_decoder);
                throw new SpeechRecognitionException("PocketSphinx could not decode the utterance.");
            }
        }
        PocketSphinxNative.ps_end_utt(_decoder);
        var hypothesis = PocketSphinxNative.ps_get_hyp(_decoder, out _);
        return hypothesis == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(hypothesis)?.Trim() ?? "";
    }

    public void Dispose()
    {
        var decoder = Interlocked.Exchange(ref _decoder, IntPtr.Zero);
        if (decoder != IntPtr.Zero) PocketSphinxNative.ps_free(decoder);
    }
}
