using VoiceAgent.TtsServer.Synthesis;

namespace VoiceAgent.TtsServer.Voices;

/// <summary>The outcome of looking up a <c>voice</c> parameter: a local voice, or the HTTP status
/// and message to refuse the connection with.</summary>
public sealed record VoiceLookup(EspeakVoice? Voice, int Status, string Problem)
{
    public static VoiceLookup Found(EspeakVoice voice) => new(voice, 200, "");
    public static VoiceLookup Malformed(string problem) => new(null, 400, problem);
    public static VoiceLookup Refused(string problem) => new(null, 403, problem);
}

/// <summary>
/// Maps Telnyx-style voice ids to installed espeak-ng voices: <c>PROVIDER.VOICE</c> for the local
/// provider (e.g. <c>espeak.en-us</c>), and configured aliases for cloud ids (e.g.
/// <c>Telnyx.NaturalHD.astra</c>, or a pattern <c>Telnyx.NaturalHD.*</c>). Ids are parsed as
/// provider = first part, voice = last part, model = the parts between.
/// </summary>
public sealed class VoiceCatalog
{
    private readonly string _provider;
    private readonly Dictionary<string, EspeakVoice> _voices;
    private readonly List<(string Pattern, EspeakVoice Voice)> _aliases = [];

    public VoiceCatalog(IEnumerable<EspeakVoice> voices, string provider, string defaultVoice, IEnumerable<string> aliases)
    {
        _provider = provider;
        _voices = new Dictionary<string, EspeakVoice>(StringComparer.OrdinalIgnoreCase);
        foreach (var voice in voices) _voices.TryAdd(voice.Id, voice);
        Default = Find(defaultVoice)
            ?? throw new ArgumentException($"tts-server.default-voice '{defaultVoice}' is not an installed espeak-ng voice: use one of {Sample("")}.");
        foreach (var line in aliases)
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ArgumentException($"tts-server.voice-aliases entry '{line}' must look like \"Telnyx.NaturalHD.astra = en-us\".");
            var target = parts[1].Equals("default", StringComparison.OrdinalIgnoreCase) ? Default : Find(parts[1])
                ?? throw new ArgumentException($"tts-server.voice-aliases entry '{line}' names '{parts[1]}', which is not an installed espeak-ng voice: use one of {Sample("")}.");
            _aliases.Add((parts[0], target));
        }
    }

    public EspeakVoice Default { get; }

    public IReadOnlyCollection<EspeakVoice> Voices => _voices.Values;

    /// <summary>The id clients use for a local voice.</summary>
    public string PublicId(EspeakVoice voice) => $"{_provider}.{voice.Id}";

    public VoiceLookup Resolve(string? voice, string? language = null)
    {
        if (voice is null) return VoiceLookup.Found(Default);
        if (string.IsNullOrWhiteSpace(voice)) return VoiceLookup.Refused("voice is empty: name one such as espeak.en-us.");
        var parts = voice.Split('.');
        if (parts.Length < 2 || parts.Any(p => p.Trim().Length == 0))
            return VoiceLookup.Malformed($"voice '{voice}' is malformed: use Provider.Model.VoiceId or Provider.VoiceId, e.g. {_provider}.{Default.Id}.");

        var provider = parts[0];
        if (provider.Equals(_provider, StringComparison.OrdinalIgnoreCase))
        {
            var local = parts.Length == 2 ? Find(parts[1]) : Find(string.Join('/', parts[1..])) ?? Find(parts[^1]);
            return local is null
                ? VoiceLookup.Refused($"voice '{voice}' is not installed here: use one of {Sample()}.")
                : VoiceLookup.Found(local);
        }
        if (provider.Equals("telnyx", StringComparison.OrdinalIgnoreCase) && parts.Length > 2 && parts[1].Equals("Ultra", StringComparison.OrdinalIgnoreCase))
            return VoiceLookup.Refused("Telnyx Ultra voices are not available over WebSocket.");

        foreach (var (pattern, target) in _aliases)
        {
            if (!Matches(pattern, voice)) continue;
            return VoiceLookup.Found(ForLanguage(language) ?? target);
        }
        return VoiceLookup.Refused($"voice '{voice}' is not available here: use {_provider}.VOICE (e.g. {_provider}.{Default.Id}) or add a voice-aliases entry.");
    }

    /// <summary>For an aliased cloud voice, the <c>language</c> parameter picks a local voice of
    /// that language when there is one (en-US → en-us, de-DE → de).</summary>
    private EspeakVoice? ForLanguage(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return null;
        return Find(language) ?? Find(language.Split('-', '_')[0]);
    }

    private EspeakVoice? Find(string id)
    {
        if (_voices.TryGetValue(id.Trim(), out var voice)) return voice;
        return _voices.Values.FirstOrDefault(v => v.Identifier.Equals(id.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static bool Matches(string pattern, string voice) =>
        pattern.EndsWith('*')
            ? voice.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase) && voice.Length > pattern.Length - 1
            : voice.Equals(pattern, StringComparison.OrdinalIgnoreCase);

    private string Sample(string? prefix = null) =>
        string.Join(", ", new[] { "en-us", "en", "en-gb-x-rp", "de", "fr-fr", "es" }.Where(_voices.ContainsKey).Select(v => $"{prefix ?? _provider + "."}{v}")) + " …";
}
