using System.Diagnostics;
using VoiceAgent.TtsServer.Protocol;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>A session's queue and its quiet-before-final rule, without a socket.</summary>
public sealed class SessionPartsTests
{
    [Fact]
    public async Task The_queue_holds_the_reader_back_until_spoken_segments_make_room()
    {
        var queue = new SessionWorkQueue(maxQueuedChars: 10);
        queue.Enqueue(["Hello there.", "Again."], generation: 0, CancellationToken.None);
        Assert.Equal(2, queue.PendingSegments);
        Assert.True(queue.IsOverfull);
        Assert.True(queue.HasQueuedWork);

        var room = queue.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        var taken = new List<SessionWork>();
        queue.Complete();
        await foreach (var work in queue.ReadAllAsync(CancellationToken.None)) taken.Add(work);
        Assert.False(queue.HasQueuedWork);
        Assert.False(room.IsCompleted); // taken is not spoken

        queue.SegmentDone(((SessionWork.Speak)taken[0]).Segment);
        await room.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(queue.IsOverfull);
        Assert.Equal(1, queue.PendingSegments);
    }

    [Fact]
    public async Task A_final_waits_for_client_quiet_unless_more_work_arrives()
    {
        var quiet = new ClientQuiet();
        quiet.NoteFrame();
        var clock = Stopwatch.StartNew();
        await quiet.WaitAsync(() => false, CancellationToken.None);
        Assert.True(clock.Elapsed >= ClientQuiet.Required - TimeSpan.FromMilliseconds(20));

        quiet.NoteFrame();
        clock.Restart();
        await quiet.WaitAsync(() => true, CancellationToken.None);
        Assert.True(clock.Elapsed < ClientQuiet.Required);
    }
}
