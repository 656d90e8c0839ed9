using VoiceAgent.Audio.Playback;
using VoiceAgent.Audio.Room;
using VoiceAgent.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

/// <summary>The room keeps real time: alone, like the other real-time tests.</summary>
[Collection(RealTimeCollection.Name)]
public sealed class VirtualRoomTests
{
    private const int Rate = VirtualRoom.RoomRate;

    [Fact]
    public async Task Playback_comes_back_through_the_echo_path_and_scripted_speech_arrives_at_its_time()
    {
        var room = new VirtualRoom(new RoomAcoustics { EchoDelay = TimeSpan.FromMilliseconds(100), EchoGain = 0.5 });
        var speech = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples[..(Rate / 2)];
        room.AddSpeech(speech, Rate, TimeSpan.FromSeconds(1.2));
        var finished = new TaskCompletionSource();
        using var player = new AudioPlayer(room, e => { if (e is PlaybackFinished) finished.TrySetResult(); });

        var frames = new List<AudioFrame>();
        using var cts = new CancellationTokenSource();
        var capture = Task.Run(async () =>
        {
            await foreach (var frame in room.ReadFramesAsync(cts.Token))
            {
                frames.Add(frame);
                if (frame.Position >= TimeSpan.FromSeconds(1.8)) break;
            }
        });
        player.Enqueue(new AudioChunk(new TurnId(1), Signals.Sine(440, Rate, 0.5, 0.5), Rate));
        player.Complete(new TurnId(1));
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await capture.WaitAsync(TimeSpan.FromSeconds(10));

        var mic = room.Microphone;
        var speaker = room.Speaker;
        Assert.Equal(frames.SelectMany(f => f.Samples.ToArray()), mic);
        // Sample-exact on the shared clock: the echo is the played audio, 100 ms later, at half level…
        var first = Array.FindIndex(speaker, s => s != 0);
        for (var n = first; n < first + Rate / 2; n++)
            Assert.Equal((short)Math.Round(0.5 * speaker[n]), mic[n + 1600]);
        // …and the user's speech is exactly where the script put it (the echo is over by then).
        Assert.True(first + Rate / 2 + 1600 < (int)(1.2 * Rate));
        Assert.Equal(speech, mic.AsSpan((int)(1.2 * Rate), speech.Length).ToArray());
    }

    [Fact]
    public async Task Reverberation_adds_decaying_reflections_after_the_direct_echo()
    {
        var room = new VirtualRoom(new RoomAcoustics
        {
            EchoDelay = TimeSpan.Zero, EchoGain = 1.0, ReverbSpacing = TimeSpan.FromMilliseconds(10), ReverbDecay = 0.5,
        });
        // One click; the microphone then hears it again 10 and 20 ms later, halving each time.
        room.Write([16000]);
        var frames = room.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < 4; i++) Assert.True(await frames.MoveNextAsync());
        var click = Array.FindIndex(room.Speaker, s => s != 0);
        var mic = room.Microphone;
        Assert.Equal(16000, mic[click]);
        Assert.Equal(8000, mic[click + 160]);
        Assert.Equal(4000, mic[click + 320]);
        Assert.Equal(0, mic[click + 1]);
    }
}
