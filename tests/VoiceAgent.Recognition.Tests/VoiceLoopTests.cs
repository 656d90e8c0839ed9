using VoiceAgent.Audio.Room;
using VoiceAgent.Audio;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

/// <summary>
/// The voice loop end to end with real words: jfk.wav is spoken into the virtual room's
/// microphone, the real VAD cuts it, PocketSphinx (the recognizer that needs no download) hears
/// it, the conversation answers, and the answer is spoken into the room. Checked on the room's
/// recorded timeline; the deadlines are for a loaded machine, they are not what is measured.
/// </summary>
public class VoiceLoopTests(ITestOutputHelper output)
{
    // listening.recognizer stays auto: with no Whisper model and no server, PocketSphinx listens.
    // jfk.wav pauses for over a second inside its sentence; a speaker like that sets a longer
    // end-of-utterance silence, so the whole sentence is one utterance (PocketSphinx hears whole
    // utterances far better than pieces).
    private static readonly string[] Settings = ["listening.min-silence=1500ms"];

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(180);

    private static readonly short[] Jfk = WavFile.Read(RepoPaths.Fixture("jfk.wav")).Samples;

    // Where the words are in jfk.wav: speech from 0.32 s to 10.6 s.
    private static readonly TimeSpan JfkOnset = TimeSpan.FromSeconds(0.32);
    private static readonly TimeSpan JfkEnd = TimeSpan.FromSeconds(10.6);

    [Fact]
    public async Task Speech_to_an_idle_assistant_becomes_a_transcript_an_answer_and_spoken_audio()
    {
        // A laptop on a desk: the answer's echo comes back into the microphone (speaker mode).
        await using var room = await VoiceRoom.StartAsync(new RoomAcoustics(), Settings);
        try
        {
            var (_, ready) = await room.WaitFor<RecognizerReady>(_ => true, "the recognizer", Generous);
            await room.CaughtUpAsync(Generous);
            // listening.recognizer = auto on a machine without a Whisper model: it says which
            // engine listens, and why.
            Assert.True(ready.VoiceInput, ready.Description);
            Assert.Contains("PocketSphinx, the low-accuracy fallback", ready.Description);
            Assert.Contains("Whisper model base.en is not installed (get it with: voice-agent models pull base.en)", ready.Description);

            var speechAt = room.Speak(Jfk, room.Room.Now + TimeSpan.FromSeconds(0.5));

            var (heardAt, transcript) = await room.WaitFor<TranscriptFinal>(t => t.Source == InputSource.Voice, "a transcript", Generous);
            output.WriteLine($"heard \"{transcript.Text}\" at {heardAt.TotalSeconds:0.00} s, {transcript.RecognitionLatency?.TotalMilliseconds:0} ms after the speech ended");
            Assert.Contains("country", ReferenceWords.Words(transcript.Text));
            Assert.True(heardAt > speechAt + JfkEnd, "the transcript comes after the words were spoken");
            Assert.Equal("PocketSphinx", transcript.Recognizer);
            Assert.InRange(transcript.SpeechLength!.Value.TotalSeconds, 10, 12);
            Assert.True(transcript.RecognitionLatency > TimeSpan.Zero);

            var (_, turn) = await room.WaitFor<AgentTurnStarted>(t => t.UserText == transcript.Text, "the answer", Generous);
            var (playedAt, _) = await room.WaitFor<PlaybackStarted>(p => p.Turn == turn.Turn, "the answer's audio", Generous);
            var (_, text) = await room.WaitFor<AgentTextCompleted>(t => t.Turn == turn.Turn, "the answer's text", Generous);
            Assert.Contains("country", text.FullText);
            // The answer is spoken: the room's speaker track carries it.
            await room.WaitFor<PlaybackProgress>(p => p.Turn == turn.Turn && p.Played > TimeSpan.FromSeconds(1.2), "a second of the answer", Generous);
            var start = (int)(playedAt.TotalSeconds * VirtualRoomRate);
            Assert.True(Signals.Rms(room.Room.Speaker.AsSpan(start, VirtualRoomRate)) > 0.02, "the answer should be audible in the room");
            // The assistant was idle: nothing was interrupted.
            Assert.DoesNotContain(room.All<BargeIn>(), b => b.At < playedAt);
        }
        finally
        {
            output.WriteLine(room.Describe());
        }
    }

    [Fact]
    public async Task Speech_over_the_assistant_interrupts_it_and_becomes_the_next_turn()
    {
        // Headphones: only the user reaches the microphone. Interruptions over the speakers' echo
        // are the scenario tests' subject (VoiceAgent.Simulation.Tests); this one is about words.
        await using var room = await VoiceRoom.StartAsync(new RoomAcoustics { EchoGain = 0 }, [.. Settings, "listening.mode=headset"]);
        try
        {
            await room.WaitFor<RecognizerReady>(r => r.VoiceInput, "the recognizer", Generous);
            await room.CaughtUpAsync(Generous);
            room.Type("Tell me a long story.");
            var (_, story) = await room.WaitFor<AgentTurnStarted>(_ => true, "the story", Generous);
            var (playedAt, _) = await room.WaitFor<PlaybackStarted>(p => p.Turn == story.Turn, "the story's audio", Generous);

            // Two seconds into the story (about 35 s long), the user talks over it.
            var speechAt = room.Speak(Jfk, playedAt + TimeSpan.FromSeconds(2));

            // The barge-in comes from the user's words, not before them. (How fast it comes is
            // measured by the scenario tests, on the capture clock.)
            var (bargedAt, bargeIn) = await room.WaitFor<BargeIn>(b => b.Turn == story.Turn, "the barge-in", Generous);
            output.WriteLine($"barge-in seen {(bargedAt - speechAt - JfkOnset).TotalMilliseconds:0} ms after the onset");
            Assert.Equal(InputSource.Voice, bargeIn.Source);
            Assert.True(bargedAt > speechAt + JfkOnset, "the barge-in follows the user's speech");
            var (_, ended) = await room.WaitFor<AgentTurnEnded>(t => t.Turn == story.Turn, "the story's end", Generous);
            Assert.Equal(TurnOutcome.Interrupted, ended.Outcome);

            // The words that interrupted are the next user turn.
            var (heardAt, transcript) = await room.WaitFor<TranscriptFinal>(t => t.Source == InputSource.Voice, "a transcript", Generous);
            output.WriteLine($"heard \"{transcript.Text}\" at {heardAt.TotalSeconds:0.00} s");
            Assert.Contains("country", ReferenceWords.Words(transcript.Text));
            Assert.True(heardAt > speechAt + JfkEnd);
            var (_, next) = await room.WaitFor<AgentTurnStarted>(t => t.Turn != story.Turn, "the next turn", Generous);
            Assert.Equal(transcript.Text, next.UserText);
            await room.WaitFor<PlaybackStarted>(p => p.Turn == next.Turn, "the answer's audio", Generous);
        }
        finally
        {
            output.WriteLine(room.Describe());
        }
    }

    private const int VirtualRoomRate = VirtualRoom.RoomRate;
}
