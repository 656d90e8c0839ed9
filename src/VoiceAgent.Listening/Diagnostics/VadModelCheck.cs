using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Listening.Vad;

namespace VoiceAgent.Listening.Diagnostics;

/// <summary>Doctor row: the Silero VAD model: where it is, whether its sha256 is the expected one,
/// and whether ONNX Runtime runs it (one window of silence).</summary>
public sealed class VadModelCheck(ListeningSettings settings) : IDoctorCheck
{
    public const string Fetch = "bash scripts/fetch-vad-model.sh";

    public string Name => "VAD model";

    public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => Task.Run(Check, cancellationToken);

    private DoctorRow Check()
    {
        if (!settings.VadEnabled)
            return DoctorRow.NotUsed(Name, "listening.vad = false: no voice activity, no barge-in by voice", "-D listening.vad=true");

        var configured = settings.VadModel;
        string? path;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            path = Path.GetFullPath(configured);
            if (!File.Exists(path))
                return DoctorRow.Missing(Name, $"listening.vad-model = \"{configured}\": file not found", $"{Fetch}   (or fix listening.vad-model)");
        }
        else
        {
            path = VadModelFile.Candidates().FirstOrDefault(File.Exists);
            if (path is null)
                return DoctorRow.Missing(Name, $"{VadModelFile.FileName} not found in ./models, beside the app or {VadModelFile.UserCacheFolder()}", Fetch);
        }

        try
        {
            VadModelFile.Verify(path);
        }
        catch (VadModelException e)
        {
            return DoctorRow.Failing(Name, e.Message, $"rm {path} && {Fetch}");
        }

        try
        {
            using var model = new SileroVadModel(path);
            model.SpeechProbability(new float[model.WindowSamples]);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            return DoctorRow.Failing(Name, $"{path}: ONNX Runtime cannot run it: {DoctorText.OneLine(e.Message)}", "dotnet build src/VoiceAgent   (restores ONNX Runtime's native library)");
        }
        return DoctorRow.Ok(Name, $"{path}, sha256 {VadModelFile.Sha256[..12]}… as expected, runs on ONNX Runtime");
    }
}
