using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Core.Protocol;
using Xunit;
using VoiceAgent.Configuration;

namespace VoiceAgent.Speech.Tests;

/// <summary>WithTtsActor as a host uses it: settings from the layered config, an embedded server
/// URL that only exists once the host has started its server.</summary>
public sealed class HostingTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    private readonly TaskCompletionSource<IActorRef> _playbackProbe = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeTelnyxServer? _server;
    private TestProbe _playback = null!;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        // Generous waits: the build machines are shared and busy; nothing here measures time.
        builder.AddHocon("akka.test.single-expect-default = 10s", HoconAddMode.Prepend);
        var config = VoiceAgent.Configuration.DefaultConfig.Load(
            overrides: ["tts.endpoint=embedded", $"tts-server.api-key={FakeTelnyxServer.Key}", "audio.output-sample-rate=16000"],
            environment: _ => null).Config;
        // The TtsActor is given its playback peer when it is created, before any probe exists: a
        // relay stands in the role and passes on to the probe made for the test.
        var probe = _playbackProbe.Task;
        builder.WithActors((system, registry) =>
        {
            var relay = system.ActorOf(Props.Create(() => new Relay(probe)), "playback");
            // As the PlaybackActor: chunks are told to it, the turn's end is published.
            system.EventStream.Subscribe(relay, typeof(SpeechCompleted));
            registry.Register<PlaybackActorKey>(relay);
        });
        // The server is started after the actor is built: the URL is asked for at the first connect.
        builder.WithTtsActor(config, _ => _server?.Url);
    }

    protected override async Task BeforeTestStart()
    {
        _server = await FakeTelnyxServer.StartAsync();
        _playback = CreateTestProbe();
        _playbackProbe.SetResult(_playback.Ref);
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync(); // the actor system first: it closes its warm socket
        if (_server is not null) await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_registered_actor_speaks_through_the_embedded_server_at_the_playback_rate()
    {
        var tts = await ActorRegistry.For(Sys).GetAsync<TtsActorKey>();
        var turn = new TurnId(7);
        tts.Tell(new AgentTurnStarted(turn, "hi", "test", DateTimeOffset.UtcNow));
        tts.Tell(new AgentText(turn, "Hi there."));
        tts.Tell(new AgentTextCompleted(turn, "Hi there."));

        var chunks = _playback.ReceiveWhile<AudioChunk>(m => (m as AudioChunk)!, TimeSpan.FromSeconds(10)).ToList();
        Assert.All(chunks, c => Assert.Equal(16_000, c.SampleRate));
        Assert.Equal("Hi there.", string.Concat(chunks.Select(c => c.Text)));
        Assert.True(chunks.Sum(c => c.Samples.Length) > 0);
        _playback.ExpectMsg<SpeechCompleted>(c => c.Turn == turn);
        // The key went on the upgrade (the server answers 401 otherwise) and the text on the socket.
        Assert.Contains("""{"text":"Hi there."}""", _server!.Received[1]);
    }

    [Fact]
    public void A_telnyx_endpoint_without_a_key_stops_the_host_with_one_line()
    {
        var config = VoiceAgent.Configuration.DefaultConfig.Load(overrides: ["tts.endpoint=telnyx"], environment: _ => null).Config;
        var builder = new AkkaConfigurationBuilder(new Microsoft.Extensions.DependencyInjection.ServiceCollection(), "x");
        var error = Assert.Throws<InvalidConfigurationException>(() => { builder.WithTtsActor(config); });
        Assert.Equal(SpeechSynthesizerFactory.MissingKey, error.Message);
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(Task<IActorRef> target) => ReceiveAny(m => target.Result.Tell(m, Sender));
    }
}
