using System.Net.WebSockets;
using VoiceAgent.Configuration;
using VoiceAgent.Speech;

namespace VoiceAgent.TtsServer.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Options_come_from_the_tts_server_section_of_the_defaults()
    {
        var options = TtsServerConfig.FromConfig(DefaultConfig.Load().Config);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(8765, options.Port);
        Assert.Equal("", options.ApiKey);
        Assert.Equal("espeak", options.Provider);
        Assert.Equal("en-us", options.DefaultVoice);
        Assert.Contains("Telnyx.NaturalHD.* = default", options.VoiceAliases);
        Assert.Equal(64L * 1024 * 1024, options.CacheBytes);
        Assert.Equal(TimeSpan.FromSeconds(20), options.InactivityTimeout);
        Assert.Equal(0, options.ForEmbedded().Port);
    }

    [Fact]
    public void Overrides_reach_the_options()
    {
        var config = DefaultConfig.Load(overrides: ["voice-agent.tts-server.port=9999", "voice-agent.tts-server.concatenated=true"]).Config;
        var options = TtsServerConfig.FromConfig(config);
        Assert.Equal(9999, options.Port);
        Assert.True(options.Concatenated);
    }

    [Fact]
    public async Task A_bad_alias_stops_the_start_with_a_message_naming_it()
    {
        await using var host = new TtsServerHost(new TtsServerOptions { VoiceAliases = ["Telnyx.NaturalHD.astra = klingon"] });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.StartAsync());
        Assert.Contains("klingon", error.Message);
    }

    [Fact]
    public async Task Concatenated_mode_sends_one_frame_with_audio_and_text_per_segment()
    {
        await using var host = new TtsServerHost(new TtsServerOptions { Concatenated = true, VoiceAliases = ["Telnyx.NaturalHD.astra = en"] });
        var uri = await host.StartAsync();
        await using var client = await TtsTestClient.ConnectAsync(uri, "voice=Telnyx.NaturalHD.astra&audio_format=linear16&disable_cache=true");
        await client.HandshakeAsync();
        await client.SendAsync(new { text = "One sentence. Two sentences." });
        await client.SendAsync(new { text = "" });
        var frames = await client.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal(3, frames.Count);
        Assert.All(frames.Take(2), f => Assert.True(f.HasAudio && f.Text is { Length: > 0 } && f.TimeToFirstAudioMs is not null));
        Assert.True(frames[2].IsFinal);
    }
}
