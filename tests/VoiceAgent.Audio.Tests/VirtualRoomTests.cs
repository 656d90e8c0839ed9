using System.Diagnostics;
using VoiceAgent.Audio.Playback;
using VoiceAgent.Audio.Room;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
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
        var finished = new TaskCompletionSource();
        using var player = new AudioPlayer(room, e => { if (e is PlaybackFinished) finished.TrySetResult(); });

        var frames = new List<AudioFrame>();
        var listenUntilTicks = long.MaxValue;
        using var cts = new CancellationTokenSource();
        var capture = Task.Run(async () =>
        {
            await foreach (var frame in room.ReadFramesAsync(cts.Token))
            {
                frames.Add(frame);
                if (frame.Position.Ticks >= Interlocked.Read(ref listenUntilTicks)) break;
            }
        });
        player.Enqueue(new AudioChunk(new TurnId(1), Signals.Sine(440, Rate, 0.5, 0.5), Rate));
        player.Complete(new TurnId(1));
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Speech scripted once the echo is over, however late a busy machine started the tone.
        var at = TimeSpan.FromMilliseconds(Math.Ceiling(room.Now.TotalMilliseconds) + 500);
        room.AddSpeech(speech, Rate, at);
        Interlocked.Exchange(ref listenUntilTicks, (at + TimeSpan.FromSeconds(0.6)).Ticks);
        await capture.WaitAsync(TimeSpan.FromSeconds(10));

        var mic = room.Microphone;
        var speaker = room.Speaker;
        Assert.Equal(frames.SelectMany(f => f.Samples.ToArray()), mic);
        // Sample-exact on the shared clock: the echo is the played audio, 100 ms later, at half level…
        var first = Array.FindIndex(speaker, s => s != 0);
        for (var n = first; n < first + Rate / 2; n++)
            Assert.Equal((short)Math.Round(0.5 * speaker[n]), mic[n + 1600]);
        // …and the user's speech is exactly where the script put it (the echo is over by then).
        var speechStart = Pcm16.SamplesFor(at, Rate);
        Assert.True(first + Rate / 2 + 1600 < speechStart);
        Assert.Equal(speech, mic.AsSpan(speechStart, speech.Length).ToArray());
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

    private static async Task<short[]> ListenAsync(VirtualRoom room, int frames, Action<int>? atFrame = null)
    {
        var reader = room.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < frames; i++)
        {
            atFrame?.Invoke(i);
            Assert.True(await reader.MoveNextAsync());
        }
        return room.Microphone;
    }

    [Fact]
    public async Task Noise_has_its_level_and_the_same_seed_gives_the_same_noise()
    {
        var acoustics = new RoomAcoustics { NoiseDbfs = -30, NoiseSeed = 5 };
        var first = await ListenAsync(new VirtualRoom(acoustics), 10);
        var second = await ListenAsync(new VirtualRoom(acoustics), 10);

        Assert.InRange(Pcm16.RmsDbfs(first), -30.5, -29.5);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Speech_scripted_after_the_microphone_started_keeps_its_place_on_the_timeline()
    {
        var room = new VirtualRoom(new RoomAcoustics { EchoGain = 0 });
        var speech = Signals.Sine(500, Rate, 0.2);
        // Added once 5 frames (100 ms) have been heard, for 60 ms in: its first 40 ms are past.
        var mic = await ListenAsync(room, 15, frame => { if (frame == 5) room.AddSpeech(speech, Rate, TimeSpan.FromMilliseconds(60)); });

        Assert.All(mic[..1600], s => Assert.Equal(0, s));
        Assert.Equal(speech.AsSpan(640, 3200 - 640).ToArray(), mic.AsSpan(1600, 3200 - 640).ToArray());
        Assert.All(mic[(1600 + 3200 - 640)..], s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task A_frame_read_late_carries_the_moment_it_was_complete_on_the_room_clock()
    {
        var room = new VirtualRoom(new RoomAcoustics { EchoGain = 0 });
        // A reader that starts late (a busy machine) gets the first frames at once.
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var frames = new List<AudioFrame>();
        await foreach (var frame in room.ReadFramesAsync(TestContext.Current.CancellationToken))
        {
            frames.Add(frame);
            if (frames.Count == 3) break;
        }

        for (var i = 0; i < frames.Count; i++)
        {
            var delivered = frames[i].DeliveredTimestamp ?? throw new Xunit.Sdk.XunitException($"frame {i} has no delivery stamp");
            // Frame i was complete 20 (i + 1) ms after the room started, not when it was read.
            var completeAt = room.Now - Stopwatch.GetElapsedTime(delivered);
            Assert.Equal(20.0 * (i + 1), completeAt.TotalMilliseconds, 1.0);
            Assert.True(Stopwatch.GetElapsedTime(delivered) >= TimeSpan.FromMilliseconds(200), $"frame {i} stamped when it was read");
        }
    }
}
