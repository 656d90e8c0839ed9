using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Audio;
using VoiceAgent.Composition;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.Speech.Telnyx;
using Xunit;

namespace VoiceAgent.Speech.Tests;

/// <summary>The TtsActor with the real Telnyx client over loopback.</summary>
public sealed class EndToEndTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private FakeTelnyxServer _server = null!;
    private TestProbe _playback = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        // Generous waits: the build machines are shared and busy; nothing here measures time.
        builder.AddHocon("akka.test.single-expect-default = 10s", HoconAddMode.Prepend);
    }

    protected override async Task BeforeTestStart()
    {
        _server = await FakeTelnyxServer.StartAsync();
        _playback = CreateTestProbe("playback");
        Sys.EventStream.Subscribe(_playback.Ref, typeof(SpeechCompleted));
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        await _server.DisposeAsync();
    }

    private TelnyxSpeechSynthesizer Client(int output = 24_000) => new(TelnyxTtsOptions.ForUrl(_server.Url, new TtsSettings
    {
        OutputSampleRate = output,
        Prewarm = true,
    }) with { ApiKey = FakeTelnyxServer.Key }, "loopback");

    [Fact]
    public async Task Say_returns_what_playback_would_play_and_writes_a_wav()
    {
        const string text = "Good morning. The weather is fine.";
        await using var client = Client(output: 16_000);

        var result = await SayRunner.RunAsync(client, text);

        Assert.Null(result.Error);
        Assert.Equal(text, result.HeardText);
        var expected = FakeTelnyxServer.Tone("Good morning.", 24_000).Length + FakeTelnyxServer.Tone("The weather is fine.", 24_000).Length;
        Assert.InRange(result.Samples.Length, expected * 2 / 3 - 3, expected * 2 / 3 + 3);
        Assert.NotNull(result.Metrics);
        Assert.Equal(12, result.Metrics!.ServerTimeToFirstAudioMs);
        Assert.Equal(expected * 2, result.Metrics.AudioBytes);
        Assert.NotNull(result.Metrics.FirstTextToFirstAudio);

        var path = Path.Combine(Path.GetTempPath(), $"say-{Guid.NewGuid():N}.wav");
        try
        {
            SayRunner.WriteWav(result, path);
            var wav = WavFile.Read(path);
            Assert.Equal(16_000, wav.SampleRate);
            Assert.Equal(result.Samples, wav.Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Say_reports_a_rejected_key_as_one_line()
    {
        await using var client = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(_server.Url, new TtsSettings { Prewarm = false }) with { ApiKey = "nope" }, "loopback");

        var result = await SayRunner.RunAsync(client, "Hello.");

        Assert.Empty(result.Samples);
        Assert.StartsWith("the API key was rejected", result.Error);
    }

    [Fact]
    public async Task Barge_in_sends_force_and_audio_the_server_sends_afterwards_is_never_played()
    {
        _server.LateFramesAfterForce = 3;
        await using var client = Client();
        var tts = Sys.ActorOf(Props.Create(() => new TtsActor(client, BargeInPolicy.Force, _playback.Ref, null)));
        var first = new TurnId(1);
        tts.Tell(new AgentTurnStarted(first, "hi", "test", DateTimeOffset.UtcNow));
        tts.Tell(new AgentText(first, "First sentence here. "));
        tts.Tell(new AgentText(first, "And a second one that never"));

        // Play until the first sentence has been heard, then the user barges in.
        _playback.FishForMessage<AudioChunk>(c => c.Text == "First sentence here. ");
        tts.Tell(new BargeIn(first, InputSource.Voice, DateTimeOffset.UtcNow));
        _playback.ExpectMsg<SpeechCompleted>(c => c.Turn == first);
        await AwaitConditionAsync(() => Task.FromResult(_server.Received[1].Contains("""{"force":true}""")));

        // The next turn plays; nothing of the first turn reaches playback in between.
        var second = first.Next();
        tts.Tell(new AgentTurnStarted(second, "more", "test", DateTimeOffset.UtcNow));
        tts.Tell(new AgentText(second, "Next."));
        tts.Tell(new AgentTextCompleted(second, "Next."));
        var seen = _playback.ReceiveWhile<object>(m => m is SpeechCompleted c && c.Turn == second ? null! : m, TimeSpan.FromSeconds(10));
        Assert.All(seen, m => Assert.Equal(second, Assert.IsType<AudioChunk>(m).Turn));
        Assert.Contains(seen, m => m is AudioChunk { Text: "Next." });
    }
}
