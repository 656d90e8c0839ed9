namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// A session's incoming text on its way to synthesis: split surrogate pairs joined across
/// frames, buffered until a sentence ends, long sentences cut into pieces of at most
/// <c>maxSegmentChars</c>, each piece cleaned of markdown and emoji. Thread-safe (the reader
/// appends while the pipeline asks whether anything is left).
/// </summary>
public sealed class TextIntake(int maxSegmentChars)
{
    private readonly SurrogateJoiner _joiner = new();
    private readonly SentenceBuffer _buffer = new();
    private readonly Lock _lock = new();

    /// <summary>Characters waiting for a sentence end.</summary>
    public int Length { get { lock (_lock) return _buffer.Length; } }

    /// <summary>Nothing but whitespace is waiting.</summary>
    public bool IsBlank { get { lock (_lock) return _buffer.IsBlank; } }

    public void Append(string text)
    {
        lock (_lock) _buffer.Append(_joiner.Join(text));
    }

    /// <summary>The spoken text of every complete sentence (with <paramref name="all"/>: of
    /// everything), piece by piece; pieces with nothing to say are left out.</summary>
    public List<string> Take(bool all)
    {
        List<string> sentences;
        lock (_lock) sentences = all ? _buffer.TakeAll() : _buffer.TakeSentences();
        var spoken = new List<string>();
        foreach (var sentence in sentences)
            foreach (var piece in SegmentSplitter.Split(sentence, maxSegmentChars))
            {
                var text = SpeechText.Clean(piece);
                if (text.Any(char.IsLetterOrDigit)) spoken.Add(text); // an emoji or stray marks say nothing
            }
        return spoken;
    }

    public void Clear()
    {
        lock (_lock) _buffer.Clear();
    }
}
