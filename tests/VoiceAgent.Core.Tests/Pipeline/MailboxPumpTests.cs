using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using VoiceAgent.Pipeline;

namespace VoiceAgent.Core.Tests.Pipeline;

public sealed class MailboxPumpTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly ActorSystem _system = ActorSystem.Create("pump-tests");
    private readonly Channel<object> _received = Channel.CreateUnbounded<object>();
    private readonly IActorRef _target;

    public MailboxPumpTests()
    {
        _target = _system.ActorOf(Props.Create(() => new Recorder(_received.Writer)));
    }

    public void Dispose() => _system.Terminate().Wait(Patience);

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(ChannelWriter<object> received) => ReceiveAny(m => received.TryWrite(m));
    }

    private sealed record Item(int Value);

    private sealed record Ended(PumpEnd How);

    private static async IAsyncEnumerable<int> Count(int to, Exception? thenThrow = null, Task? before = null,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        for (var i = 1; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
        if (before is not null) await before.WaitAsync(cancellation);
        if (thenThrow is not null) throw thenThrow;
    }

    private async Task<List<object>> ReceiveAll(Task pump)
    {
        await pump.WaitAsync(Patience);
        // Everything is told before the pump's task completes; give the mailbox time to deliver it.
        var all = new List<object>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            while (true) all.Add(await _received.Reader.ReadAsync(quiet.Token));
        }
        catch (OperationCanceledException)
        {
        }
        return all;
    }

    private Task Pump(IAsyncEnumerable<int> source, CancellationToken cancellation = default) =>
        MailboxPump.Start(source, _target, i => new Item(i), end => new Ended(end), cancellation);

    [Fact]
    public async Task Every_item_is_told_in_order_and_the_end_last()
    {
        var all = await ReceiveAll(Pump(Count(3)));

        Assert.Equal(new object[] { new Item(1), new Item(2), new Item(3), new Ended(PumpEnd.Completed) }, all);
    }

    [Fact]
    public async Task A_failure_is_told_after_the_items_read_before_it()
    {
        var boom = new InvalidOperationException("boom");

        var all = await ReceiveAll(Pump(Count(2, boom)));

        Assert.Equal(new object[] { new Item(1), new Item(2), new Ended(new PumpEnd.Failed(boom)) }, all);
    }

    [Fact]
    public async Task Cancelling_the_pumps_token_ends_it_as_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var never = new TaskCompletionSource();

        var pump = Pump(Count(1, before: never.Task), cancellation.Token);
        Assert.Equal(new Item(1), await _received.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        await cancellation.CancelAsync();

        Assert.Equal(new object[] { new Ended(PumpEnd.Cancelled) }, await ReceiveAll(pump));
    }

    [Fact]
    public async Task A_cancellation_the_pump_did_not_ask_for_is_a_failure()
    {
        var foreign = new OperationCanceledException("someone else's");

        var all = await ReceiveAll(Pump(Count(0, foreign)));

        Assert.Equal(new object[] { new Ended(new PumpEnd.Failed(foreign)) }, all);
    }

    [Fact]
    public async Task Null_messages_are_not_told()
    {
        var pump = MailboxPump.Start(Count(4), _target, i => i % 2 == 0 ? new Item(i) : null, _ => null, CancellationToken.None);

        Assert.Equal(new object[] { new Item(2), new Item(4) }, await ReceiveAll(pump));
    }

    [Fact]
    public async Task Start_returns_while_the_stream_is_still_waiting()
    {
        var release = new TaskCompletionSource();

        var pump = Pump(Count(0, before: release.Task));
        Assert.False(pump.IsCompleted);
        release.SetResult();

        Assert.Equal(new object[] { new Ended(PumpEnd.Completed) }, await ReceiveAll(pump));
    }
}
