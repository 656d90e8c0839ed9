using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Capture;

/// <summary>
/// A microphone (or anything standing in for one): 20 ms frames of 16 kHz mono s16
/// (<see cref="CaptureFormat"/>), each stamped with its position on the capture clock.
/// The sequence ends when the source runs out (end of a file) or the token is cancelled;
/// a device that fails throws <see cref="AudioDeviceException"/>.
/// </summary>
public interface IAudioCapture : IAsyncDisposable
{
    /// <summary>What the user sees in notices ("pulse:default", "wav:jfk.wav").</summary>
    string Name { get; }

    IAsyncEnumerable<AudioFrame> ReadFramesAsync(CancellationToken cancellationToken);
}

/// <summary>An audio device that is missing or failed; the message is one line saying what to do.</summary>
public sealed class AudioDeviceException(string message, Exception? inner = null) : Exception(message, inner);
