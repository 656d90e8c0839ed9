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
    public static AkkaConfigurationBuilder WithRecognizerActor(this AkkaConfigurationBuilder builder, Akka.Configuration.Config root,
        Action<string>? progress = null, Func<bool>? hasMicrophone = null)
    {
        var settings = ListeningSettings.FromConfig(root);
        return builder.WithActors((system, registry) =>
        {
            // With no microphone (none configured, or no device) there is nothing to listen to:
            // no model is loaded, and the app says it runs in text mode.
            var microphone = hasMicrophone?.Invoke() ?? registry.TryGet<MicrophoneActorKey>(out _);
            // Built inside Props so that a restarted actor gets fresh engines (the old ones are disposed).
            var actor = system.ActorOf(Props.Create(() => new RecognizerActor(settings, progress, microphone)), "recognizer");
            // Now: its PreStart comes only after its models have loaded, and a turn may start before.
            system.EventStream.Subscribe(actor, RecognizerActor.Facts);
            registry.Register<RecognizerActorKey>(actor);
        });
    }

    internal static (ListeningEngine? Engine, ISpeechRecognizer? Recognizer, string? Reason) Build(ListeningSettings settings, Action<string>? progress, bool microphone = true)
    {
        if (!microphone) return (null, null, "no microphone");
        var (engine, reason) = CreateEngine(settings);
        ISpeechRecognizer? recognizer = null;
        if (engine is not null)
        {
            try
            {
                var choice = RecognizerFactory.Create(settings, progress);
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

    /// <summary>The listening engine with the real Silero model, or why there is none.</summary>
    public static (ListeningEngine? Engine, string? Problem) CreateEngine(ListeningSettings settings)
    {
        if (!settings.VadEnabled) return (null, "voice activity detection is off (listening.vad = false)");
        try
        {
            var model = new SileroVadModel(VadModelFile.Resolve(settings.VadModel));
            return (new ListeningEngine(settings, model), null);
        }
        catch (VadModelException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            return (null, $"voice activity detection unavailable (ONNX Runtime: {e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
