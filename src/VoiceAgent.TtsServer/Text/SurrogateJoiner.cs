namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Joins a surrogate pair that a client split across two frames (an emoji streamed as
/// "\ud83d" then "\ude00", which a token-by-token LLM client can do): a high surrogate at the end
/// of one frame waits for the next. Surrogates that have no partner are dropped, so only
/// well-formed text reaches the sentence buffer.
/// </summary>
public sealed class SurrogateJoiner
{
    private char? _waitingHigh;

    public string Join(string text)
    {
        var high = _waitingHigh;
        _waitingHigh = null;
        if (high is null && !HasSurrogate(text)) return text;

        var result = new System.Text.StringBuilder(text.Length + 1);
        if (high is { } h && text.Length > 0 && char.IsLowSurrogate(text[0])) result.Append(h);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { result.Append(c).Append(text[++i]); }
                else if (i + 1 == text.Length) _waitingHigh = c; // its partner may come in the next frame
                continue;
            }
            if (char.IsLowSurrogate(c))
            {
                if (i == 0 && high is not null) result.Append(c); // completes the pair started above
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    private static bool HasSurrogate(string text)
    {
        foreach (var c in text)
            if (char.IsSurrogate(c)) return true;
        return false;
    }
}
