using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Listening.Recognition;

namespace VoiceAgent.Listening.Diagnostics;

/// <summary>
/// Doctor row: the OpenAI-compatible transcription endpoint (whisper.cpp's server, faster-whisper,
/// OpenAI). No audio is sent: a GET on the transcription URL shows that the server answers and,
/// since such servers check the key before the method, whether it accepts the key.
/// </summary>
public sealed class TranscriptionEndpointCheck(ListeningSettings settings) : IDoctorCheck
{
    public const string Configure = "./run.sh -D listening.transcription-url=http://127.0.0.1:8080";

    public string Name => "recognizer (OpenAI API)";

    public bool Remote => true;

    public async Task<DoctorRow> RunAsync(CancellationToken cancellationToken)
    {
        var recognizer = settings.Recognizer.Trim().ToLowerInvariant();
        var hasUrl = !string.IsNullOrWhiteSpace(settings.TranscriptionUrl);
        if (recognizer == "none")
            return DoctorRow.NotUsed(Name, "listening.recognizer = none: text mode (type to talk)", "-D listening.recognizer=auto");
        if (recognizer is not ("openai" or "auto"))
            return DoctorRow.NotUsed(Name, $"listening.recognizer = {recognizer}", "-D listening.recognizer=openai");
        if (!hasUrl)
        {
            return recognizer == "openai"
                ? DoctorRow.Missing(Name, "listening.recognizer = openai, but listening.transcription-url is empty", Configure)
                : DoctorRow.NotUsed(Name, "no listening.transcription-url (a whisper.cpp server, or --profile openai): text mode; your voice still interrupts", Configure);
        }

        Uri endpoint;
        try
        {
            endpoint = OpenAiTranscriptionRecognizer.EndpointFor(settings.TranscriptionUrl);
        }
        catch (SpeechRecognitionException e)
        {
            return DoctorRow.Failing(Name, e.Message, Configure);
        }

        var key = DoctorText.MaskSecret(settings.TranscriptionApiKey);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the doctor's own limit applies
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        // The key goes only to the transcription host it is configured for.
        if (!string.IsNullOrEmpty(settings.TranscriptionApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.TranscriptionApiKey);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            return DoctorRow.Failing(Name, $"{endpoint} unreachable ({e.HttpRequestError}): {DoctorText.OneLine(e.Message)}", $"start the transcription server, or {Configure}");
        }
        var what = $"{settings.TranscriptionModel} at {endpoint}";
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return DoctorRow.Failing(Name, $"{what} refused the key (HTTP {(int)status}; key {key})",
                "export OPENAI_API_KEY=…   (or set listening.transcription-api-key)");
        }
        if ((int)status >= 500)
            return DoctorRow.Failing(Name, $"{what} answers with a server error (HTTP {(int)status})", "check the transcription server's log");
        return DoctorRow.Ok(Name, $"{what} answers (HTTP {(int)status} to a GET, {clock.ElapsedMilliseconds} ms); key {key}");
    }
}
