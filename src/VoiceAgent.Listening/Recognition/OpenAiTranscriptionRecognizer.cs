using System.Net.Http.Headers;
using System.Text.Json;
using VoiceAgent.Dsp;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Recognition;

/// <summary>
/// Any OpenAI-compatible <c>/v1/audio/transcriptions</c> endpoint: OpenAI, whisper.cpp's server,
/// faster-whisper servers. Each utterance goes up as a WAV file in a multipart form.
/// </summary>
public sealed class OpenAiTranscriptionRecognizer : ISpeechRecognizer
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly string _language;
    private readonly string _apiKey;

    /// <param name="baseUrl">Server root or its /v1 (both work): http://127.0.0.1:8080, https://api.openai.com/v1.</param>
    public OpenAiTranscriptionRecognizer(string baseUrl, string model, string language = "", string apiKey = "", TimeSpan? timeout = null, HttpClient? http = null)
    {
        _endpoint = EndpointFor(baseUrl);
        _model = model;
        _language = language;
        _apiKey = apiKey;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public string Name => $"{_model} at {_endpoint.Authority}";

    public string Description => $"speech recognition: {_model} at {_endpoint.Scheme}://{_endpoint.Authority}";

    public Uri Endpoint => _endpoint;

    public static Uri EndpointFor(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var root) || (root.Scheme != "http" && root.Scheme != "https"))
            throw new SpeechRecognitionException($"voice-agent.listening.transcription-url = \"{baseUrl}\" is not an http(s) URL; set it to the server root, e.g. http://127.0.0.1:8080.");
        var path = root.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/audio/transcriptions", StringComparison.Ordinal)) return root;
        if (!path.EndsWith("/v1", StringComparison.Ordinal)) path += "/v1";
        return new UriBuilder(root) { Path = path + "/audio/transcriptions" }.Uri;
    }

    public async Task<string> TranscribeAsync(ReadOnlyMemory<short> utterance, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var wav = new ByteArrayContent(WavFile.Encode(utterance.Span, CaptureFormat.SampleRate));
        wav.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(wav, "file", "utterance.wav");
        form.Add(new StringContent(_model), "model");
        form.Add(new StringContent("json"), "response_format");
        if (!string.IsNullOrWhiteSpace(_language)) form.Add(new StringContent(_language), "language");

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = form };
        if (!string.IsNullOrEmpty(_apiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SpeechRecognitionException($"transcription server {_endpoint.Authority} unreachable ({e.HttpRequestError}): start it or fix voice-agent.listening.transcription-url.", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpeechRecognitionException($"transcription server {_endpoint.Authority} did not answer in time.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new SpeechRecognitionException($"transcription failed: HTTP {(int)response.StatusCode} from {_endpoint.Authority}: {ErrorText(body)}");
            return ParseText(body);
        }
    }

    private static string ParseText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()!.Trim()
                : throw new SpeechRecognitionException("transcription server answered without a \"text\" field.");
        }
        catch (JsonException)
        {
            // Some servers answer response_format=json with plain text anyway.
            return body.Trim();
        }
    }

    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String) return error.GetString()!;
                if (error.TryGetProperty("message", out var message)) return message.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
        }
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length > 160 ? line[..160] + "…" : line;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
