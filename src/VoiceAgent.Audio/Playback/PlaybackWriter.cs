using VoiceAgent.Audio.Output;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>
/// The player's writer thread: takes jobs from the <see cref="PlaybackSchedule"/> and does them
/// on the device (every device call happens here), reporting the playback records. After the
/// device fails once, audio is skipped but markers and turn ends still pass.
/// </summary>
internal sealed class PlaybackWriter
{
    private readonly PlaybackSchedule _schedule;
    private readonly IAudioOutput _output;
    private readonly Action<object> _report;
    private readonly TimeProvider _clock;
    private readonly EchoReferenceStamper _stamper;
    private readonly DeviceBackPressure _backPressure;
    private readonly Func<TimeSpan?> _waitForRoom;
    private bool _outputBroken;

    public PlaybackWriter(PlaybackSchedule schedule, IAudioOutput output, Action<object> report, TimeProvider clock, TimeSpan pieceDuration)
    {
        _schedule = schedule;
        _output = output;
        _report = report;
        _clock = clock;
        _stamper = new EchoReferenceStamper(output, clock, report);
        _backPressure = new DeviceBackPressure(output, pieceDuration, clock);
        // Made once: the schedule asks before every piece.
        _waitForRoom = () => _outputBroken ? null : _backPressure.WaitForRoom();
    }

    /// <inheritdoc cref="DeviceBackPressure.StalledWrites"/>
    public long StalledWrites => _backPressure.StalledWrites;

    /// <summary>The thread's body: returns when the schedule is shut down.</summary>
    public void Run()
    {
        while (_schedule.TryTake(_waitForRoom, out var job))
        {
            try
            {
                if (job.Stops is not null) HandleStops(job.Stops);
                else if (job.PauseFlush) HandlePause();
                else if (job.Piece is not null) PlayPiece(job.Piece);
                else if (job.Item is MarkerItem marker) PassMarker(marker);
                else if (job.Item is EndItem end) FinishTurn(end.Turn);
            }
            catch (Exception e) when (e is not ThreadInterruptedException)
            {
                OutputFailed(e);
            }
        }
    }

    private void PlayPiece(short[] piece)
    {
        var current = _schedule.Current!;
        if (!current.Started)
        {
            current.Started = true;
            _report(new PlaybackStarted(current.Turn, _clock.GetUtcNow()));
        }
        var latency = _stamper.Write(piece, _outputBroken);
        _schedule.Remember(piece);
        ReportProgress(current, current.HeardPosition(latency, _output.SampleRate));
    }

    private void PassMarker(MarkerItem marker)
    {
        var current = _schedule.Current!;
        if (!current.Started)
        {
            // Text-only output has no samples: reaching the first marker is the start.
            current.Started = true;
            _report(new PlaybackStarted(marker.Turn, _clock.GetUtcNow()));
        }
        current.AddMarker(marker.Text);
        ReportProgress(current, current.HeardPosition(_outputBroken ? TimeSpan.Zero : _output.Latency, _output.SampleRate));
    }

    private void FinishTurn(TurnId turn)
    {
        var current = _schedule.Current!;
        if (!_outputBroken && current.Written > 0) _output.Drain();
        if (!_schedule.Finish(turn)) return;
        current.Reach(current.Written);
        var played = Pcm16.Duration(current.Written, _output.SampleRate);
        _report(new PlaybackFinished(turn, played, current.HeardText(), _clock.GetUtcNow()));
    }

    private void HandleStops(StopRequest[] stops)
    {
        var current = _schedule.Current;
        var reported = new HashSet<TurnId>();
        var stopThrough = stops.Max(s => s.Turn.Value);
        if (current is not null && current.Turn.Value <= stopThrough)
        {
            var latency = _outputBroken ? TimeSpan.Zero : _stamper.Flush();
            var heard = current.HeardPosition(latency, _output.SampleRate);
            current.Reach(heard);
            var upcoming = stops.FirstOrDefault(s => s.Upcoming is not null)?.Upcoming;
            var text = current.HeardTextWhenCut(heard, upcoming);
            _schedule.EndStopped(current);
            _report(new PlaybackStopped(current.Turn, Pcm16.Duration(heard, _output.SampleRate), text, _clock.GetUtcNow()));
            reported.Add(current.Turn);
        }
        foreach (var stop in stops)
        {
            // A turn whose audio had not started (or not arrived) was stopped with nothing heard.
            if (reported.Add(stop.Turn) && stop.Turn.Value > _schedule.FinishedThrough.Value)
                _report(new PlaybackStopped(stop.Turn, TimeSpan.Zero, "", _clock.GetUtcNow()));
        }
    }

    private void HandlePause()
    {
        if (_outputBroken) return;
        _schedule.PutBackDropped(_stamper.Flush());
    }

    private void OutputFailed(Exception e)
    {
        if (_outputBroken) return;
        _outputBroken = true;
        // From here on audio is skipped, but markers and turn ends still pass, so the
        // conversation carries on with text.
        _report(new PlaybackFailed(_output.Name, e.Message));
    }

    private void ReportProgress(TurnProgress turn, long heard)
    {
        turn.Reach(heard);
        _report(new PlaybackProgress(turn.Turn, Pcm16.Duration(turn.Heard, _output.SampleRate), turn.HeardText()));
    }
}
