namespace VoiceAgent.TtsServer.Audio;

/// <summary>Encoded segments by everything that shapes them (spoken text, voice, format, rate,
/// speed), least recently used evicted first, bounded in bytes. Shared by all sessions.</summary>
public sealed class AudioCache(long maxBytes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, byte[] Audio)>> _entries = new();
    private readonly LinkedList<(string Key, byte[] Audio)> _order = new();
    private long _bytes;

    public static string KeyFor(string text, string voice, AudioSpec spec, double speed) =>
        string.Join('\u001f', voice, AudioFormats.Name(spec.Format), spec.SampleRate, spec.Mp3BitrateKbps, spec.Id3Tag,
            speed.ToString("R", System.Globalization.CultureInfo.InvariantCulture), text);

    public int Count { get { lock (_lock) return _entries.Count; } }

    public bool TryGet(string key, out byte[] audio)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                audio = node.Value.Audio;
                return true;
            }
        }
        audio = [];
        return false;
    }

    public void Add(string key, byte[] audio)
    {
        if (audio.Length > maxBytes) return;
        lock (_lock)
        {
            if (_entries.ContainsKey(key)) return;
            _entries[key] = _order.AddFirst((key, audio));
            _bytes += audio.Length;
            while (_bytes > maxBytes && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Audio.Length;
            }
        }
    }
}
