using Microsoft.Extensions.Logging;
using VoiceAgent.TtsServer.Audio;
using VoiceAgent.TtsServer.Synthesis;
using VoiceAgent.TtsServer.Voices;

namespace VoiceAgent.TtsServer;

/// <summary>What every session of one server shares.</summary>
internal sealed record ServerServices(
    TtsServerOptions Options,
    ISynthesizer Worker,
    int EngineSampleRate,
    VoiceCatalog Voices,
    AudioCache? Cache,
    AudioWorkLane AudioWork,
    ILogger Logger)
{
    /// <summary>Most engine samples one segment may produce (tts-server.max-segment-audio).</summary>
    public long MaxSegmentSamples => (long)(Options.MaxSegmentAudio.TotalSeconds * EngineSampleRate);
}
