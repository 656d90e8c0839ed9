namespace VoiceAgent.TtsServer.Text;

/// <summary>
/// Collects streamed text (LLM tokens included) and hands out complete sentences. A boundary is
/// a terminator (. ! ? … 。 ！ ？), optionally followed by closing quotes, brackets or markdown
/// emphasis, then whitespace. A terminator at the very end of the buffer also counts, except
/// after a digit (so "3." then "5" is not split) or on a known abbreviation. Never a boundary:
/// "Dr. Smith", "e.g. this", "3.5", "example.com". Markdown structure also ends a segment: a
/// heading or list-item line, and a blank line.
/// <para>The search is incremental: each call examines only the text appended since the last
/// one (plus a trailing terminator run or newline whose meaning waits for the next character),
/// so a client sending empty frames to a full buffer costs nothing. Whitespace sent into a blank
/// buffer, or beyond <see cref="MaxWhitespaceRun"/> in a row, is a keep-alive and is not stored.</para>
/// </summary>
public sealed class SentenceBuffer
{
    /// <summary>Longest run of whitespace kept: more says nothing more to a listener.</summary>
    public const int MaxWhitespaceRun = 64;

    // The buffered text is _chars[_start.._end); all positions below index _chars.
    private char[] _chars = new char[256];
    private int _start;
    private int _end;
    private int _nonBlank;          // non-whitespace characters buffered
    private int _trailingSpace;     // whitespace characters at the end

    // Every boundary decision before _scanFrom is final. Whether a line is a heading or a list
    // item depends only on its first characters, kept here (the line's start may already have
    // been handed out as a sentence); _lineHeadTo is how far the current line has been read into it.
    private const int LineHeadLength = 16;
    private readonly char[] _lineHead = new char[LineHeadLength];
    private int _lineHeadCount;
    private int _lineHeadTo;
    private int _scanFrom;
    private int _scannedTo;         // _end at the last scan: nothing new, nothing to do
    private int _openRunAt = -1;    // the first undecided terminator of a run that reached the end
    private int _runFrom = -1;      // a measured run of terminators and closers: [_runFrom, _runTo)
    private int _runTo;

    public int Length => _end - _start;

    /// <summary>True when nothing but whitespace is buffered.</summary>
    public bool IsBlank => _nonBlank == 0;

    /// <summary>Characters the boundary search has examined since the buffer was made (it grows
    /// with the text appended, not with the number of calls).</summary>
    public long Examined { get; private set; }

