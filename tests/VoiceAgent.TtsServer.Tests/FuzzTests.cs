using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>
/// Sessions built from random and structured malformed frames and from LLM markdown cut at
/// random points. Seeded (the seed is printed; VOICE_AGENT_FUZZ_SEED replays another) and
/// bounded in time; every assertion holds by construction:
/// a session whose frames are all valid ends with a known sentence and <c>{"text":""}</c>, so it
/// must get audio, that sentence, a final frame and close 1000; a session that sends one bad frame
/// stops there and must get exactly one error frame and a policy close (or, for text that is not
/// UTF-8, the WebSocket layer's 1007 close). No session may end in a reset, the server logs no
/// error of its own, and a normal session works afterwards.
/// </summary>
public sealed class FuzzTests
{
    private const int DefaultSeed = 20261130;

    /// <summary>These many sessions always run; more run while the time budget lasts.</summary>
    private const int MinimumSessions = 48;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private enum Expect { Speech, ErrorFrame, Close1007 }

    private sealed record Frame(byte[] Bytes, WebSocketMessageType Type)
    {
        public static Frame Text(string json) => new(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);
    }

    private sealed record Plan(int Number, string Query, List<Frame> Frames, Expect Expect, string Ending, string Description);

    [Fact]
    public async Task Random_and_malformed_frames_always_get_an_answer_and_the_server_keeps_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("VOICE_AGENT_FUZZ_SEED"), out var chosen) ? chosen : DefaultSeed;
        TestContext.Current.TestOutputHelper?.WriteLine($"fuzz seed {seed} (VOICE_AGENT_FUZZ_SEED={seed} replays this run)");
        var random = new Random(seed);
        var plans = Enumerable.Range(1, 160).Select(n => MakePlan(n, random)).ToList();

        await using var server = await OwnServer.StartAsync(new TtsServerOptions());
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        int ran = 0, frames = 0;
        var outcomes = new Dictionary<Expect, int>();
        foreach (var batch in plans.Chunk(8))
        {
            if (ran >= MinimumSessions && clock.Elapsed > Budget) break; // bounded time; every session that ran was checked in full
            var results = await Task.WhenAll(batch.Select(plan => RunAsync(server.Uri, plan)));
            foreach (var (plan, problem) in batch.Zip(results))
            {
                ran++;
                frames += plan.Frames.Count;
                outcomes[plan.Expect] = outcomes.GetValueOrDefault(plan.Expect) + 1;
                if (problem is not null) failures.Add($"session {plan.Number} ({plan.Description}): {problem}");
            }
        }
        frames += await KeepAliveStormAsync(server.Uri, random);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{ran} sessions ({string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}), {frames} frames in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"seed {seed}:\n{string.Join("\n", failures)}");
        await ServerFixture.WaitForNoSessionsAsync(server.Host);
        Assert.DoesNotContain(server.Log.Lines, l => l.Level >= LogLevel.Error);
        await server.AssertServesAsync();
    }

    /// <summary>Runs one plan; returns what went wrong, or null.</summary>
    private static async Task<string?> RunAsync(Uri uri, Plan plan)
    {
        await using var client = await TtsTestClient.ConnectAsync(uri, plan.Query);
        var receiving = client.ReceiveUntilClosedAsync(); // read all along, like a real client
        try
        {
            foreach (var frame in plan.Frames)
                await client.Socket.SendAsync(frame.Bytes, frame.Type, true, CancellationToken.None);
        }
        catch (WebSocketException e)
        {
            if (plan.Expect == Expect.Speech) return $"the server went away while the client was sending: {e.Message}";
        }

        List<ServerFrame> received;
        try
        {
            received = await receiving;
        }
        catch (WebSocketException e)
        {
            return $"reset instead of a close ({e.WebSocketErrorCode}: {e.Message})";
        }

        var errors = received.Where(f => f.Error is not null).ToList();
        switch (plan.Expect)
        {
            case Expect.Speech:
                if (errors.Count > 0) return $"error frame \"{errors[0].Error}\"";
                if (client.CloseStatus != WebSocketCloseStatus.NormalClosure) return $"closed with {client.CloseStatus} {client.CloseDescription}";
                if (!received.Any(f => f.HasAudio)) return "no audio";
                if (received.LastOrDefault(f => f.Text is { Length: > 0 })?.Text != plan.Ending) return $"the last sentence was not \"{plan.Ending}\"";
                if (!received[^1].IsFinal) return "no final frame before the close";
                return null;
            case Expect.ErrorFrame:
                if (errors.Count != 1 || received[^1].Error is null) return $"{errors.Count} error frames, last frame {received.LastOrDefault()?.Json}";
                if (client.CloseStatus is not (WebSocketCloseStatus.PolicyViolation or WebSocketCloseStatus.InvalidMessageType or WebSocketCloseStatus.MessageTooBig))
                    return $"error \"{errors[0].Error}\" but closed with {client.CloseStatus}";
                return null;
            default:
                if (errors.Count > 0) return $"error frame \"{errors[0].Error}\" for invalid UTF-8";
                return client.CloseStatus == WebSocketCloseStatus.InvalidPayloadData ? null : $"closed with {client.CloseStatus} instead of 1007";
        }
    }

    private static Plan MakePlan(int number, Random random)
    {
        string[] queries =
        [
            "voice=espeak.en-us&audio_format=linear16&sample_rate=8000",
            "voice=espeak.en-us&audio_format=linear16&sample_rate=16000&disable_cache=true",
            "voice=Telnyx.NaturalHD.astra&audio_format=linear16",
            "voice=espeak.en-us&audio_format=mp3&sample_rate=16000&disable_cache=true",
            "voice=espeak.en&audio_format=wav&sample_rate=16000",
        ];
        var query = queries[random.Next(queries.Length)];
        var frames = new List<Frame>();
        var description = new List<string>();
        var fatalAt = random.Next(3) == 0 ? -1 : random.Next(0, 8); // two in three sessions send one bad frame
        if (fatalAt != 0)
        {
            var speed = (0.45 + random.NextDouble() * 2.15).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            frames.Add(Frame.Text(random.Next(3) == 0 ? "{\"text\":\" \",\"voice_settings\":{\"voice_speed\":" + speed + "}}" : """{"text":" "}"""));
        }
        var count = fatalAt >= 0 ? fatalAt : random.Next(3, 11);
        for (var i = frames.Count; i < count; i++)
        {
            var (frame, what) = ValidFrame(random);
            frames.Add(frame);
            description.Add(what);
        }

        if (fatalAt >= 0)
        {
            var (frame, what, expect) = fatalAt == 0 ? (Frame.Text("""{"text":"Hello before the handshake."}"""), "text before the handshake", Expect.ErrorFrame) : BadFrame(random);
            frames.Add(frame);
            description.Add("BAD " + what);
            return new Plan(number, query, frames, expect, "", string.Join(", ", description));
        }
        var ending = $"Fuzz session {number} ends here.";
        frames.Add(Frame.Text("""{"flush":true}"""));
        frames.Add(Frame.Text(Corpus.TextFrame(ending)));
        frames.Add(Frame.Text("""{"text":""}"""));
        return new Plan(number, query, frames, Expect.Speech, ending, string.Join(", ", description));
    }

    /// <summary>A frame the protocol accepts: markdown pieces, odd but valid JSON, control frames.</summary>
    private static (Frame, string) ValidFrame(Random random)
    {
        switch (random.Next(12))
        {
            case < 4:
                var (name, answer) = Corpus.Answers[random.Next(Corpus.Answers.Count)];
                var start = random.Next(answer.Length);
                var excerpt = answer.Substring(start, Math.Min(answer.Length - start, random.Next(20, 140)));
                var tokens = Corpus.Tokens(excerpt, random, splitPairs: true);
                return (Frame.Text(Corpus.TextFrame(string.Concat(tokens.Take(random.Next(1, tokens.Count + 1))))), $"excerpt of {name}");
            case 4:
                return (Frame.Text(Corpus.TextFrame(Torture(random))), "markdown torture");
            case 5:
                return (Frame.Text(Corpus.TextFrame(RandomUnicode(random))), "random unicode");
            case 6:
                string[] control = ["""{"flush":true}""", """{"force":true}""", """{"text":" "}""", "{}", """{"text":null}""",
                    """{"force":true,"text":"After the force."}""", """{"text":"\n\n"}""", """{"flush":false,"force":false}"""];
                var c = control[random.Next(control.Length)];
                return (Frame.Text(c), c);
            case 7:
                string[] odd = ["""{"text":"Odd fields.","type":"x","extra":[1,{"a":null}],"voice_settings":{"voice_speed":9}}""",
                    """{"text":"\u0000\u0007 control characters.\u001b"}""", """{"text":"Escapes \" \\ \/ \b \f \t done."}""",
                    """{"text":"&#x1F600; &nbsp; &amp; &lt;b&gt; entities."}""", """{"text":"\ud83d"}""", """{"text":"\ude00 orphan."}""",
                    """{"voice_settings":{"voice_speed":1.5}}""", """{"text":"Nested [[[[[[[[[[[[[[[[[[[[ stuff."}"""];
                var o = odd[random.Next(odd.Length)];
                return (Frame.Text(o), o);
            default:
                var words = new[] { "the", "voice", "agent", "speaks", "3.5", "e.g.", "Dr.", "example.com", "don't", "—", "…", "(aside)", "**bold**", "`code`", "\n", "- item", "# Title", "1.", "?", "!" };
                var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 25)).Select(_ => words[random.Next(words.Length)]));
                return (Frame.Text(Corpus.TextFrame(text + (random.Next(2) == 0 ? "." : " "))), "word salad");
        }
    }

    private static string Torture(Random random)
    {
        var k = random.Next(1, 300);
        string[] shapes =
        [
            string.Concat(Enumerable.Repeat("> ", k)) + "quoted.", string.Concat(Enumerable.Repeat("- ", k)) + "listed.",
            new string('[', k) + "bracketed.", string.Concat(Enumerable.Repeat("*a", k)) + ".", "```\n```", "```python\n" + new string('x', k),
            "| a | b |\n|---|---|\n| c | d |", "[1]: http://example.com/x", "***", "---", "___", "<div>\n<p>html</p>\n</div>",
            "<!-- comment", "[link](http://x.y \"t\")", "![img](a.png)", "\\", "`", "~~~", "1) one\n2) two", "    indented code",
            string.Concat(Enumerable.Repeat("_a", k)), "[^1]: note", "$x^2$", new string('.', k) + "x", new string('!', k),
        ];
        return shapes[random.Next(shapes.Length)];
    }

    private static string RandomUnicode(Random random)
    {
        var text = new StringBuilder();
        for (var n = random.Next(1, 60); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0: text.Append((char)random.Next(0xD800, 0xE000)); break;           // lone surrogates
                case 1: text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))); break; // emoji
                case 2: text.Append((char)random.Next(0x4E00, 0x9FFF)); break;           // CJK
                case 3: text.Append((char)random.Next(0x0300, 0x036F)); break;           // combining marks
                case 4: text.Append("\u200d\u200b\u202e\ufeff"[random.Next(4)]); break;  // joiners, bidi, BOM
                default: text.Append((char)random.Next(0x20, 0x7F)); break;
            }
        }
        return text.ToString();
    }

    /// <summary>A frame the protocol refuses (after the handshake), and what must answer it.</summary>
    private static (Frame, string, Expect) BadFrame(Random random)
    {
        switch (random.Next(9))
        {
            case 0:
                var noise = new string(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (char)random.Next(32, 127)).ToArray());
                return (Frame.Text("~" + noise), "not JSON", Expect.ErrorFrame);
            case 1:
                const string whole = """{"text":"A partial frame.","flush":true}""";
                return (Frame.Text(whole[..random.Next(1, whole.Length)]), "truncated JSON", Expect.ErrorFrame);
            case 2:
                string[] wrong = ["""{"text":5}""", """{"text":{}}""", """{"text":[]}""", """{"flush":"yes"}""", """{"force":1}""",
                    """{"voice_settings":[]}""", "[1,2,3]", "42", "null", "\"text\"", """{"text":true}"""];
                var w = wrong[random.Next(wrong.Length)];
                return (Frame.Text(w), w, Expect.ErrorFrame);
            case 3:
                var depth = random.Next(17, 3000);
                return (Frame.Text(new string('[', depth) + new string(']', depth)), $"JSON {depth} deep", Expect.ErrorFrame);
            case 4:
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return (new Frame(bytes, WebSocketMessageType.Binary), "binary", Expect.ErrorFrame);
            case 5:
                return (Frame.Text("{\"text\":\"" + new string('a', 70_000) + "\"}"), "oversize", Expect.ErrorFrame);
            case 6:
                byte[] prefix = "{\"text\":\"bad "u8.ToArray(), suffix = "\"}"u8.ToArray();
                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
                return (new Frame([.. prefix, .. invalid[random.Next(invalid.Length)], .. suffix], WebSocketMessageType.Text), "invalid UTF-8", Expect.Close1007);
            case 7:
                return (Frame.Text("""{"text":"x","voice_settings":{"voice_speed":"fast"}}"""), "voice_speed as text", Expect.ErrorFrame);
            default:
                return (Frame.Text("{\"text\":\"" + new string(' ', random.Next(0, 10)) + "\"" + new string(',', random.Next(1, 4)) + "}"), "trailing commas", Expect.ErrorFrame);
        }
    }

    /// <summary>Thousands of cheap, valid frames that say nothing on one socket, then a sentence.</summary>
    private static async Task<int> KeepAliveStormAsync(Uri uri, Random random)
    {
        await using var client = await TtsTestClient.ConnectAsync(uri, "voice=espeak.en-us&audio_format=linear16&disable_cache=true");
        var receiving = client.ReceiveUntilClosedAsync();
        await client.HandshakeAsync();
        string[] quiet = ["""{"text":" "}""", "{}", """{"text":null}""", """{"flush":true}""", """{"text":"\ud83d"}""", """{"text":"🎉"}""",
            """{"text":"\n"}""", """{"unknown":[1,2,3]}""", """{"text":"\t"}""", """{"force":true}"""];
        const int count = 3000;
        for (var i = 0; i < count; i++) await client.SendRawAsync(quiet[random.Next(quiet.Length)]);
        await client.SendAsync(new { flush = true });
        await client.SendAsync(new { text = "The storm is over." });
        await client.SendAsync(new { text = "" });
        var frames = await receiving;
        Assert.DoesNotContain(frames, f => f.Error is not null);
        Assert.Contains(frames, f => f.Text == "The storm is over.");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        return count + 4;
    }
}
