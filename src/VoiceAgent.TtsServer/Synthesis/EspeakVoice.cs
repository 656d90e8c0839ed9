namespace VoiceAgent.TtsServer.Synthesis;

/// <summary>An installed espeak-ng voice. <paramref name="Id"/> is the short, case-insensitive
/// name clients use (the voice file's name, e.g. "en-us"); <paramref name="Identifier"/> is the
/// path espeak-ng loads (e.g. "gmw/en-US").</summary>
public sealed record EspeakVoice(string Id, string Identifier, string Name, string Language);
