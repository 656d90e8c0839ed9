using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Playback;

/// <summary>A turn's stop as the writer learns of it; <see cref="Upcoming"/> is the marker that
/// ends the segment being played, when it was still queued (the partial heard text needs it).</summary>
internal sealed record StopRequest(TurnId Turn, PendingMarker? Upcoming);

/// <summary>
/// What is still to be played, in order: audio (resampled per turn to the output rate), segment
/// markers and turn ends. Keeps the drop rules: nothing is taken for a turn that was stopped or
/// has finished, or for an older one. Not thread-safe; the player guards it.
/// </summary>
internal sealed class PlaybackQueue(int outputRate)
{
    private readonly LinkedList<QueueItem> _items = new();
    private readonly StreamResamplers<TurnId> _resamplers = new(outputRate);
    private TurnId _droppedThrough = TurnId.None;

    public TurnId FinishedThrough { get; private set; } = TurnId.None;

    public bool IsEmpty => _items.Count == 0;

    public bool NextIsAudio => _items.First?.Value is SamplesItem;

    /// <summary>Queues a chunk's audio and its text; false when its turn is no longer played.</summary>
    public bool Add(AudioChunk chunk)
    {
        if (!Accepts(chunk.Turn)) return false;
        if (!chunk.Samples.IsEmpty)
        {
            var samples = _resamplers.Process(chunk.Turn, chunk.SampleRate, chunk.Samples.Span);
            if (samples.Length > 0) _items.AddLast(new SamplesItem(chunk.Turn, samples));
        }
        if (!string.IsNullOrWhiteSpace(chunk.Text)) _items.AddLast(new MarkerItem(chunk.Turn, chunk.Text.Trim()));
        return true;
    }

    /// <summary>Queues the end of <paramref name="turn"/>, after its resampler's tail; false when
    /// the turn is no longer played.</summary>
    public bool Complete(TurnId turn)
    {
        if (!Accepts(turn)) return false;
        var tail = _resamplers.Finish(turn);
        if (tail.Length > 0) _items.AddLast(new SamplesItem(turn, tail));
        _items.AddLast(new EndItem(turn));
        return true;
    }

    /// <summary>Drops everything of <paramref name="turn"/> and older turns, for good. Returns
    /// what the writer needs to report the stop, or null when those turns were dropped already.</summary>
    public StopRequest? Drop(TurnId turn, TurnProgress? playing)
    {
        if (WasDropped(turn)) return null;
        _droppedThrough = turn;
        // Found before the queue is cleared.
        var upcoming = playing is not null && playing.Turn.Value <= turn.Value ? FindQueuedMarker(playing) : null;
        for (var node = _items.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Turn.Value <= turn.Value) _items.Remove(node);
            node = next;
        }
        _resamplers.Forget(t => t.Value <= turn.Value);
        return new StopRequest(turn, upcoming);
    }

    /// <summary>Marks <paramref name="turn"/> as played to its end; false when it was stopped meanwhile.</summary>
    public bool Finish(TurnId turn)
    {
        if (WasDropped(turn)) return false;
        FinishedThrough = turn;
        return true;
    }

    /// <summary>Takes the next item; of audio, only the next piece of up to
    /// <paramref name="pieceSamples"/> (<paramref name="piece"/>, null for other items).</summary>
    public QueueItem TakeNext(int pieceSamples, out short[]? piece)
    {
        var item = _items.First!.Value;
        piece = null;
        if (item is SamplesItem samples)
        {
            piece = samples.Take(pieceSamples);
            if (samples.Remaining == 0) _items.RemoveFirst();
        }
        else
        {
            _items.RemoveFirst();
        }
        return item;
    }

    /// <summary>Puts audio back at the front, to be played next.</summary>
    public void PutBack(TurnId turn, short[] samples) => _items.AddFirst(new SamplesItem(turn, samples));

    private bool WasDropped(TurnId turn) => turn.Value <= _droppedThrough.Value;

    private bool Accepts(TurnId turn) => !WasDropped(turn) && turn.Value > FinishedThrough.Value;

    /// <summary>The first marker still queued for the playing turn, with its position in the
    /// turn's samples (what is written so far plus the audio queued before it).</summary>
    private PendingMarker? FindQueuedMarker(TurnProgress playing)
    {
        var position = playing.Written;
        foreach (var item in _items)
        {
            if (item.Turn != playing.Turn) continue;
            if (item is SamplesItem s) position += s.Remaining;
            else if (item is MarkerItem m) return new PendingMarker(position, m.Text);
        }
        return null;
    }
}

internal abstract class QueueItem(TurnId turn)
{
    public TurnId Turn { get; } = turn;
}

internal sealed class SamplesItem(TurnId turn, short[] samples) : QueueItem(turn)
{
    private int _offset;

    public int Remaining => samples.Length - _offset;

    public short[] Take(int count)
    {
        var piece = samples.AsSpan(_offset, Math.Min(count, Remaining)).ToArray();
        _offset += piece.Length;
        return piece;
    }
}

internal sealed class MarkerItem(TurnId turn, string text) : QueueItem(turn)
{
    public string Text { get; } = text;
}

internal sealed class EndItem(TurnId turn) : QueueItem(turn);
