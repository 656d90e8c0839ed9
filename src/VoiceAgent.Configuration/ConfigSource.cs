namespace VoiceAgent.Configuration;

/// <summary>One configuration layer: its HOCON text and where it came from (a file name, or "-D").</summary>
public sealed record ConfigSource(string Origin, string Text);

/// <summary>A configuration problem, reported as one line naming the key and the file.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
