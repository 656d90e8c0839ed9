namespace VoiceAgent.ConsoleUi;

/// <summary>The last lines of the conversation, kept so the interactive screen can fill itself
/// again after a resize.</summary>
public sealed class ScreenHistory
{
    /// <summary>More than any screen is high.</summary>
    private const int Capacity = 500;

    private readonly LinkedList<string> _lines = new();

    public void Add(string line)
    {
        _lines.AddLast(line);
        if (_lines.Count > Capacity) _lines.RemoveFirst();
    }

    /// <summary>The most recent lines that fill at most <paramref name="rows"/> rows of a terminal
    /// <paramref name="width"/> columns wide, oldest first.</summary>
    public IEnumerable<string> Last(int rows, int width)
    {
        var lines = new Stack<string>();
        for (var node = _lines.Last; node is not null; node = node.Previous)
        {
            rows -= Math.Max(1, (AnsiText.Width(node.Value) + width - 1) / width);
            if (rows < 0) break;
            lines.Push(node.Value);
        }
        return lines;
    }
}
