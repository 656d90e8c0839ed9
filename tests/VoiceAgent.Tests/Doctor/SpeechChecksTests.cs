using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Doctor;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;
using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.Tests.Doctor;

/// <summary>The speech rows: espeak-ng, the MP3 libraries and the TTS endpoint, for real where
/// this machine has them (espeak-ng, LAME, the managed MP3 decoder, the embedded server over a loopback socket).</summary>
public class SpeechChecksTests
{
    private const string Key = "KEY-test-0123456789abcdefWXYZ";
    private static readonly TtsServerOptions Server = new();

    private static Task<DoctorRow> Run(IDoctorCheck check) => check.RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Espeak_ng_is_loaded_and_says_a_word()
    {
        var row = await Run(new EspeakCheck(new TtsSettings(), Server));
        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Matches(@"\d+ voices; ""en-us"" said a test word \(\d\.\d s at \d+ Hz\)", row.Detail);
    }

    [Fact]
    public async Task Without_espeak_ng_the_row_is_missing_with_the_packages_to_install()
    {
        using var worker = new SynthesisWorker(() => throw new SpeechEngineUnavailableException("espeak-ng library not found (libespeak-ng.so.1)"));

        var embedded = await Run(new EspeakCheck(new TtsSettings { Endpoint = TtsEndpointKind.Embedded }, Server, worker));
        var telnyx = await Run(new EspeakCheck(new TtsSettings { Endpoint = TtsEndpointKind.Telnyx, ApiKey = Key }, Server, worker));

        Assert.Equal(DoctorStatus.Missing, embedded.Status);
        Assert.True(embedded.Blocks);
        Assert.EndsWith("apt-get install -y libespeak-ng1 espeak-ng-data", embedded.Fix);
        Assert.False(telnyx.Blocks); // Telnyx speaks: espeak-ng is not needed
        Assert.Contains("used only by the embedded TTS server", telnyx.Detail);
    }

    [Fact]
    public async Task The_mp3_libraries_encode_and_decode_a_tone_and_are_needed_only_for_mp3()
    {
        var linear = await Run(new Mp3DecoderCheck(new TtsSettings()));
        var mp3 = await Run(new Mp3DecoderCheck(new TtsSettings { AudioFormat = "mp3" }));
        var encoder = await Run(new Mp3EncoderCheck(new TtsSettings { AudioFormat = "mp3" }));

        Assert.Equal(DoctorStatus.Ok, mp3.Status);
        Assert.Matches(@"decoded a test tone gaplessly \(\d+ samples, managed: NLayer\)", mp3.Detail);
        Assert.False(linear.Needed);
        Assert.Contains("used only with tts.audio-format = mp3", linear.Detail);
        Assert.True(mp3.Needed);
        Assert.Equal(DoctorStatus.Ok, encoder.Status);
        Assert.True(encoder.Needed);
    }

    [Fact]
    public async Task The_embedded_server_is_started_and_speaks_over_its_socket()
    {
        var row = await Run(new TtsEndpointCheck(new TtsSettings { Endpoint = TtsEndpointKind.Embedded }, Server));

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Matches(@"embedded Telnyx-compatible server \(espeak-ng\) at 127\.0\.0\.1:\d+: spoke a test sentence over its WebSocket \(\d\.\d s of linear16", row.Detail);
    }

    [Fact]
    public async Task Telnyx_without_a_key_is_missing_the_key()
    {
        var row = await Run(new TtsEndpointCheck(new TtsSettings { Endpoint = TtsEndpointKind.Telnyx }, Server));
        Assert.Equal(DoctorStatus.Missing, row.Status);
        Assert.StartsWith("export TELNYX_API_KEY=", row.Fix);
    }

    [Fact]
    public async Task A_server_that_refuses_the_key_fails_and_the_key_stays_masked()
    {
        await using var server = new TtsServerHost(new TtsServerOptions { Port = 0, ApiKey = "the-right-key" });
        var uri = await server.StartAsync(TestContext.Current.CancellationToken);

        var row = await Run(new TtsEndpointCheck(new TtsSettings { Endpoint = TtsEndpointKind.Url, Url = uri.ToString(), ApiKey = Key }, Server));

        Assert.Equal(DoctorStatus.Failing, row.Status);
        Assert.Contains("HTTP 401", row.Detail);
        Assert.Contains("key set (…WXYZ)", row.Detail);
        Assert.DoesNotContain(Key, row.Detail + row.Fix);
    }

    [Fact]
    public async Task A_server_that_accepts_the_key_opens_a_socket_without_speaking()
    {
        await using var server = new TtsServerHost(new TtsServerOptions { Port = 0, ApiKey = Key });
        var uri = await server.StartAsync(TestContext.Current.CancellationToken);

        var row = await Run(new TtsEndpointCheck(new TtsSettings { Endpoint = TtsEndpointKind.Url, Url = uri.ToString(), ApiKey = Key }, Server));

        Assert.Equal(DoctorStatus.Ok, row.Status);
        Assert.Contains($"TTS server at {uri.Authority} accepted a socket", row.Detail);
    }

    [Fact]
    public async Task A_tts_server_that_never_answers_costs_the_time_limit_and_no_more()
    {
        using var silent = new SilentServer();
        var check = new TtsEndpointCheck(new TtsSettings { Endpoint = TtsEndpointKind.Url, Url = $"ws://127.0.0.1:{silent.Port}/v2/text-to-speech/speech" }, Server);

        var report = await new DoctorRunner([check], new DoctorOptions(TimeSpan.FromSeconds(1))).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(DoctorStatus.Failing, report.Rows[0].Status);
        Assert.Equal("no answer within 1 s", report.Rows[0].Detail);
    }
}
