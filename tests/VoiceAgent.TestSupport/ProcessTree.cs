namespace VoiceAgent.TestSupport;

/// <summary>Processes as Linux's /proc shows them: a process's children, and whether one has ended
/// (so tests can check that nothing is left behind).</summary>
public static class ProcessTree
{
    /// <summary>Ids of the processes whose parent is <paramref name="parent"/>.</summary>
    public static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            var fields = StatFields(pid);
            if (fields is not null && fields.Length > 1 && fields[1] == parent.ToString()) children.Add(pid);
        }
        return children;
    }

    /// <summary>Waits (bounded by <paramref name="patience"/>) until the process has ended: a
    /// condition, not a timing. A zombie (ended, not yet reaped) counts as ended.</summary>
    public static bool WaitUntilGone(int pid, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            var fields = StatFields(pid);
            if (fields is null || fields[0] == "Z") return true;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>The fields of /proc/PID/stat after the command name (state, parent, …), or null
    /// when there is no such process.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
