using System.Diagnostics;
using System.Net.WebSockets;
using VoiceAgent.TestSupport;
using VoiceAgent.TtsServer.Synthesis.Processes;

namespace VoiceAgent.TtsServer.Tests;

/// <summary>The pool of synthesis worker processes (real processes, real espeak-ng, a real socket):
/// its size, a worker dying mid-sentence, a worker stuck after a force, and shutdown.</summary>
public sealed class SynthesisProcessTests
{
    private const string Query = "voice=espeak.en-us&audio_format=linear16&disable_cache=true";

    private static readonly string LongText =
        string.Join(" ", Enumerable.Range(1, 60).Select(i => $"Sentence {i} of a long answer, read slowly so that it takes a while."));

    private static SynthesisProcessPool PoolOf(OwnServer server) =>
        Assert.IsType<SynthesisProcessPool>(server.Host.Synthesizer);

    [Fact]
    public async Task The_server_runs_the_configured_number_of_worker_processes_and_one_per_core_by_default()
    {
        await using (var three = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 3 }))
        {
            var ids = PoolOf(three).ProcessIds;
            Assert.Equal(3, ids.Distinct().Count());
            Assert.DoesNotContain(Environment.ProcessId, ids);
            await three.AssertServesAsync();
        }
        await using var byDefault = await OwnServer.StartAsync(new TtsServerOptions());
        Assert.Equal(Environment.ProcessorCount, PoolOf(byDefault).ProcessIds.Count);
    }

    [Fact]
    public async Task A_server_embedded_for_one_session_synthesizes_in_process_unless_told_otherwise()
    {
        await using (var embedded = await OwnServer.StartAsync(new TtsServerOptions().ForEmbedded()))
        {
            Assert.IsNotType<SynthesisProcessPool>(embedded.Host.Synthesizer);
            await embedded.AssertServesAsync();
        }
        await using var told = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 2 }.ForEmbedded());
        Assert.Equal(2, PoolOf(told).ProcessIds.Count);
    }

    [Fact]
    public async Task A_worker_that_dies_mid_sentence_fails_that_session_with_one_error_and_is_replaced()
    {
        await using var server = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 1 });
        var victim = PoolOf(server).ProcessIds.Single();
        await using var client = await SpeakingSlowlyAsync(server);

        Process.GetProcessById(victim).Kill();

        var frames = await client.ReceiveUntilClosedAsync();
        var error = Assert.Single(frames, f => f.Error is not null);
        Assert.Contains("audio response", error.Error);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, client.CloseStatus);
        await server.Log.WaitForAsync("a new process is started");

        await server.AssertServesAsync();
        var replacement = PoolOf(server).ProcessIds.Single();
        Assert.NotEqual(victim, replacement);
    }

    [Fact]
    public async Task A_frozen_worker_is_ended_and_replaced_and_its_session_gets_an_answer_not_a_hang()
    {
        var options = new TtsServerOptions { SynthesisProcesses = 1, SynthesisStallTimeout = TimeSpan.FromSeconds(5) };
        await using var server = await OwnServer.StartAsync(options);
        var frozen = PoolOf(server).ProcessIds.Single();
        await using var client = await SpeakingSlowlyAsync(server);

        Signal("STOP", frozen); // it can no longer answer a cancel, nor speak what comes next
        await client.SendAsync(new { force = true, text = "After the force." });

        // The worker may have been speaking (the force cancels it; it is killed 2 s later and the
        // new text is spoken by its replacement) or between sentences (the new text goes to it,
        // it says nothing, and it is killed when the stall timeout passes: that sentence fails
        // with one error). Either way the session gets an answer.
        var frames = new List<ServerFrame>();
        while (!frames.Any(f => f.Text == "After the force." || f.Error is not null))
        {
            var more = await client.ReceiveUntilFinalAsync();
            Assert.NotEmpty(more); // closed without either answer
            frames.AddRange(more);
        }
        if (frames.Any(f => f.Error is not null))
        {
            Assert.Contains("audio response", Assert.Single(frames, f => f.Error is not null).Error);
            await client.ReceiveUntilClosedAsync();
            Assert.Equal(WebSocketCloseStatus.InternalServerError, client.CloseStatus);
        }
        Assert.True(WaitUntilGone(frozen), $"the frozen worker {frozen} still runs");
        await server.AssertServesAsync();
        Assert.NotEqual(frozen, PoolOf(server).ProcessIds.Single());
    }

    [Fact]
    public async Task Stopping_the_server_ends_every_worker_process()
    {
        var server = await OwnServer.StartAsync(new TtsServerOptions { SynthesisProcesses = 2 });
        var ids = PoolOf(server).ProcessIds;
        await using (await SpeakingSlowlyAsync(server))
            await server.DisposeAsync(); // mid-synthesis
        foreach (var id in ids) Assert.True(WaitUntilGone(id), $"worker {id} outlived its server");
    }

    /// <summary>A session that has its first audio of a long text spoken at half speed: its
    /// worker is busy with it for a good while.</summary>
    private static async Task<TtsTestClient> SpeakingSlowlyAsync(OwnServer server)
    {
        var client = await TtsTestClient.ConnectAsync(server.Uri, Query);
        await client.HandshakeAsync(speed: 0.5);
        await client.SendAsync(new { text = LongText });
        Assert.True((await client.ReceiveAsync())!.HasAudio);
        return client;
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString()]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool WaitUntilGone(int pid) => ProcessTree.WaitUntilGone(pid, TtsTestClient.Patience);
}
