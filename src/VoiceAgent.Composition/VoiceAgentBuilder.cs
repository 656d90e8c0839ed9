using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Listening;
using VoiceAgent.Speech;

namespace VoiceAgent.Composition;

/// <summary>
/// What one host of the assistant runs, for <see cref="VoiceAgentServices.AddVoiceAgent"/>: by
/// default every role on the configured engines and devices. A host changes only what differs
/// (the simulated room instead of devices, a stand-in for playback, observers, extensions).
/// </summary>
public sealed class VoiceAgentBuilder
{
    private readonly List<Func<ActorSystem, IActorRef>> _observers = [];
    private readonly List<Action<AkkaConfigurationBuilder>> _after = [];

    internal VoiceAgentBuilder(Akka.Configuration.Config root)
    {
        Root = root;
        Devices = new ConfiguredAudioDevices(AudioSettings.FromConfig(root));
    }

    /// <summary>The layered configuration (HOCON.conf, profile, file, overrides).</summary>
    public Akka.Configuration.Config Root { get; }

    internal string SystemName { get; private set; } = "voice-agent";

    internal IAudioDevices Devices { get; private set; }

    internal Func<IServiceProvider, Uri?>? EmbeddedTtsServerUrl { get; private set; }

    internal Props? PlaybackStandIn { get; private set; }

    internal ISpeechSynthesizer? Synthesizer { get; private set; }

    internal IListeningEngines ListeningEngines { get; private set; } = new ConfiguredListeningEngines();

    internal Action<string>? Progress { get; private set; }

    internal Action<AkkaConfigurationBuilder>? ConfigureAkka { get; private set; }

    internal IReadOnlyList<Func<ActorSystem, IActorRef>> Observers => _observers;

    internal IReadOnlyList<Action<AkkaConfigurationBuilder>> After => _after;

    /// <summary>Only the TTS path runs (no microphone, recognizer or conversation), with
    /// <paramref name="playback"/> in the playback role: what <c>say</c> needs.</summary>
    internal bool SpeechOnly => PlaybackStandIn is not null;

    /// <summary>Names the actor system (it shows in logs).</summary>
    public VoiceAgentBuilder Named(string name)
    {
        SystemName = name;
        return this;
    }

    /// <summary>Plays and listens through <paramref name="devices"/> instead of the configured ones.</summary>
    public VoiceAgentBuilder UseAudio(IAudioDevices devices)
    {
        Devices = devices;
        return this;
    }

    /// <summary>Where the embedded TTS server listens (for <c>tts.endpoint = embedded</c>); asked when
    /// the first socket opens, so a hosted service may start it after the host is built.</summary>
    public VoiceAgentBuilder UseEmbeddedTtsServer(Func<IServiceProvider, Uri?> url)
    {
        EmbeddedTtsServerUrl = url;
        return this;
    }

    /// <summary>Listens with <paramref name="engines"/> instead of the configured VAD and recognizer.</summary>
    public VoiceAgentBuilder UseListeningEngines(IListeningEngines engines)
    {
        ListeningEngines = engines;
        return this;
    }

    /// <summary>Speaks through <paramref name="synthesizer"/> instead of the one <c>tts.endpoint</c>
    /// names; the caller owns (and disposes) it.</summary>
    public VoiceAgentBuilder UseSynthesizer(ISpeechSynthesizer synthesizer)
    {
        Synthesizer = synthesizer;
        return this;
    }

    /// <summary>Runs only the TTS path, with <paramref name="playback"/> standing in for the
    /// PlaybackActor (it receives the AudioChunks and SpeechCompleted).</summary>
    public VoiceAgentBuilder SpeakOnly(Props playback)
    {
        PlaybackStandIn = playback;
        return this;
    }

    /// <summary>Starts <paramref name="observer"/> before every other actor, subscribed to every
    /// pipeline event, so it sees the others' start-up notices.</summary>
    public VoiceAgentBuilder Observe(Func<ActorSystem, IActorRef> observer)
    {
        _observers.Add(observer);
        return this;
    }

    /// <summary>Long start-up steps (loading a model) report here.</summary>
    public VoiceAgentBuilder ReportProgress(Action<string> progress)
    {
        Progress = progress;
        return this;
    }

    /// <summary>Host-specific actor system settings (loggers, log levels).</summary>
    public VoiceAgentBuilder ConfigureActorSystem(Action<AkkaConfigurationBuilder> configure)
    {
        ConfigureAkka = configure;
        return this;
    }

    /// <summary>Actors started after the pipeline (the user's extensions).</summary>
    public VoiceAgentBuilder AddActors(Action<AkkaConfigurationBuilder> add)
    {
        _after.Add(add);
        return this;
    }
}
