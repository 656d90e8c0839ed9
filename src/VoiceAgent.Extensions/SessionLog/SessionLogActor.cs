using Akka.Actor;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Extensions.SessionLog;

/// <summary>
/// Extension: records the session (turns, transcripts, interruptions, latencies, notices) as JSON
/// lines under the configured folder. Playback progress is left out unless asked for: it arrives
/// every 20 ms and would drown the rest.
/// </summary>
public sealed class SessionLogActor : ReceiveActor
{
    private readonly SessionLogWriter _writer;
    private readonly bool _includeProgress;

    public SessionLogActor(ExtensionContext context)
    {
        var folder = context.Settings.GetString("folder", "sessions");
        _includeProgress = context.Settings.GetBoolean("include-progress", false);
        _writer = new SessionLogWriter(folder, DateTimeOffset.Now);

        Receive<IPipelineEvent>(e =>
        {
            if (!_includeProgress && e is PlaybackProgress) return;
            _writer.Write(e, DateTimeOffset.Now);
        });
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(IPipelineEvent));
        Context.System.EventStream.Publish(new StatusNotice("session-log", $"logging to {_writer.FilePath}"));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _writer.Dispose();
    }
}
