namespace VoiceAgent.Audio.Playback;

/// <summary>
/// The last pieces written to the device, kept so a pause can put back what the device had
/// not played yet. Holds at least <c>capacity</c> samples once that much was written, dropping
/// whole pieces from the front.
/// </summary>
internal sealed class RewindHistory(int capacity)
{
    private readonly LinkedList<short[]> _pieces = new();

    public long Samples { get; private set; }

    public void Add(short[] piece)
    {
        _pieces.AddLast(piece);
        Samples += piece.Length;
        while (Samples - _pieces.First!.Value.Length >= capacity)
        {
            Samples -= _pieces.First.Value.Length;
            _pieces.RemoveFirst();
        }
    }

    public void Clear()
    {
        _pieces.Clear();
        Samples = 0;
    }

    /// <summary>Removes the last <paramref name="count"/> samples (at most <see cref="Samples"/>)
    /// and returns them in order.</summary>
    public short[] TakeBack(int count)
    {
        var taken = new short[count];
        var filled = count;
        while (filled > 0 && _pieces.Last is { } last)
        {
            var take = Math.Min(filled, last.Value.Length);
            Array.Copy(last.Value, last.Value.Length - take, taken, filled - take, take);
            filled -= take;
            if (take == last.Value.Length) _pieces.RemoveLast();
            else last.Value = last.Value[..^take];
        }
        Samples -= count;
        return taken;
    }
}
