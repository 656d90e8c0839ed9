using System.Text.Json;
using VoiceAgent.Extensions.SessionLog;
using VoiceAgent.Core.Protocol;
using VoiceAgent.TestSupport;

namespace VoiceAgent.Recognition.Tests;

public class SessionLogTests
{
    [Fact]
    public void The_session_log_keeps_each_transcripts_engine_and_recognition_latency()
    {
        var folder = TestWhisperModels.NewFolder("sessions");
        using (var writer = new SessionLogWriter(folder, DateTimeOffset.Now))
        {
            writer.Write(new TranscriptFinal("and so my fellow americans", InputSource.Voice, DateTimeOffset.Now)
            {
                Recognizer = "Whisper base.en",
                SpeechLength = TimeSpan.FromSeconds(2.3),
                RecognitionLatency = TimeSpan.FromMilliseconds(812.34),
            }, DateTimeOffset.Now);
        }

        using var line = JsonDocument.Parse(File.ReadAllLines(Directory.GetFiles(folder).Single()).Single());
        var root = line.RootElement;
        Assert.Equal("TranscriptFinal", root.GetProperty("event").GetString());
        Assert.Equal("Whisper base.en", root.GetProperty("recognizer").GetString());
        Assert.Equal(812.3, root.GetProperty("recognitionLatency").GetDouble());
        Assert.Equal(2300, root.GetProperty("speechLength").GetDouble());
    }
}
