using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VoiceAgent.Audio.Diagnostics;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Conversation;
using VoiceAgent.Conversation.Diagnostics;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Listening;
using VoiceAgent.Listening.Diagnostics;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;

namespace VoiceAgent.Doctor;

/// <summary>
/// The doctor's services: the settings a check may take in its constructor, the probes, and the
/// checks themselves, in the order their rows are shown.
/// </summary>
/// <remarks>
/// To add a row: write a class implementing <see cref="IDoctorCheck"/> (in the module that owns
/// what it checks; see that interface for the rules) and add one <c>.AddDoctorCheck&lt;T&gt;()</c>
/// line below, where its row belongs. A module whose settings are not registered here yet adds
/// them next to the others.
/// </remarks>
public static class DoctorServices
{
    public static IServiceCollection AddDoctor(this IServiceCollection services, Config root, TimeSpan timeout)
    {
        // Settings, read once (a bad value stops here: exit code 2 with one line).
        services.AddSingleton(root);
        services.AddSingleton(AudioSettings.FromConfig(root));
        services.AddSingleton(ListeningSettings.FromConfig(root));
        services.AddSingleton(ConversationSettings.FromConfig(root));
        services.AddSingleton(TtsSettings.FromConfig(root));
        services.AddSingleton(TtsServerConfig.FromConfig(root));

        // Probes of what a test cannot always arrange (a muted microphone); tests register their own first.
        services.TryAddSingleton<IAudioDeviceProbe, PulseAudioProbe>();

        services.AddSingleton(new DoctorOptions(timeout));
        services.AddSingleton<DoctorRunner>();

        return services
            .AddDoctorCheck<AudioServerCheck>()
            .AddDoctorCheck<MicrophoneCheck>()
            .AddDoctorCheck<SpeakerCheck>()
            .AddDoctorCheck<EspeakCheck>()
            .AddDoctorCheck<Mp3EncoderCheck>()
            .AddDoctorCheck<Mp3DecoderCheck>()
            .AddDoctorCheck<VadModelCheck>()
            .AddDoctorCheck<TranscriptionEndpointCheck>()
            .AddDoctorCheck<ChatEndpointCheck>()
            .AddDoctorCheck<TtsEndpointCheck>();
    }

    /// <summary>Adds one row; rows appear in the order they are added.</summary>
    public static IServiceCollection AddDoctorCheck<TCheck>(this IServiceCollection services) where TCheck : class, IDoctorCheck =>
        services.AddSingleton<IDoctorCheck, TCheck>();
}
