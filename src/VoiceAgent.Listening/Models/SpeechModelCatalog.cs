namespace VoiceAgent.Listening.Models;

/// <summary>A Whisper model that <c>voice-agent models pull</c> can fetch.</summary>
/// <param name="Name">As whisper.cpp names it: <c>base.en</c>, <c>base.en-q5_1</c>.</param>
/// <param name="SizeMiB">Size of the file, for the listing (the download reports the exact size).</param>
/// <param name="Sha1">SHA-1 of the file; a download is used only when it matches.</param>
public sealed record SpeechModel(string Name, int SizeMiB, string Sha1) : CatalogModel(Name, SizeMiB)
{
    public override string FileName => FileNameFor(Name);
    public override string Kind => "Whisper model";
    public override ModelChecksum Checksum => ModelChecksum.Sha1(Sha1);
    public override string MirrorSetting => "voice-agent.models.whisper-url";
    public override string UrlFrom(ModelsOptions options) => ModelDownloader.UrlFor(options.WhisperUrl, this);

    /// <summary>English-only models (<c>.en</c>) always hear English; the others detect or take a language.</summary>
    public bool EnglishOnly => Name.Contains(".en", StringComparison.Ordinal);

    /// <summary>The quantization (<c>q5_1</c>, <c>q8_0</c>), or <c>f16</c> for the full-precision file.</summary>
    public string Precision => Name.LastIndexOf('-') is var dash and > 0 ? Name[(dash + 1)..] : "f16";

    /// <summary>whisper.cpp's file name for a model name.</summary>
    public static string FileNameFor(string name) => $"ggml-{name}.bin";
}

/// <summary>
/// The Whisper models offered for download: tiny, base and small, English-only and multilingual,
/// full precision and quantized. SHA-1 sums: whisper.cpp's models/README.md for the f16 files;
/// whisper.cpp publishes none for the quantized files of its Hugging Face repository, and the sums
/// here are the ones every model catalogue built on that repository agrees on. A download is
/// used only when its SHA-1 matches.
/// </summary>
public static class SpeechModelCatalog
{
    public static IReadOnlyList<SpeechModel> Whisper { get; } =
    [
        new("tiny.en", 75, "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
        new("tiny.en-q5_1", 31, "3fb92ec865cbbc769f08137f22470d6b66e071b6"),
        new("tiny.en-q8_0", 42, "802d6668e7d411123e672abe4cb6c18f12306abb"),
        new("base.en", 142, "137c40403d78fd54d454da0f9bd998f78703390c"),
        new("base.en-q5_1", 57, "d26d7ce5a1b6e57bea5d0431b9c20ae49423c94a"),
        new("base.en-q8_0", 78, "bb1574182e9b924452bf0cd1510ac034d323e948"),
        new("small.en", 466, "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
        new("small.en-q5_1", 181, "20f54878d608f94e4a8ee3ae56016571d47cba34"),
        new("small.en-q8_0", 252, "9d75ff4ccfa0a8217870d7405cf8cef0a5579852"),
        new("tiny", 75, "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
        new("tiny-q5_1", 31, "2827a03e495b1ed3048ef28a6a4620537db4ee51"),
        new("tiny-q8_0", 42, "19e8118f6652a650569f5a949d962154e01571d9"),
        new("base", 142, "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
        new("base-q5_1", 57, "a3733eda680ef76256db5fc5dd9de8629e62c5e7"),
        new("base-q8_0", 78, "7bb89bb49ed6955013b166f1b6a6c04584a20fbe"),
        new("small", 466, "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
        new("small-q5_1", 181, "6fe57ddcfdd1c6b07cdcc73aaf620810ce5fc771"),
        new("small-q8_0", 252, "bcad8a2083f4e53d648d586b7dbc0cd673d8afad"),
    ];

    public static SpeechModel? Find(string name) =>
        Whisper.FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", Whisper.Select(m => m.Name));
}
