using VoiceAgent.Listening;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition;

namespace VoiceAgent.Simulation;

/// <summary>
/// The listening engines of a scenario whose user speaks scripted words: the real VAD and
/// listening engine, and the <see cref="ScriptedRecognizer"/> test double in place of whatever
/// recognizer the settings name (so a scenario needs no speech model to hear "uh-huh").
/// </summary>
internal sealed class ScriptedListeningEngines(IListeningEngines inner, Func<ListeningSettings, ScriptedRecognizer> recognizer) : IListeningEngines
{
    public (ListeningEngine? Engine, string? Problem) CreateEngine(ListeningSettings settings) => inner.CreateEngine(settings);

    public RecognizerChoice ChooseRecognizer(ListeningSettings settings, Action<string>? progress = null) =>
        new(recognizer(settings), "the scenario scripts what the user says");

    public ISpeechRecognizer StartRecognizer(RecognizerEngine engine, ListeningSettings settings, Action<string>? progress = null) =>
        recognizer(settings);
}
