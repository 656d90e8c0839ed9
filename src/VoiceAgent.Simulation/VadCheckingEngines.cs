using VoiceAgent.Listening;
using VoiceAgent.Listening.Engine;
using VoiceAgent.Listening.Recognition;

namespace VoiceAgent.Simulation;

/// <summary>
/// The listening engines of a scenario run, reporting whether voice activity detection could
/// start: a scenario without it measures nothing, so the run stops with the reason. Learnt from
/// the one load the recognizer does, not from a second one made only to check.
/// </summary>
internal sealed class VadCheckingEngines(IListeningEngines inner) : IListeningEngines
{
    private readonly TaskCompletionSource<string?> _problem = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Null once the VAD has started; why it cannot, otherwise.</summary>
    public Task<string?> VadProblem => _problem.Task;

    public (ListeningEngine? Engine, string? Problem) CreateEngine(ListeningSettings settings)
    {
        var created = inner.CreateEngine(settings);
        _problem.TrySetResult(created.Engine is null ? created.Problem ?? "voice activity detection unavailable" : null);
        return created;
    }

    public RecognizerChoice ChooseRecognizer(ListeningSettings settings, Action<string>? progress = null) =>
        inner.ChooseRecognizer(settings, progress);

    public ISpeechRecognizer StartRecognizer(RecognizerEngine engine, ListeningSettings settings, Action<string>? progress = null) =>
        inner.StartRecognizer(engine, settings, progress);
}
