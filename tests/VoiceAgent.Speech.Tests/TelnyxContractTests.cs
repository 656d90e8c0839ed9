using System.Text;
using VoiceAgent.Telnyx;
using Xunit;

namespace VoiceAgent.Speech.Tests;

/// <summary>The one wire contract: what one side writes, the other reads back unchanged.</summary>
public sealed class TelnyxContractTests
{
    [Fact]
    public void Every_client_frame_reads_back_as_written()
    {
        ClientFrame[] frames =
        [
            ClientFrame.Handshake(1.0), ClientFrame.Handshake(1.25), ClientFrame.Speak("Grüße, \"you\". "),
            ClientFrame.FlushNow(), ClientFrame.EndOfSequence(), ClientFrame.ForceStop(),
        ];
        foreach (var frame in frames)
        {
            var read = ClientFrame.Parse(frame.ToJson(), out var problem);
            Assert.Equal("", problem);
            Assert.Equal(frame, read);
        }
    }

    [Fact]
    public void Every_server_frame_reads_back_as_written()
    {
        ServerFrame[] frames =
        [
            ServerFrame.AudioChunk([1, 2, 3], null, cached: false, timeToFirstAudioMs: 12),
            ServerFrame.AudioChunk([4], "Hello.", cached: true),
            ServerFrame.SegmentText("Hello.", cached: false),
            ServerFrame.Final,
            ServerFrame.Failure("Too many connections"),
        ];
        foreach (var frame in frames)
        {
            var read = ServerFrame.Parse(frame.ToJson())!;
            Assert.Equal(frame.Audio, read.Audio);
            Assert.Equal(frame with { Audio = null }, read with { Audio = null });
        }
    }

    [Fact]
    public void Server_frames_carry_exactly_the_live_fields()
    {
        Assert.Equal("""{"audio":null,"text":"","isFinal":true}""", Text(ServerFrame.Final));
        Assert.Equal("""{"audio":null,"text":"Grüße.","isFinal":false,"cached":true}""", Text(ServerFrame.SegmentText("Grüße.", true)));
        Assert.Equal("""{"audio":"AQ==","text":null,"isFinal":false,"cached":false,"timeToFirstAudioFrameMs":7}""",
            Text(ServerFrame.AudioChunk([1], null, false, 7)));
        Assert.Equal("""{"error":"bad"}""", Text(ServerFrame.Failure("bad")));

        static string Text(ServerFrame frame) => Encoding.UTF8.GetString(frame.ToJson());
    }

    [Theory]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"text":1}""", "\"text\" must be a string")]
    [InlineData("""{"flush":"yes"}""", "\"flush\" must be true or false")]
    [InlineData("""{"force":1}""", "\"force\" must be true or false")]
    [InlineData("""{"voice_settings":[]}""", "\"voice_settings\" must be an object")]
    [InlineData("""{"voice_settings":{"voice_speed":0}}""", "\"voice_settings.voice_speed\" must be a positive number")]
    [InlineData("""{"text":""", "not valid JSON")]
    public void The_server_refuses_a_malformed_client_frame_with_its_reason(string json, string reason)
    {
        Assert.Null(ClientFrame.Parse(Encoding.UTF8.GetBytes(json), out var problem));
        Assert.Equal(reason, problem);
    }
}
