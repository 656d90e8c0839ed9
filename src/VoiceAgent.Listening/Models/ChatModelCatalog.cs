namespace VoiceAgent.Listening.Models;

/// <summary>A small instruction-tuned language model in GGUF form, run in-process by llama.cpp.</summary>
/// <param name="Repository">The Hugging Face repository that publishes the file.</param>
/// <param name="File">The file's name there (and in the models folder).</param>
/// <param name="Bytes">The file's exact size.</param>
/// <param name="Sha256">SHA-256 of the file as published; null where no published sum was at hand
/// (then the exact size is checked, and the sum of what arrived is shown).</param>
public sealed record ChatModel(string Name, long Bytes, string Repository, string File, string? Sha256, string Summary)
    : CatalogModel(Name, (int)Math.Round(Bytes / 1048576.0))
{
    public override string FileName => File;
    public override string Kind => "language model";
    public override long? ExactBytes => Bytes;
    public override ModelChecksum? Checksum => Sha256 is null ? null : ModelChecksum.Sha256(Sha256);
    public override string MirrorSetting => "voice-agent.models.chat-url";

    /// <summary>Hugging Face's layout (REPOSITORY/resolve/main/FILE), also served by its mirrors.</summary>
    public override string UrlFrom(ModelsOptions options) => $"{options.ChatUrl.TrimEnd('/')}/{Repository}/resolve/main/{File}";
}

/// <summary>
/// The language models offered for download: small instruction-tuned models that answer at
/// conversational speed on a laptop CPU, quantized Q4_K_M, each with its chat template inside the
/// GGUF: bartowski's GGUF builds on Hugging Face. A download is used only when its size matches,
/// and its SHA-256 where a published catalogue gives one that is not marked provisional (a wrong
/// sum would refuse a good download after a gigabyte; elsewhere the sum of what arrived is shown).
/// </summary>
public static class ChatModelCatalog
{
    public static IReadOnlyList<ChatModel> Models { get; } =
    [
        new("qwen2.5-0.5b-instruct", 397_808_192, "bartowski/Qwen2.5-0.5B-Instruct-GGUF", "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf",
            null, "fastest; short, simple answers (Apache-2.0)"),
        new("qwen2.5-1.5b-instruct", 986_048_768, "bartowski/Qwen2.5-1.5B-Instruct-GGUF", "Qwen2.5-1.5B-Instruct-Q4_K_M.gguf",
            null, "better answers, about three times slower (Apache-2.0)"),
        new("llama-3.2-1b-instruct", 807_694_464, "bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
            "6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83", "good conversation for its size (Llama 3.2 Community License)"),
        new("smollm2-1.7b-instruct", 1_055_609_824, "bartowski/SmolLM2-1.7B-Instruct-GGUF", "SmolLM2-1.7B-Instruct-Q4_K_M.gguf",
            null, "English only, fluent (Apache-2.0)"),
    ];

    public static ChatModel? Find(string name) =>
        Models.FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", Models.Select(m => m.Name));
}
