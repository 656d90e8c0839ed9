using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Conversation;
using VoiceAgent.Conversation.Tests;
using VoiceAgent.Core.Protocol;
using static VoiceAgent.Conversation.Tests.FakeChatServer;

if (args.Contains("--local"))
{
    await LocalModelBenchmark.RunAsync(args);
    return;
}

// What the conversation layer itself adds to a turn's latency, against an OpenAI-compatible
// server on loopback that answers at once: the model's own time is not in these numbers.
const int Runs = 40;
await using var server = await FakeChatServer.StartAsync();
var settings = new ConversationSettings
{
    Provider = "openai",
    BaseUrl = server.BaseUrl,
    Model = "bench",
    ApiKey = "sk-bench",
    SystemPrompt = "Be brief.",
    Timeout = TimeSpan.FromSeconds(10),
};
var pieces = Enumerable.Range(0, 100).Select(i => $" word{i}").ToArray();
server.Fallback = Reply(pieces);

ConversationEngine NewEngine()
{
    var (client, name) = ChatClientFactory.Create(settings);
    return new ConversationEngine(client, settings, name);
}

Console.WriteLine("conversation benchmarks (loopback OpenAI-compatible server, 100-piece replies)");

// The server shares the process: warm it with a plain request so its start-up is not counted.
using (var plain = new HttpClient())
{
    await plain.GetStringAsync(server.BaseUrl + "/models");
    using var body = new StringContent("""{"model":"bench","stream":true,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json");
    using var answer = await plain.PostAsync(server.BaseUrl + "/chat/completions", body);
    await answer.Content.ReadAsStringAsync();
}

// 0. The warm-up at start (skip it with --no-warm-up to see what it saves on the first turn).
var warmUp = !args.Contains("--no-warm-up");
if (warmUp)
{
    var warmUpWatch = Stopwatch.StartNew();
    await ChatClientFactory.Create(settings).WarmUp!.WarmUpAsync(CancellationToken.None);
    Console.WriteLine($"  warm-up at start (canned stream + GET /models): {warmUpWatch.Elapsed.TotalMilliseconds:0.0} ms");
}

// 1. Request → first piece, and per-piece cost, straight through the engine.
var first = new List<double>();
var perPiece = new List<double>();
var cold = 0.0;
for (var run = 0; run <= Runs; run++)
{
    var engine = NewEngine();
    var watch = Stopwatch.StartNew();
    double? firstAt = null;
    var count = 0;
    await foreach (var _ in engine.ReplyAsync("hello", CancellationToken.None))
    {
        firstAt ??= watch.Elapsed.TotalMilliseconds;
        count++;
    }
    var total = watch.Elapsed.TotalMilliseconds;
    if (run == 0) { cold = firstAt!.Value; continue; }
    first.Add(firstAt!.Value);
    perPiece.Add((total - firstAt.Value) / Math.Max(1, count - 1));
}
Console.WriteLine($"  request → first piece, first turn of the process ({(warmUp ? "after the warm-up" : "no warm-up")}): {cold:0.0} ms");
Report("request → first piece (warm)", first);
Report("per streamed piece", perPiece, "0.000");

// 2. Cancel (barge-in) → the server sees the request aborted.
var aborts = new List<double>();
for (var run = 0; run < 10; run++)
{
    await using var slow = await FakeChatServer.StartAsync();
    slow.Fallback = Stream(pieces.Select(p => Chunk(content: p)).ToArray(), pause: TimeSpan.FromMilliseconds(20));
    var (client, name) = ChatClientFactory.Create(settings with { BaseUrl = slow.BaseUrl });
    var engine = new ConversationEngine(client, settings, name);
    using var cancel = new CancellationTokenSource();
    var watch = new Stopwatch();
    try
    {
        var seen = 0;
        await foreach (var _ in engine.ReplyAsync("talk", cancel.Token))
        {
            if (++seen != 3) continue;
            watch.Start();
            cancel.Cancel();
        }
    }
    catch (OperationCanceledException)
    {
    }
    await slow.RequestAborted.WaitAsync(TimeSpan.FromSeconds(10));
    aborts.Add(watch.Elapsed.TotalMilliseconds);
}
Report("cancel → server sees the request aborted", aborts);

// 3. Through the ConversationActor: transcript in → first AgentText on the EventStream.
using var system = ActorSystem.Create("bench", "akka.loglevel = ERROR");
var firstText = new List<double>();
var listener = system.ActorOf(Props.Create(() => new FirstTextListener()));
system.EventStream.Subscribe(listener, typeof(AgentText));
system.EventStream.Subscribe(listener, typeof(AgentTextCompleted));
var actorEngine = NewEngine();
var conversation = system.ActorOf(Props.Create(() => new ConversationActor(actorEngine, null, null)));
ActorRegistry.For(system).Register<ConversationActorKey>(conversation);
for (var run = 0; run <= Runs; run++)
{
    var sent = Stopwatch.GetTimestamp();
    conversation.Tell(new TranscriptFinal("hello", InputSource.Keyboard, DateTimeOffset.UtcNow));
    var (firstTextAt, turn) = await listener.Ask<(long, TurnId)>(new WaitForTurn(), TimeSpan.FromSeconds(10));
    if (run > 0) firstText.Add(Stopwatch.GetElapsedTime(sent, firstTextAt).TotalMilliseconds);
    system.EventStream.Publish(new PlaybackFinished(turn, TimeSpan.Zero, "", DateTimeOffset.UtcNow));
    await conversation.Ask<ConversationIdle>(new NotifyWhenIdle(), TimeSpan.FromSeconds(10));
}
Report("transcript → first AgentText (actor + HTTP + SSE)", firstText);
await system.Terminate();

static void Report(string what, List<double> values, string format = "0.00")
{
    values.Sort();
    double At(double q) => values[(int)Math.Min(values.Count - 1, Math.Round(q * (values.Count - 1)))];
    Console.WriteLine($"  {what}: p50 {At(0.5).ToString(format)} ms · p95 {At(0.95).ToString(format)} ms · max {values[^1].ToString(format)} ms (n={values.Count})");
}

sealed record WaitForTurn;

/// <summary>Notes when each turn's first text piece was published; answers once its text is complete.</summary>
sealed class FirstTextListener : ReceiveActor
{
    private long? _firstAt;
    private TurnId _turn;
    private bool _done;
    private IActorRef? _waiter;

    public FirstTextListener()
    {
        Receive<AgentText>(m =>
        {
            _firstAt ??= Stopwatch.GetTimestamp();
            _turn = m.Turn;
        });
        Receive<AgentTextCompleted>(_ =>
        {
            _done = true;
            Answer();
        });
        Receive<WaitForTurn>(_ =>
        {
            _waiter = Sender;
            Answer();
        });
    }

    private void Answer()
    {
        if (!_done || _waiter is null) return;
        _waiter.Tell((_firstAt!.Value, _turn));
        (_firstAt, _done, _waiter) = (null, false, null);
    }
}
