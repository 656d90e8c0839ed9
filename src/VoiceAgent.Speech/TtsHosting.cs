using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Configuration;

namespace VoiceAgent.Speech;

public static class TtsHosting
{
    /// <summary>
    /// Creates the TtsActor from <c>voice-agent.tts</c> (plus <c>audio.output-sample-rate</c> and
    /// <c>barge-in.policy</c>) and registers it under <see cref="TtsActorKey"/>. Settings are checked
    /// here, so a bad value or a missing TELNYX_API_KEY stops the host with one line
    /// (<see cref="InvalidConfigurationException"/>).
    /// </summary>
    /// <param name="embeddedServerUrl">For <c>endpoint = embedded</c> (and <c>auto</c> without a key):
    /// returns the ws:// URL of the embedded server. It is called when the first socket opens, not
    /// at start, so the host may start the server in a hosted service; null there means "not
    /// running" and the turn reports it.</param>
    public static AkkaConfigurationBuilder WithTtsActor(
        this AkkaConfigurationBuilder builder,
        Akka.Configuration.Config root,
        Func<IServiceProvider, Uri?>? embeddedServerUrl = null) => builder.WithTtsActor(root, null, embeddedServerUrl);

    /// <inheritdoc cref="WithTtsActor(AkkaConfigurationBuilder, Akka.Configuration.Config, Func{IServiceProvider, Uri?}?)"/>
    /// <param name="synthesizer">Speaks through this engine (owned by the caller) instead of the
    /// one the settings name; null: the configured one.</param>
    public static AkkaConfigurationBuilder WithTtsActor(
        this AkkaConfigurationBuilder builder,
        Akka.Configuration.Config root,
        ISpeechSynthesizer? synthesizer,
        Func<IServiceProvider, Uri?>? embeddedServerUrl)
    {
        var settings = TtsSettings.FromConfig(root);
        if (synthesizer is not null)
        {
            return builder.WithActors((system, registry) => Register(system, registry, synthesizer, settings.BargeInPolicy));
        }
        var embeddedKey = root.GetString("voice-agent.tts-server.api-key", "") ?? "";
        if (settings.EffectiveEndpoint == TtsEndpointKind.Embedded && embeddedServerUrl is null)
            throw new InvalidConfigurationException("voice-agent.tts.endpoint = embedded, but this host has no embedded TTS server: use tts.endpoint = url, telnyx or none.");
        if (settings.EffectiveEndpoint == TtsEndpointKind.Telnyx && string.IsNullOrWhiteSpace(settings.ApiKey))
            throw new InvalidConfigurationException(SpeechSynthesizerFactory.MissingKey);

        return builder.WithActors((system, registry, resolver) =>
        {
            Func<CancellationToken, ValueTask<Uri>>? embedded = null;
            if (embeddedServerUrl is not null)
            {
                var services = resolver.GetService<IServiceProvider>();
                embedded = _ => ValueTask.FromResult(embeddedServerUrl(services)
                    ?? throw new SpeechSynthesisException("the embedded TTS server is not running: see why above, or set tts.endpoint = none for text only"));
            }
            var synthesizer = SpeechSynthesizerFactory.Create(settings, embedded, embeddedKey);
            // Owned by the host, not the actor, so that a restarted TtsActor keeps its warm socket.
            system.RegisterOnTermination(() => synthesizer.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2)));
            Register(system, registry, synthesizer, settings.BargeInPolicy);
        });
    }

    private static void Register(ActorSystem system, IActorRegistry registry, ISpeechSynthesizer synthesizer, BargeInPolicy policy)
    {
        var playback = registry.PeerOrNobody<PlaybackActorKey>();
        var actor = system.ActorOf(Props.Create(() => new TtsActor(synthesizer, policy, playback, null)), "tts");
        system.EventStream.Subscribe(actor, TtsActor.Facts);
        registry.Register<TtsActorKey>(actor);
    }
}
