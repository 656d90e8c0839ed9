using Akka.Configuration;

namespace VoiceAgent.Listening;

/// <summary>The <c>voice-agent.listening</c> and <c>voice-agent.barge-in</c> sections.</summary>
public sealed record ListeningSettings
{
    public string Recognizer { get; init; } = "auto";
    public bool BargeInEnabled { get; init; } = true;
    public TimeSpan BargeInMinSpeech { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan BargeInResumeAfter { get; init; } = TimeSpan.FromMilliseconds(600);

    public static ListeningSettings FromConfig(Config root)
    {
        var listening = root.GetConfig("voice-agent.listening");
        var bargeIn = root.GetConfig("voice-agent.barge-in");
        return new ListeningSettings
        {
            Recognizer = listening.GetString("recognizer", "auto"),
            BargeInEnabled = bargeIn.GetBoolean("enabled", true),
            BargeInMinSpeech = bargeIn.GetTimeSpan("min-speech", TimeSpan.FromMilliseconds(250)),
            BargeInResumeAfter = bargeIn.GetTimeSpan("resume-after", TimeSpan.FromMilliseconds(600)),
        };
    }
}
