using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition;
using VoiceAgent.Listening.Vad;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Pipeline;

namespace VoiceAgent.Listening;

public static class ListeningHosting
{
    /// <summary>Creates the RecognizerActor from <c>voice-agent.listening</c> / <c>barge-in</c> and
    /// registers it under <see cref="RecognizerActorKey"/>. A missing VAD model or recognizer is no
    /// error: the app runs in text mode and says why.</summary>
    /// <param name="progress">Long preparation steps (a model download) report here.</param>
    /// <param name="hasMicrophone">Whether there is a microphone to listen to; null: whether one is
    /// registered by now.</param>
    /// <param name="engines">Where the engines come from; null: the configured ones.</param>
    public static AkkaConfigurationBuilder WithRecognizerActor(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root,
        Action<string>? progress = null, Func<bool>? hasMicrophone = null, IListeningEngines? engines = null)
    {
        var settings = ListeningSettings.FromConfig(root);
        engines ??= new ConfiguredListeningEngines();
        return builder.WithActors((system, registry) =>
        {
            // With no microphone (none configured, or no device) there is nothing to listen to:
            // no model is loaded, and the app says it runs in text mode.
            var microphone = hasMicrophone?.Invoke() ?? registry.TryGet<MicrophoneActorKey>(out _);
            // Built inside Props so that a restarted actor gets fresh engines (the old ones are disposed).
            var actor = system.ActorOf(Props.Create(() => new RecognizerActor(settings, engines, progress, microphone)), "recognizer");
            // Now: its PreStart comes only after its models have loaded, and a turn may start before.
            system.EventStream.Subscribe(actor, RecognizerActor.Facts);
            registry.Register<RecognizerActorKey>(actor);
        });
    }

    internal static (ListeningEngine? Engine, ISpeechRecognizer? Recognizer, string? Reason) Build(IListeningEngines engines,
        ListeningSettings settings, Action<string>? progress, bool microphone = true)
    {
        if (!microphone) return (null, null, "no microphone");
        var (engine, reason) = engines.CreateEngine(settings);
        ISpeechRecognizer? recognizer = null;
        if (engine is not null)
        {
            try
            {
                var choice = engines.ChooseRecognizer(settings, progress);
                recognizer = choice.Recognizer;
                reason = choice.Reason;
            }
            catch (SpeechRecognitionException e)
            {
                reason = e.Message;
            }
        }
        return (engine, recognizer, reason);
    }
}
