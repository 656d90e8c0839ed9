using VoiceAgent.ConsoleUi;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Tests.ConsoleUi;

public class ConversationRendererTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly RecordingConsole _console = new();
    private readonly ConversationRenderer _renderer;

    public ConversationRendererTests() => _renderer = new ConversationRenderer(_console.Console, echoTypedLines: true, showLatency: true);

    private void Render(params IPipelineEvent[] events)
    {
        foreach (var e in events) _renderer.Render(e);
    }

    [Fact]
    public void A_reply_streams_on_one_line_and_notices_wait_for_its_end()
    {
        var turn = new TurnId(1);
        Render(
            new TranscriptFinal("hi", InputSource.Keyboard, Now),
            new AgentTurnStarted(turn, "hi", "offline responder", Now),
            new AgentText(turn, "Hello"),
            new StatusNotice("tts", "voice ready"),
            new AgentText(turn, " there."),
            new AgentTurnEnded(turn, TurnOutcome.Completed, "Hello there."));

        Assert.Equal(
            "you › hi\nagent (offline responder) › Hello there.\n● tts: voice ready\n",
            _console.Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_recognizer_ready_during_a_reply_is_shown_after_the_reply_line()
    {
        var turn = new TurnId(5);
        Render(
            new AgentTurnStarted(turn, "hello", "offline responder", Now),
            new RecognizerReady(false, "no microphone: text mode"),
            new AgentText(turn, "Hello!"),
            new AgentTurnEnded(turn, TurnOutcome.Completed, "Hello!"));

        Assert.Equal("agent (offline responder) › Hello!\n● no microphone: text mode\n", _console.Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Recognized_speech_shows_the_time_from_speech_end_to_transcript_and_the_engine()
    {
        Render(new TranscriptFinal("ask not what your country can do", InputSource.Voice, Now)
        {
            Recognizer = "PocketSphinx",
            SpeechLength = TimeSpan.FromSeconds(3.1),
            RecognitionLatency = TimeSpan.FromMilliseconds(1840),
        });

        Assert.Equal("you › ask not what your country can do  ⏱ heard in 1840 ms · PocketSphinx\n", _console.Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_transcript_shows_the_silence_that_ended_the_turn_and_why()
    {
        Render(new TranscriptFinal("what time is it?", InputSource.Voice, Now)
        {
            Recognizer = "Whisper base.en",
            RecognitionLatency = TimeSpan.FromMilliseconds(700),
            EndOfTurnDelay = TimeSpan.FromMilliseconds(520),
            EndOfTurnReason = "question",
        });

        Assert.Equal("you › what time is it?  ⏱ turn ended after 520 ms (question) · heard in 700 ms · Whisper base.en\n", _console.Text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Backchannels_and_ignored_echo_show_after_the_reply_line_and_are_counted_on_the_status_line()
    {
        var turn = new TurnId(3);
        Render(
            new AgentTurnStarted(turn, "hi", "model", Now),
            new AgentText(turn, "Here is the weather"),
            new BackchannelHeard(turn, "uh-huh", Now),
            new EchoTranscriptDropped("the weather", "Here is the weather", Now),
            new AgentText(turn, " for today."),
            new AgentTurnEnded(turn, TurnOutcome.Completed, "Here is the weather for today."));

        Assert.Equal(
            "agent (model) › Here is the weather for today.\n  · \"uh-huh\": a backchannel, I kept talking\n  · ignored \"the weather\": my own voice\n",
            _console.Text.Replace("\r\n", "\n"));
        var status = StatusLineFormat.Plain(_renderer.Status);
        Assert.Contains("backchannels 1", status);
        Assert.Contains("own voice ignored 1", status);
    }

    [Fact]
    public void A_used_preemptive_reply_shows_beside_the_turns_latency()
    {
        var turn = new TurnId(4);
        Render(
            new AgentTurnStarted(turn, "hi", "model", Now),
            new PreemptiveReply(PreemptiveOutcome.Used, TimeSpan.FromMilliseconds(640), Now),
            new AgentText(turn, "Hello."),
            new TurnLatency(turn, TimeSpan.FromMilliseconds(90), TimeSpan.FromMilliseconds(400)),
            new AgentTurnEnded(turn, TurnOutcome.Completed, "Hello."));

        Assert.Contains("⏱ first text 90 ms · first audio 400 ms · started 640 ms before the end of your turn", _console.Text);
    }

    [Fact]
    public void An_error_notice_shows_at_once_and_the_reply_resumes_on_a_new_line()
    {
        var turn = new TurnId(2);
        Render(
            new AgentTurnStarted(turn, "hi", "model", Now),
            new AgentText(turn, "Part one"),
            new StatusNotice("tts", "socket dropped", NoticeLevel.Error),
            new AgentText(turn, " and two."));

        var lines = _console.Text.Replace("\r\n", "\n").Split('\n');
        Assert.Equal("agent (model) › Part one", lines[0]);
        Assert.Equal("● tts: socket dropped", lines[1]);
        Assert.Equal("agent (model) › … and two.", lines[2]);
    }

    [Fact]
    public void States_follow_the_turn_and_an_interruption_shows_what_was_heard()
    {
        var turn = new TurnId(3);
        Assert.Equal(AgentState.Listening, _renderer.State);
        Render(new AgentTurnStarted(turn, "story", "offline responder", Now));
        Assert.Equal(AgentState.Thinking, _renderer.State);
        Render(new AgentText(turn, "Once upon a time"), new PlaybackStarted(turn, Now));
        Assert.Equal(AgentState.Speaking, _renderer.State);
        Render(new BargeIn(turn, InputSource.Voice, Now));
        Assert.Equal(AgentState.Interrupted, _renderer.State);
        Render(
            new TurnLatency(turn, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(480)),
            new AgentTurnEnded(turn, TurnOutcome.Interrupted, "Once upon"));
        Assert.Equal(AgentState.Listening, _renderer.State);

        Assert.Contains("⏸ interrupted — heard: \"Once upon\"", _console.Text);
        Assert.Contains("⏱ first text 120 ms · first audio 480 ms", _console.Text);
    }

    [Fact]
    public void Events_of_another_turn_are_not_shown_in_this_one()
    {
        Render(
            new AgentTurnStarted(new TurnId(5), "x", "m", Now),
            new AgentText(new TurnId(4), "stale words"),
            new AgentText(new TurnId(5), "fresh"));
        Assert.DoesNotContain("stale", _console.Text);
        Assert.Contains("fresh", _console.Text);
    }

    [Fact]
    public void Typed_lines_are_echoed_only_when_the_terminal_does_not_show_them()
    {
        var quiet = new RecordingConsole();
        var renderer = new ConversationRenderer(quiet.Console, echoTypedLines: false, showLatency: true);
        renderer.Render(new TranscriptFinal("typed", InputSource.Keyboard, Now));
        renderer.Render(new TranscriptFinal("spoken", InputSource.Voice, Now));
        Assert.DoesNotContain("typed", quiet.Text);
        Assert.Contains("you › spoken", quiet.Text);
    }

    /// <summary>Records what the status line was asked to show.</summary>
    private sealed class StatusRecorder : IStatusDisplay
    {
        public List<StatusSnapshot> Shown { get; } = [];

        public void Show(StatusSnapshot status) => Shown.Add(status);
    }

    [Fact]
    public void The_status_line_follows_voice_the_turn_the_microphone_and_the_latency()
    {
        var status = new StatusRecorder();
        var renderer = new ConversationRenderer(new RecordingConsole().Console, echoTypedLines: true, showLatency: true, status);
        var turn = new TurnId(8);

        renderer.Render(new CaptureStarted("pulse:default"));
        renderer.Render(new MicrophoneLevel("pulse:default", -42.4, TimeSpan.FromMilliseconds(100)));
        renderer.Render(new UserSpeechStarted(TurnId.None, Now));
        Assert.Equal(AgentState.HearingYou, status.Shown[^1].State);
        renderer.Render(new UserSpeechEnded(Now));
        renderer.Render(new AgentTurnStarted(turn, "story", "offline responder", Now));
        Assert.Equal(AgentState.Thinking, status.Shown[^1].State);
        renderer.Render(new PlaybackStarted(turn, Now));
        renderer.Render(new TurnLatency(turn, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(480)));
        Assert.Equal(AgentState.Speaking, status.Shown[^1].State);

        // A cough: heard, then dismissed, and the reply goes on.
        renderer.Render(new UserSpeechStarted(turn, Now));
        Assert.Equal(AgentState.HearingYou, status.Shown[^1].State);
        renderer.Render(new UserSpeechDismissed(turn, Now));
        Assert.Equal(AgentState.Speaking, status.Shown[^1].State);

        renderer.Render(new AgentTurnEnded(turn, TurnOutcome.Completed, "Once upon a time."));
        Assert.Equal(
            "● listening · mic ▮▮▯▯▯▯ -42 dBFS · last reply: first audio 480 ms",
            StatusLineFormat.Plain(status.Shown[^1]));

        renderer.Render(new CaptureEnded("pulse:default"));
        Assert.Equal("● listening · no microphone: type to talk · last reply: first audio 480 ms", StatusLineFormat.Plain(status.Shown[^1]));
        // Only changes are sent.
        Assert.All(status.Shown.Zip(status.Shown.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public void Without_a_status_line_the_output_is_the_same_plain_lines()
    {
        var withStatus = new RecordingConsole();
        var without = new RecordingConsole();
        var a = new ConversationRenderer(withStatus.Console, echoTypedLines: true, showLatency: true, new StatusRecorder());
        var b = new ConversationRenderer(without.Console, echoTypedLines: true, showLatency: true);
        var turn = new TurnId(9);
        foreach (var e in new IPipelineEvent[]
                 {
                     new TranscriptFinal("hi", InputSource.Keyboard, Now), new AgentTurnStarted(turn, "hi", "offline responder", Now),
                     new AgentText(turn, "Hello."), new AgentTurnEnded(turn, TurnOutcome.Completed, "Hello."),
                 })
        {
            a.Render(e);
            b.Render(e);
        }
        Assert.Equal(without.Text, withStatus.Text);
        Assert.Equal("you › hi\nagent (offline responder) › Hello.\n", without.Text.Replace("\r\n", "\n"));
    }
}
