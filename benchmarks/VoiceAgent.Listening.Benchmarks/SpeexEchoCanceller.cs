using System.Runtime.InteropServices;

namespace VoiceAgent.Listening.Benchmarks;

/// <summary>
/// SpeexDSP's echo canceller (an MDF with its own double-talk handling) and, optionally, its
/// preprocessor's residual echo suppressor, through the C API of Debian's libspeexdsp1. Here only
/// to be measured against the managed canceller on the same recordings.
/// </summary>
internal sealed partial class SpeexEchoCanceller : IDisposable
{
    private const string Library = "libspeexdsp.so.1";
    private const int SetSamplingRate = 24;   // SPEEX_ECHO_SET_SAMPLING_RATE
    private const int SetEchoState = 24;      // SPEEX_PREPROCESS_SET_ECHO_STATE
    private const int SetDenoise = 0;         // SPEEX_PREPROCESS_SET_DENOISE
    private const int SetAgc = 2;             // SPEEX_PREPROCESS_SET_AGC

    private readonly IntPtr _echo;
    private readonly IntPtr _preprocess;
    private readonly short[] _out;

    public SpeexEchoCanceller(int frame, int filterLength, int sampleRate, bool suppressResidual)
    {
        FrameSize = frame;
        _echo = speex_echo_state_init(frame, filterLength);
        var rate = sampleRate;
        speex_echo_ctl(_echo, SetSamplingRate, ref rate);
        _out = new short[frame];
        if (suppressResidual)
        {
            _preprocess = speex_preprocess_state_init(frame, sampleRate);
            // The residual echo suppressor works inside the noise suppressor: both on, no AGC.
            var on = 1;
            var off = 0;
            speex_preprocess_ctl(_preprocess, SetDenoise, ref on);
            speex_preprocess_ctl(_preprocess, SetAgc, ref off);
            speex_preprocess_ctl_ptr(_preprocess, SetEchoState, _echo);
        }
    }

    public int FrameSize { get; }

    public static bool Available()
    {
        try
        {
            return NativeLibrary.TryLoad(Library, out var handle) && handle != IntPtr.Zero;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>One frame: <paramref name="microphone"/> becomes the residual.</summary>
    public void Process(short[] reference, short[] microphone)
    {
        speex_echo_cancellation(_echo, microphone, reference, _out);
        if (_preprocess != IntPtr.Zero) speex_preprocess_run(_preprocess, _out);
        _out.CopyTo(microphone, 0);
    }

    public void Dispose()
    {
        if (_preprocess != IntPtr.Zero) speex_preprocess_state_destroy(_preprocess);
        speex_echo_state_destroy(_echo);
    }

    [LibraryImport(Library)] private static partial IntPtr speex_echo_state_init(int frameSize, int filterLength);
    [LibraryImport(Library)] private static partial void speex_echo_state_destroy(IntPtr state);
    [LibraryImport(Library)] private static partial int speex_echo_ctl(IntPtr state, int request, ref int value);
    [LibraryImport(Library)] private static partial void speex_echo_cancellation(IntPtr state, short[] rec, short[] play, short[] output);
    [LibraryImport(Library)] private static partial IntPtr speex_preprocess_state_init(int frameSize, int sampleRate);
    [LibraryImport(Library)] private static partial void speex_preprocess_state_destroy(IntPtr state);
    [LibraryImport(Library)] private static partial int speex_preprocess_ctl(IntPtr state, int request, ref int value);
    [LibraryImport(Library, EntryPoint = "speex_preprocess_ctl")] private static partial int speex_preprocess_ctl_ptr(IntPtr state, int request, IntPtr value);
    [LibraryImport(Library)] private static partial int speex_preprocess_run(IntPtr state, short[] x);
}
