using VoiceAgent.Audio;
using VoiceAgent.Composition;
using VoiceAgent.Configuration;
using VoiceAgent.Dsp;
using Xunit;

namespace VoiceAgent.Speech.Tests;

public sealed class SayCliTests : IAsyncLifetime
{
    private FakeTelnyxServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeTelnyxServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<(int Code, string Out, string Err)> Say(SayRequest request, string key)
    {
        var overrides = new List<string> { $"tts.url-api-key={key}" };
        overrides.AddRange(SayCli.Overrides(request));
        var config = DefaultConfig.Load(overrides: overrides, environment: _ => null).Config;
        var output = new StringWriter();
        var error = new StringWriter();
        var (code, _) = await SayCli.RunAsync(request, config, null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Say_with_a_url_writes_the_wav_at_the_playback_rate_and_prints_one_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"say-cli-{Guid.NewGuid():N}.wav");
        try
        {
            var (code, output, error) = await Say(new SayRequest("Testing one two.", path, _server.Url.ToString(), Format: "mp3", SampleRate: 16_000), FakeTelnyxServer.Key);

            Assert.Equal(0, code);
            Assert.Empty(error);
            Assert.Single(output.TrimEnd().Split('\n'));
            Assert.EndsWith($"-> {path}", output.TrimEnd());
            Assert.Contains("audio_format=mp3", _server.Queries.First());
            Assert.Contains("sample_rate=16000", _server.Queries.First());
            var wav = WavFile.Read(path);
            Assert.Equal(24_000, wav.SampleRate); // audio.output-sample-rate
            Assert.True(wav.Duration > TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_rejected_key_exits_non_zero_with_one_line()
    {
        var (code, output, error) = await Say(new SayRequest("Hello.", TtsUrl: _server.Url.ToString()), "bad");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("voice-agent say: the API key was rejected", error);
    }

    [Fact]
    public async Task Telnyx_without_a_key_exits_2_with_the_hint()
    {
        var config = DefaultConfig.Load(overrides: ["tts.endpoint=telnyx"], environment: _ => null).Config;
        var error = new StringWriter();
        var (code, _) = await SayCli.RunAsync(new SayRequest("Hello."), config, null, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Equal("voice-agent say: TELNYX_API_KEY is not set: export it or use --profile offline", error.ToString().TrimEnd());
    }
}
