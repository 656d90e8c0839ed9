using Whisper.net.Logger;

namespace VoiceAgent.Listening.Recognition.Whisper;

/// <summary>
/// whisper.cpp says why a model does not load only in its log (Whisper.net throws a bare "Failed
/// to load the whisper model"). This listens to that log for the whole process and hands the
/// first error line of one load to its caller, so the user reads the real cause.
/// </summary>
internal static class WhisperNativeLog
{
    private static readonly object LoadGate = new();
    private static readonly object LinesGate = new();
    private static List<string>? _errors;

    static WhisperNativeLog() => LogProvider.AddLogger(OnLog);

    /// <summary>Runs <paramref name="load"/> (one load at a time); when it throws, the
    /// exception comes back with the first error whisper.cpp logged meanwhile, without its
    /// function-name prefix.</summary>
    public static (T? Result, Exception? Failure, string? NativeError) Capture<T>(Func<T> load) where T : class
    {
        lock (LoadGate)
        {
            var errors = new List<string>();
            lock (LinesGate) _errors = errors;
            try
            {
                return (load(), null, null);
            }
            catch (Exception e)
            {
                lock (LinesGate) return (null, e, errors.Count > 0 ? Clean(errors[0]) : null);
            }
            finally
            {
                lock (LinesGate) _errors = null;
            }
        }
    }

    private static void OnLog(WhisperLogLevel level, string? message)
    {
        if (level != WhisperLogLevel.Error || string.IsNullOrWhiteSpace(message)) return;
        lock (LinesGate) _errors?.Add(message.Trim());
    }

    /// <summary>"whisper_model_load: ERROR not all tensors loaded …" → "not all tensors loaded …".</summary>
    internal static string Clean(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && !line[..colon].Contains(' ')) line = line[(colon + 2)..];
        if (line.StartsWith("ERROR ", StringComparison.Ordinal)) line = line["ERROR ".Length..];
        return line.Trim();
    }
}
