namespace VoiceAgent.Pipeline.Benchmarks;

/// <summary>One way of running a turn from a transcript to the device: through the actors, or
/// with the engines called directly.</summary>
internal interface ITurnPipeline : IAsyncDisposable
{
    string Name { get; }

    RecordingOutput Output { get; }

    /// <summary>Opens the TTS client's next socket ahead of the turn, as the user's speech does in the app.</summary>
    void WarmUp();

    /// <summary>Runs one turn to its end; returns when the transcript was handed over
    /// (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks).</summary>
    Task<long> RunTurnAsync(string userText);
}
