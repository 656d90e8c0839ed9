using LLama.Native;

namespace VoiceAgent.Conversation.Local;

/// <summary>
/// Receives llama.cpp's native log instead of letting it write to the terminal, and keeps its
/// recent warnings and errors: llama.cpp reports why a model did not load (bad magic, unknown
/// architecture, missing tensor) only there, and the user should read that cause in one line.
/// </summary>
public static class LlamaNativeLog
{
    private const int Kept = 64;
    private static readonly object Gate = new();
    private static readonly Queue<string> Problems = new();
    private static readonly System.Text.StringBuilder Pending = new();
    private static LLamaLogLevel _pendingLevel;
    private static long _count;
    private static bool _installed;

    /// <summary>Routes the native log here; call before the first model loads (later calls do nothing).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            _installed = true;
        }
        NativeLogConfig.llama_log_set(OnLog);
    }

    /// <summary>A position in the log, to ask later what was reported after it.</summary>
    public static long Mark()
    {
        lock (Gate) return _count;
    }

    /// <summary>Warnings and errors logged since <paramref name="mark"/>, oldest first.</summary>
    public static IReadOnlyList<string> ProblemsSince(long mark)
    {
        lock (Gate)
        {
            var fresh = (int)Math.Min(_count - mark, Problems.Count);
            return Problems.Skip(Problems.Count - fresh).ToList();
        }
    }

    /// <summary>The most telling line since <paramref name="mark"/>, without the function-name
    /// prefixes: llama.cpp follows the real cause ("invalid magic characters", "unknown model
    /// architecture", "tensor data is not within the file bounds") with generic "failed to load
    /// model" lines, which are skipped.</summary>
    public static string? CauseSince(long mark)
    {
        var lines = ProblemsSince(mark);
        var specific = lines.Where(l => !l.Contains("failed to load model", StringComparison.OrdinalIgnoreCase)).ToList();
        var line = specific.LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
            ?? specific.FirstOrDefault()
            ?? lines.LastOrDefault();
        return line is null ? null : Clean(line);
    }

    /// <summary>"llama_model_load: error loading model: error loading model architecture: unknown
    /// model architecture: 'x'" → "unknown model architecture: 'x'".</summary>
    internal static string Clean(string line)
    {
        var text = line.Trim();
        var cut = text.LastIndexOf("error loading model", StringComparison.OrdinalIgnoreCase);
        if (cut >= 0)
        {
            var colon = text.IndexOf(':', cut);
            if (colon > 0 && colon + 1 < text.Length) text = text[(colon + 1)..].Trim();
        }
        else if (text.IndexOf(": ", StringComparison.Ordinal) is var prefix and > 0 && !text[..prefix].Contains(' '))
        {
            text = text[(prefix + 2)..].Trim();
        }
        return text.TrimEnd('.');
    }

    private static void OnLog(LLamaLogLevel level, string message)
    {
        lock (Gate)
        {
            if (level != LLamaLogLevel.Continue) _pendingLevel = level;
            Pending.Append(message);
            if (!message.EndsWith('\n')) return;
            var line = Pending.ToString().TrimEnd();
            Pending.Clear();
            if (_pendingLevel is not (LLamaLogLevel.Warning or LLamaLogLevel.Error) || line.Length == 0) return;
            Problems.Enqueue(line);
            if (Problems.Count > Kept) Problems.Dequeue();
            _count++;
        }
    }
}
