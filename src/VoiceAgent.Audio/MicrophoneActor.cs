using System.Diagnostics;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using VoiceAgent.Audio.Capture;
using VoiceAgent.Dsp;
using VoiceAgent.Pipeline;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio;

/// <summary>
/// The microphone: reads 20 ms frames from an <see cref="IAudioCapture"/> on a task and sends
/// each as an <see cref="AudioFrame"/> to the RecognizerActor. Publishes CaptureStarted, then
/// CaptureEnded or CaptureFailed (one line; the app carries on in text mode), and the
/// microphone's <see cref="MicrophoneLevel"/> ten times a second.
/// Starts at once unless told otherwise; <see cref="StartCapture"/> / <see cref="StopCapture"/>
/// start and stop it again.
/// </summary>
public sealed class MicrophoneActor : ReceiveActor
{
    /// <summary>A <see cref="MicrophoneLevel"/> goes out every tenth of a second of capture.</summary>
    private const int LevelSamples = CaptureFormat.SampleRate / 10;
    private static readonly TimeSpan FrameDuration = Pcm16.Duration(CaptureFormat.FrameSamples, CaptureFormat.SampleRate);

    private readonly Func<IAudioCapture> _createCapture;
    private readonly IActorRef _recognizer;
    private readonly PipelineEvents _events;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly bool _startAtOnce;
    private CancellationTokenSource? _running;
    private string _device = "microphone";

    /// <param name="createCapture">Opens the capture source; called on every start.</param>
    /// <param name="recognizer">Receives every frame.</param>
    public MicrophoneActor(Func<IAudioCapture> createCapture, IActorRef recognizer, bool startAtOnce = true, TimeProvider? clock = null)
    {
        _createCapture = createCapture;
        _recognizer = recognizer;
        _startAtOnce = startAtOnce;
        _events = new PipelineEvents(Context.System, clock);

        Receive<StartCapture>(_ => Start());
        Receive<StopCapture>(_ => _running?.Cancel());
        Receive<CaptureStopped>(OnStopped);
    }

    protected override void PreStart()
    {
        if (_startAtOnce) Start();
    }

    protected override void PostStop() => _running?.Cancel();

    private void Start()
    {
        if (_running is not null) return;
        IAudioCapture capture;
        try
        {
            capture = _createCapture();
        }
        catch (Exception e)
        {
            Failed(_device, e);
            return;
        }
        _device = capture.Name;
        var running = _running = new CancellationTokenSource();
        _events.Publish(new CaptureStarted(capture.Name));
        var self = Self;
        var pipeline = _events;
        var events = Context.System.EventStream;
        var level = new LevelMeter();
        var device = capture.Name;
        _ = MailboxPump.Start(ReadThenClose(capture, running.Token), _recognizer, frame =>
        {
            level.Add(frame.Samples.Span);
            if (level.Samples >= LevelSamples)
            {
                events.Publish(new MicrophoneLevel(device, level.RmsDbfs, frame.Position + FrameDuration));
                level.Reset();
            }
            return frame with { ArrivedAt = ArrivedAt(frame, pipeline.Now) };
        }, end =>
        {
            // The device is closed by now (ReadThenClose), so a restart can open it again.
            self.Tell(new CaptureStopped(running, device, (end as PumpEnd.Failed)?.Error));
            return null;
        }, running.Token);
    }

    /// <summary>The device's frames; the device is closed when they end, however they end.</summary>
    private static async IAsyncEnumerable<AudioFrame> ReadThenClose(IAudioCapture capture, [EnumeratorCancellation] CancellationToken cancellation)
    {
        try
        {
            await foreach (var frame in capture.ReadFramesAsync(cancellation).WithCancellation(cancellation))
                yield return frame;
        }
        finally
        {
            await capture.DisposeAsync();
        }
    }

    /// <summary>When the device delivered <paramref name="frame"/>, on the pipeline's clock: now,
    /// less how long ago the device says it was (this task may have been waiting for a thread).</summary>
    private static DateTimeOffset ArrivedAt(AudioFrame frame, DateTimeOffset now) =>
        frame.DeliveredTimestamp is { } delivered ? now - Max(TimeSpan.Zero, Stopwatch.GetElapsedTime(delivered)) : now;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void OnStopped(CaptureStopped m)
    {
        if (_running == m.Run) _running = null;
        m.Run.Dispose();
        if (m.Error is null) _events.Publish(new CaptureEnded(m.Device));
        else Failed(m.Device, m.Error);
    }

    private void Failed(string device, Exception e)
    {
        var reason = e is AudioDeviceException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        _log.Warning("Capture from {0} failed: {1}", device, reason);
        _events.Publish(new CaptureFailed(device, reason));
        _events.Publish(new StatusNotice("microphone", $"no microphone input ({reason}); type to talk", NoticeLevel.Warning));
    }

    private sealed record CaptureStopped(CancellationTokenSource Run, string Device, Exception? Error);
}