    public void Append(string text)
    {
        EnsureRoom(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_nonBlank == 0 || _trailingSpace >= MaxWhitespaceRun) continue; // keep-alive
                _trailingSpace++;
            }
            else
            {
                _nonBlank++;
                _trailingSpace = 0;
            }
            _chars[_end++] = c;
        }
    }

    public void Clear()
    {
        _start = _end = _scanFrom = _lineHeadTo = _lineHeadCount = _scannedTo = 0;
        _nonBlank = _trailingSpace = 0;
        _openRunAt = _runFrom = -1;
        _runTo = 0;
    }

    /// <summary>Removes and returns every complete sentence, in order; the unfinished rest stays.</summary>
    public List<string> TakeSentences()
    {
        var sentences = new List<string>();
        if (_end == _scannedTo) return sentences; // nothing new: every decision stands

        var from = _scanFrom;
        var firstPending = -1;
        if (_openRunAt >= _start && RunEnd(_openRunAt) == _end)
        {
            // The run is still open: its terminators keep their "wait" answers; look only at what is new.
            firstPending = _openRunAt;
            from = Math.Max(_scanFrom, _scannedTo);
        }
        var openRun = firstPending;
        var start = _start;
        for (var i = from; i < _end; i++)
        {
            Examined++;
            var c = _chars[i];
            var pending = false;
            if (c != '\n') ReadIntoLineHead(i, c);
            var end = c == '\n' ? NewlineBreak(i, start, out pending)
                : IsTerminator(c) ? TerminatorBreak(i, start, out pending)
                : -1;
            if (pending && firstPending < 0)
            {
                firstPending = i;
                openRun = c == '\n' ? -1 : i;
            }
            if (c == '\n' && !pending)
            {
                _lineHeadCount = 0; // a new line begins
                _lineHeadTo = i + 1;
            }
            if (end < 0) continue;

            var sentence = Tidy(start, end);
            if (sentence.Length > 0) sentences.Add(sentence);
            for (var mark = i + 1; mark < end; mark++) ReadIntoLineHead(mark, _chars[mark]); // the closing marks skipped below
            start = end;
            i = end - 1;
            firstPending = openRun = -1; // what waited is inside this sentence now
        }
        RemoveUpTo(start);
        _scanFrom = firstPending >= 0 ? firstPending : _end;
        _openRunAt = openRun;
        _scannedTo = _end;
        return sentences;
    }

    /// <summary>Removes and returns everything buffered (for flush and end of input), already
    /// split into sentences where it has boundaries.</summary>
    public List<string> TakeAll()
    {
        var sentences = TakeSentences();
        var last = Tidy(_start, _end);
        Clear();
        if (last.Length > 0) sentences.Add(last);
        return sentences;
    }

    /// <summary>Keeps the first characters of the current line (without its indentation), once each.</summary>
    private void ReadIntoLineHead(int i, char c)
    {
        if (i < _lineHeadTo) return;
        _lineHeadTo = i + 1;
        if (_lineHeadCount == LineHeadLength || (_lineHeadCount == 0 && char.IsWhiteSpace(c))) return;
        _lineHead[_lineHeadCount++] = c;
    }

    /// <summary>The end of the segment closed by the newline at <paramref name="i"/>, or -1.</summary>
    private int NewlineBreak(int i, int sentenceStart, out bool pending)
    {
        pending = false;
        if (i > sentenceStart && _chars[i - 1] == '\n') return -1; // the blank line was already a break
        switch (KindOfLine())
        {
            case LineKind.Blank: return -1;
            case LineKind.Structural: return i + 1;
        }
        // A paragraph ends at a blank line: this newline followed by another one.
        if (i + 1 < _end) return _chars[i + 1] == '\n' ? i + 1 : -1;
        pending = true;
        return -1;
    }

    private enum LineKind { Blank, Plain, Structural }

    /// <summary>Heading and list-item lines end a segment: decided by the line's first characters.</summary>
    private LineKind KindOfLine()
    {
        var head = _lineHead.AsSpan(0, _lineHeadCount).TrimEnd();
        if (head.IsEmpty) return LineKind.Blank;
        if (head[0] == '#') return LineKind.Structural;
        if (head[0] is '-' or '*' or '+' && head.Length > 2 && head[1] == ' ') return LineKind.Structural;
        var digits = 0;
        while (digits < head.Length && char.IsDigit(head[digits])) digits++;
        if (digits > 0 && digits + 1 < head.Length && head[digits] is '.' or ')' && head[digits + 1] == ' ')
            return LineKind.Structural;
        return LineKind.Plain;
    }

    /// <summary>The end of the sentence closed by the terminator at <paramref name="i"/> (closing
    /// marks included), or -1; <paramref name="pending"/> when only the next character can tell.</summary>
    private int TerminatorBreak(int i, int sentenceStart, out bool pending)
    {
        pending = false;
        var c = _chars[i];
        var end = RunEnd(i); // closing marks belong to the sentence; runs of terminators end together
        if (c is '。' or '！' or '？') return end; // CJK punctuation needs no space after it
        if (end < _end)
        {
            if (!char.IsWhiteSpace(_chars[end])) return -1; // "3.5", "example.com", "Hello.World"
            if (c == '.' && IsAbbreviation(i, sentenceStart)) return -1;
            return end;
        }
        // At the very end of the buffer: more text may still come.
        if (c == '.'
            && ((i > sentenceStart && char.IsDigit(_chars[i - 1]))   // "3." may become "3.5"
                || IsAbbreviation(i, sentenceStart)
                || InsideAddress(i, sentenceStart)                    // "example." may become "example.com"
                // "e." may become "e.g.", "a." may become "a.m.": wait for what follows a lone letter.
                || (i > sentenceStart && char.IsLetter(_chars[i - 1]) && (i - 1 == sentenceStart || !char.IsLetter(_chars[i - 2])))))
        {
            pending = true;
            return -1;
        }
        return end;
    }

    /// <summary>Where the run of terminators and closing marks containing <paramref name="i"/>
    /// ends. Remembered, so every position of a long run costs one step.</summary>
    private int RunEnd(int i)
    {
        if (_runFrom < 0 || i < _runFrom || i >= _runTo)
        {
            _runFrom = i;
            _runTo = i + 1;
        }
        while (_runTo < _end && IsRunMark(_chars[_runTo])) { _runTo++; Examined++; }
        return _runTo;
    }

    private bool IsAbbreviation(int dot, int sentenceStart) => WordDots.EndsAbbreviation(_chars.AsSpan(sentenceStart, dot - sentenceStart));

    private bool InsideAddress(int dot, int sentenceStart) => WordDots.InsideAddress(_chars.AsSpan(sentenceStart, dot - sentenceStart));

    /// <summary>Trims a segment; drops marks left over from a sentence that was already handed
    /// out (a streamed `"` or ".." after "Two."), and segments with nothing to say.</summary>
    private string Tidy(int from, int to)
    {
        while (from < to && char.IsWhiteSpace(_chars[from])) from++;
        while (to > from && char.IsWhiteSpace(_chars[to - 1])) to--;
        var lead = from;
        while (lead < to && IsRunMark(_chars[lead])) lead++;
        if (lead > from && (lead == to || char.IsWhiteSpace(_chars[lead])))
        {
            from = lead;
            while (from < to && char.IsWhiteSpace(_chars[from])) from++;
        }
        for (var i = from; i < to; i++)
            if (char.IsLetterOrDigit(_chars[i])) return new string(_chars, from, to - from);
        return "";
    }

    private void RemoveUpTo(int position)
    {
        for (var i = _start; i < position; i++)
            if (!char.IsWhiteSpace(_chars[i])) _nonBlank--;
        _start = position;
        if (_start == _end) _trailingSpace = 0;
    }

    /// <summary>Room for <paramref name="more"/> characters: drops what was handed out, grows if needed.</summary>
    private void EnsureRoom(int more)
    {
        if (_end + more <= _chars.Length) return;
        var length = _end - _start;
        var target = _chars;
        if (length + more > _chars.Length / 2) target = new char[Math.Max(_chars.Length * 2, length + more)];
        Array.Copy(_chars, _start, target, 0, length);
        var shift = _start;
        _chars = target;
        _start = 0;
        _end = length;
        _scanFrom -= shift;
        _lineHeadTo -= shift;
        _scannedTo -= shift;
        _openRunAt = _openRunAt >= shift ? _openRunAt - shift : -1;
        _runFrom = -1;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '}' or '”' or '’' or '»' or '*' or '_' or '`' or '~';

    private static bool IsRunMark(char c) => IsTerminator(c) || IsCloser(c);
}
