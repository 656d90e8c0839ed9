using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Conversation;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech;

namespace VoiceAgent.Composition;

/// <summary>
/// The one composition root: the assistant, <c>simulate</c>, <c>say</c> and the benchmarks all
/// build their actor system here, so they run the same pipeline, created in the same order;
/// <c>transcribe</c>, which runs no actors, takes its engines from the same registrations.
/// </summary>
public static class VoiceAgentServices
{
    /// <summary>
    /// Registers the engines and the actor system (Akka.Hosting) with the pipeline's actors:
    /// observers first, then recognizer, microphone, playback, TTS and conversation: each actor is
    /// created after the peers it tells commands to (the microphone and playback tell the
    /// recognizer, TTS tells playback), so it receives them in its constructor.
    /// Settings are checked here: a bad value throws InvalidConfigurationException (one line)
    /// before anything starts.
    /// </summary>
    public static IServiceCollection AddVoiceAgent(this IServiceCollection services, Akka.Configuration.Config root,
        Action<VoiceAgentBuilder>? configure = null)
    {
        var voice = new VoiceAgentBuilder(root);
        configure?.Invoke(voice);
        var conversation = voice.SpeechOnly ? null : ConversationHosting.Prepare(root);
        var devices = new DevicesOpenedTogether(voice.Devices);
        services.AddSingleton<IAudioDevices>(devices);
        services.AddSingleton(voice.ListeningEngines);
        if (conversation is not null) services.AddSingleton(conversation);

        services.AddAkka(voice.SystemName, (akka, _) =>
        {
            voice.ConfigureAkka?.Invoke(akka);
            akka.WithActors((system, _) =>
            {
                foreach (var observe in voice.Observers)
                {
                    // Subscribed here, synchronously, so no start-up notice of a later actor is missed.
                    system.EventStream.Subscribe(observe(system), typeof(IPipelineEvent));
                }
            });
            if (voice.PlaybackStandIn is { } standIn)
            {
                akka.WithActors((system, registry) =>
                {
                    var playback = system.ActorOf(standIn, "playback");
                    // It learns of failures, metrics and the end of the turn as an observer does.
                    system.EventStream.Subscribe(playback, typeof(IPipelineEvent));
                    registry.Register<PlaybackActorKey>(playback);
                });
                akka.WithTtsActor(root, voice.Synthesizer, voice.EmbeddedTtsServerUrl);
            }
            else
            {
                akka.WithRecognizerActor(root, voice.Progress, () => devices.HasCapture, voice.ListeningEngines)
                    .WithMicrophone(devices)
                    .WithPlayback(devices)
                    .WithTtsActor(root, voice.Synthesizer, voice.EmbeddedTtsServerUrl)
                    .WithConversationActor(conversation!);
            }
            foreach (var add in voice.After) add(akka);
        });
        return services;
    }

    /// <summary>
    /// Registers the engines the configuration names, one registration per kind — the audio
    /// devices (<see cref="IAudioDevices"/>) and the listening engines (<see cref="IListeningEngines"/>)
    /// — for a command that uses engines without the actor system (<c>transcribe</c>).
    /// <see cref="AddVoiceAgent"/> registers the same kinds for the assistant.
    /// </summary>
    public static IServiceCollection AddVoiceAgentEngines(this IServiceCollection services, Akka.Configuration.Config root)
    {
        // Read when first asked for: a bad audio setting concerns only a command that opens a device.
        services.AddSingleton(_ => AudioSettings.FromConfig(root));
        services.AddSingleton<IAudioDevices>(sp => new ConfiguredAudioDevices(sp.GetRequiredService<AudioSettings>()));
        services.AddSingleton<IListeningEngines, ConfiguredListeningEngines>();
        return services;
    }

    /// <summary>
    /// Opens the output and then the capture device, one after the other, before the recognizer is
    /// created (it loads models only when there is a microphone to listen to), and hands those
    /// same devices to playback and the microphone, created right after it. A capture stream that
    /// stays open unread fills with audio the microphone would then read as a burst, late: so it is
    /// opened last and read at once, as when the devices were opened together.
    /// </summary>
    private sealed class DevicesOpenedTogether(IAudioDevices inner) : IAudioDevices
    {
        private Opened? _first;
        private bool _outputHandedOut;
        private bool _captureHandedOut;

        public TimeSpan PlaybackPiece => inner.PlaybackPiece;

        public TimeProvider? Clock => inner.Clock;

        public bool HasCapture => First().Capture is not null;

        /// <summary>The output opened first (with its notice) once; a fresh one on every later call.</summary>
        public Audio.Output.IAudioOutput OpenOutput(out StatusNotice? notice)
        {
            if (_outputHandedOut) return inner.OpenOutput(out notice);
            _outputHandedOut = true;
            var first = First();
            notice = first.OutputNotice;
            return first.Output;
        }

        /// <summary>The capture opened first (with its notice) once; a fresh one on every later call.</summary>
        public Audio.Capture.IAudioCapture? OpenCapture(out StatusNotice? notice)
        {
            if (_captureHandedOut) return inner.OpenCapture(out notice);
            _captureHandedOut = true;
            var first = First();
            notice = first.CaptureNotice;
            return first.Capture;
        }

        private Opened First()
        {
            if (_first is not null) return _first;
            var output = inner.OpenOutput(out var outputNotice);
            var capture = inner.OpenCapture(out var captureNotice);
            return _first = new Opened(output, outputNotice, capture, captureNotice);
        }

        private sealed record Opened(Audio.Output.IAudioOutput Output, StatusNotice? OutputNotice,
            Audio.Capture.IAudioCapture? Capture, StatusNotice? CaptureNotice);
    }
}
