using Akka.Configuration;

namespace VoiceAgent.Listening.Recognition.PocketSphinx;

/// <summary>The <c>voice-agent.listening.pocketsphinx</c> section.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Where Debian/Ubuntu's <c>pocketsphinx-en-us</c> puts its model.</summary>
    public const string DebianModelFolder = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Folder holding the acoustic model <c>en-us/</c>, <c>en-us.lm.bin</c> and <c>cmudict-en-us.dict</c>.</summary>
    public string ModelFolder { get; init; } = DebianModelFolder;

    public static PocketSphinxOptions FromConfig(Config section) => new()
    {
        ModelFolder = section.GetString("model-folder", DebianModelFolder),
    };
}
