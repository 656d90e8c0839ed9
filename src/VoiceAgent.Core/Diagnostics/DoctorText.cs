namespace VoiceAgent.Core.Diagnostics;

/// <summary>Wording shared by doctor checks: masked secrets and fix commands.</summary>
public static class DoctorText
{
    /// <summary>Shows that a secret is set without showing it: "set (…wxyz)" for a long key,
    /// "set" for a short one (whose last characters would give too much away).</summary>
    public static string MaskSecret(string? secret) => secret switch
    {
        null or "" => "not set",
        { Length: >= 20 } key => $"set (…{key[^4..]})",
        _ => "set",
    };

    /// <summary>The command that installs Debian/Ubuntu packages, with sudo unless already root.</summary>
    public static string AptInstall(params string[] packages) =>
        $"{(Environment.IsPrivilegedProcess ? "" : "sudo ")}apt-get install -y {string.Join(' ', packages)}";

    /// <summary>One line of an exception's message (never a stack trace).</summary>
    public static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length > 240 ? line[..240] + "…" : line;
    }
}
