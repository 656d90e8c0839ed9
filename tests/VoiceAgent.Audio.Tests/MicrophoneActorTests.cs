using System.Diagnostics;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Audio.Tests;

public sealed class MicrophoneActorTests : Akka.Hosting.TestKit.TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);
    private readonly string _wav = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");
    private short[] _source = [];

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        // 0.25 s at 8 kHz: resampled to 16 kHz and cut into 20 ms frames.
        _source = Signals.Sine(440, 8000, 0.25);
        WavFile.Write(_wav, _source, 8000);
    }

    [Fact]
    public async Task A_wav_file_arrives_at_the_recognizer_as_20ms_frames_at_16kHz()
    {
        var recognizer = CreateTestProbe();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(IPipelineEvent));
        var wav = _wav;
        var microphone = Sys.ActorOf(Props.Create(() => new MicrophoneActor(() => new WavFileCapture(wav, false), recognizer, false, null)), "microphone");
        var asked = DateTimeOffset.UtcNow;
        microphone.Tell(new StartCapture());

        Assert.Equal("wav:" + Path.GetFileName(_wav), (await events.FishForMessageAsync<CaptureStarted>(_ => true, Long)).Device);
        var frames = new List<AudioFrame>();
        for (var i = 0; i < 13; i++) frames.Add(await recognizer.ExpectMsgAsync<AudioFrame>(Long));
        await events.FishForMessageAsync<CaptureEnded>(_ => true, Long);

        Assert.All(frames, f => Assert.Equal(CaptureFormat.FrameSamples, f.Samples.Length));
        // Stamped as the device handed them over (the listener maps its capture clock from it).
        var stamps = frames.Select(f => f.ArrivedAt ?? throw new Xunit.Sdk.XunitException($"frame at {f.Position} has no arrival stamp")).ToList();
        Assert.All(stamps, at => Assert.InRange(at, asked, DateTimeOffset.UtcNow));
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(Enumerable.Range(0, 13).Select(i => TimeSpan.FromMilliseconds(20 * i)), frames.Select(f => f.Position));
        var all = frames.SelectMany(f => f.Samples.ToArray()).ToArray();
        var expected = Resampler.Convert(_source, 8000, 16_000);
        Assert.Equal(expected, all.Take(expected.Length));
        Assert.All(all.Skip(expected.Length), s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task A_frame_the_device_stamped_keeps_the_devices_time_however_late_it_is_forwarded()
    {
        var recognizer = CreateTestProbe();
        // Delivered by the device 400 ms before the microphone's task got to it.
        var delivered = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 4 / 10;
        Sys.ActorOf(Props.Create(() => new MicrophoneActor(() => new OneFrameCapture(delivered), recognizer, true, null)));

        var before = DateTimeOffset.UtcNow;
        var frame = await recognizer.ExpectMsgAsync<AudioFrame>(Long);

        var arrived = frame.ArrivedAt ?? throw new Xunit.Sdk.XunitException("the frame has no arrival stamp");
        Assert.InRange(arrived, before - Stopwatch.GetElapsedTime(delivered) - TimeSpan.FromMilliseconds(5), before - TimeSpan.FromMilliseconds(390));
    }

    /// <summary>A device that hands over one silent frame it stamped itself.</summary>
    private sealed class OneFrameCapture(long delivered) : IAudioCapture
    {
        public string Name => "stamped";

        public async IAsyncEnumerable<AudioFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return new AudioFrame(new short[CaptureFormat.FrameSamples], TimeSpan.Zero) { DeliveredTimestamp = delivered };
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_capture_that_cannot_open_is_one_failure_line_and_the_actor_lives_on()
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(IPipelineEvent));
        var microphone = Sys.ActorOf(Props.Create(() => new MicrophoneActor(
            () => new WavFileCapture("/nonexistent/in.wav", true), ActorRefs.Nobody, true, null)));

        var failed = await events.FishForMessageAsync<CaptureFailed>(_ => true, Long);
        Assert.Contains("not found", failed.Reason);
        Assert.DoesNotContain('\n', failed.Reason);
        var notice = await events.FishForMessageAsync<StatusNotice>(_ => true, Long);
        Assert.Contains("type to talk", notice.Text);
        Watch(microphone);
        microphone.Tell(new StopCapture());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        File.Delete(_wav);
    }
}
