using VoiceAgent.Composition;
using VoiceAgent.Speech.Telnyx;
using VoiceAgent.TtsServer;
using Xunit;

namespace VoiceAgent.Speech.Tests;

/// <summary>
/// The embedded server's real voice (espeak-ng) and real MP3 (LAME, one file per sentence with an
/// ID3 tag and an Info frame), decoded by the client as it arrives: the same text in MP3 and in
/// linear16 comes out the same length. A decoder that kept each file's encoder delay and padding
/// would add more than one MP3 frame of silence per sentence.
/// </summary>
public sealed class GaplessMp3Tests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rate = 24_000;
    private const int FrameSamples = 576; // one MPEG-2 layer III frame at 24 kHz
    private const string Text = "The first sentence is short. Here comes a second one, a little longer. And the third ends it.";
    private readonly TtsServerHost _server = new(new TtsServerOptions().ForEmbedded());
    private Uri _url = null!;

    public async ValueTask InitializeAsync() => _url = await _server.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<SayResult> SayAsync(string format)
    {
        await using var client = new TelnyxSpeechSynthesizer(TelnyxTtsOptions.ForUrl(_url, new TtsSettings
        {
            AudioFormat = format,
            SampleRate = Rate,
            OutputSampleRate = Rate,
            DisableCache = true,
            Prewarm = false,
        }), "embedded");
        var result = await SayRunner.RunAsync(client, Text);
        Assert.Null(result.Error);
        return result;
    }

    [Fact]
    public async Task The_same_text_in_mp3_and_in_linear16_has_the_same_length()
    {
        // espeak-ng's first synthesis in a process comes out a little shorter than the ones after it.
        await SayAsync("linear16");
        var linear16 = await SayAsync("linear16");
        var mp3 = await SayAsync("mp3");

        Assert.Equal(Text, mp3.HeardText);
        var difference = mp3.Samples.Length - linear16.Samples.Length;
        output.WriteLine($"linear16 {linear16.Samples.Length} samples, mp3 {mp3.Samples.Length} samples: {difference} ({difference * 1000.0 / Rate:0.0} ms)");
        Assert.InRange(Math.Abs(difference), 0, 3 * FrameSamples - 1);
    }
}
