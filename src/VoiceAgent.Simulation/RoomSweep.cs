namespace VoiceAgent.Simulation;

/// <summary>
/// The rooms echo handling is held to: echo gains of 0.3, 0.6 and 1.0 (0 dB: the microphone
/// hears the agent as loud as it plays) × speaker-to-microphone delays of 30 and 120 ms × with
/// and without reverberation (reflections every 13 ms, each half the one before: a tail of about
/// 300 ms), and a way to run one scenario in several rooms side by side.
/// </summary>
public static class RoomSweep
{
    public static readonly RoomSetup Reverberation = new() { ReverbSpacing = 0.013, ReverbDecay = 0.5 };

    public static IReadOnlyList<RoomSetup> Rooms { get; } =
    [
        .. from gain in new[] { 0.3, 0.6, 1.0 }
           from delay in new[] { 0.03, 0.12 }
           from reverb in new[] { false, true }
           select new RoomSetup
           {
               EchoGain = gain,
               EchoDelay = delay,
               ReverbSpacing = reverb ? Reverberation.ReverbSpacing : 0,
               ReverbDecay = Reverberation.ReverbDecay,
           },
    ];

    /// <summary>The hardest rooms: 0 dB with the long path, with and without reverberation.</summary>
    public static IReadOnlyList<RoomSetup> Hardest { get; } = [.. Rooms.Where(r => r.EchoGain >= 1.0 && r.EchoDelay >= 0.12).OrderByDescending(r => r.ReverbSpacing)];

    public static string Describe(RoomSetup room) =>
        $"gain {room.EchoGain:0.0}, {room.EchoDelay * 1000:0} ms, {(room.ReverbSpacing > 0 ? "reverb" : "no reverb")}";

    /// <summary>Runs <paramref name="scenario"/> once in each room, <paramref name="sideBySide"/>
    /// rooms at a time. Each run has its own room clock, pipeline and TTS server, and its report
    /// is read from its own timeline, so rooms running together do not blur each other's numbers.</summary>
    public static async Task<IReadOnlyList<ScenarioReport>> RunAsync(Scenario scenario, IReadOnlyList<RoomSetup> rooms, ScenarioOptions? options, int sideBySide, CancellationToken cancellationToken = default)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, sideBySide));
        var runs = rooms.Select(async room =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await ScenarioRunner.RunAsync(scenario with { Name = $"{scenario.Name} ({Describe(room)})", Room = room }, options, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        return await Task.WhenAll(runs);
    }
}
