using System.Text;

namespace VoiceAgent.TestSupport;

/// <summary>The dimensions of a Whisper model (whisper.cpp's hparams).</summary>
/// <param name="State">Width of every layer (n_audio_state = n_text_state).</param>
/// <param name="Heads">Attention heads (must divide <paramref name="State"/>).</param>
public sealed record WhisperModelShape(int State, int Heads, int EncoderLayers, int DecoderLayers, int Vocabulary = WhisperModelShape.EnglishVocabulary)
{
    /// <summary>English-only models have 51864 tokens (multilingual 51865); the special tokens' ids follow from it.</summary>
    public const int EnglishVocabulary = 51864;

    /// <summary>A few MB: loads in tens of milliseconds, runs a call in a fraction of a second.</summary>
    public static WhisperModelShape Tiny { get; } = new(64, 1, 1, 1);

    /// <summary>The real dimensions of OpenAI's tiny.en (384 wide, 6 heads, 4 + 4 layers).</summary>
    public static WhisperModelShape TinyEnDimensions { get; } = new(384, 6, 4, 4);

    /// <summary>The real dimensions of OpenAI's base.en (512 wide, 8 heads, 6 + 6 layers).</summary>
    public static WhisperModelShape BaseEnDimensions { get; } = new(512, 8, 6, 6);

    public int TensorCount => 7 + 15 * EncoderLayers + 4 + 24 * DecoderLayers;
}

/// <summary>
/// Writes a structurally valid whisper.cpp model file (the legacy ggml format: magic, hparams, mel
/// filters, vocabulary, then named tensors) with random weights. whisper.cpp loads and runs it
/// like a real model; what it "hears" is noise by design, so tests assert that it returns, how
/// long it takes, cancellation and errors — never its words.
/// </summary>
public static class GeneratedWhisperModel
{
    private const int Magic = 0x67676d6c; // "ggml"
    private const int AudioContext = 1500;
    private const int TextContext = 448;
    private const int Mels = 80;
    private const int FftBins = 201;
    private const int F32 = 0;
    private const int F16 = 1;

    /// <summary>Writes the model to <paramref name="path"/> (f16 matrices and convolutions).</summary>
    public static void Write(string path, WhisperModelShape shape, int seed = 1)
    {
        if (shape.State % shape.Heads != 0) throw new ArgumentException("heads must divide the state");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(file);
        var random = new Random(seed);
        var s = shape.State;

        writer.Write(Magic);
        foreach (var value in new[] { shape.Vocabulary, AudioContext, s, shape.Heads, shape.EncoderLayers, TextContext, s, shape.Heads, shape.DecoderLayers, Mels, 1 })
            writer.Write(value);

        // Mel filter bank: zeros are valid (every mel band reads silence-level energy).
        writer.Write(Mels);
        writer.Write(FftBins);
        writer.Write(new byte[Mels * FftBins * sizeof(float)]);

        // The loader adds the special tokens itself; it needs the space token for its own use.
        var tokens = new List<string> { " " };
        for (var c = 'a'; c <= 'z'; c++)
        {
            tokens.Add(c.ToString());
            tokens.Add(" " + c);
        }
        writer.Write(tokens.Count);
        foreach (var token in tokens)
        {
            var bytes = Encoding.UTF8.GetBytes(token);
            writer.Write((uint)bytes.Length);
            writer.Write(bytes);
        }

        var tensors = new TensorWriter(writer, random);
        tensors.Constant("encoder.positional_embedding", [s, AudioContext], 0f, random: true);
        tensors.Matrix("encoder.conv1.weight", [3, Mels, s]);
        tensors.Constant("encoder.conv1.bias", [1, s], 0f);
        tensors.Matrix("encoder.conv2.weight", [3, s, s]);
        tensors.Constant("encoder.conv2.bias", [1, s], 0f);
        tensors.Norm("encoder.ln_post", s);
        for (var layer = 0; layer < shape.EncoderLayers; layer++)
        {
            var block = $"encoder.blocks.{layer}";
            tensors.Norm($"{block}.attn_ln", s);
            tensors.Attention($"{block}.attn", s);
            tensors.Norm($"{block}.mlp_ln", s);
            tensors.Mlp($"{block}.mlp", s);
        }

        tensors.Constant("decoder.positional_embedding", [s, TextContext], 0f, random: true);
        tensors.Matrix("decoder.token_embedding.weight", [s, shape.Vocabulary]);
        tensors.Norm("decoder.ln", s);
        for (var layer = 0; layer < shape.DecoderLayers; layer++)
        {
            var block = $"decoder.blocks.{layer}";
            tensors.Norm($"{block}.attn_ln", s);
            tensors.Attention($"{block}.attn", s);
            tensors.Norm($"{block}.cross_attn_ln", s);
            tensors.Attention($"{block}.cross_attn", s);
            tensors.Norm($"{block}.mlp_ln", s);
            tensors.Mlp($"{block}.mlp", s);
        }
        if (tensors.Count != shape.TensorCount) throw new InvalidOperationException($"wrote {tensors.Count} tensors, expected {shape.TensorCount}");
    }

    /// <summary>Writes named tensors: header (dims, name length, type, shape, name) then data.</summary>
    private sealed class TensorWriter(BinaryWriter writer, Random rng)
    {
        // Small weights keep every activation finite through the layers.
        private const float Scale = 0.05f;

        public int Count { get; private set; }

        public void Norm(string name, int state)
        {
            Constant(name + ".weight", [state], 1f);
            Constant(name + ".bias", [state], 0f);
        }

        public void Attention(string name, int state)
        {
            Matrix(name + ".query.weight", [state, state]);
            Constant(name + ".query.bias", [state], 0f);
            Matrix(name + ".key.weight", [state, state]);
            Matrix(name + ".value.weight", [state, state]);
            Constant(name + ".value.bias", [state], 0f);
            Matrix(name + ".out.weight", [state, state]);
            Constant(name + ".out.bias", [state], 0f);
        }

        public void Mlp(string name, int state)
        {
            Matrix(name + ".0.weight", [state, 4 * state]);
            Constant(name + ".0.bias", [4 * state], 0f);
            Matrix(name + ".2.weight", [4 * state, state]);
            Constant(name + ".2.bias", [state], 0f);
        }

        /// <summary>An f16 tensor of random values.</summary>
        public void Matrix(string name, int[] shape)
        {
            Header(name, shape, F16);
            var count = Elements(shape);
            var buffer = new byte[Math.Min(count, 1 << 16) * 2];
            for (long done = 0; done < count;)
            {
                var n = (int)Math.Min(count - done, buffer.Length / 2);
                for (var i = 0; i < n; i++)
                    BitConverter.TryWriteBytes(buffer.AsSpan(i * 2), (Half)((rng.NextSingle() * 2 - 1) * Scale));
                writer.Write(buffer, 0, n * 2);
                done += n;
            }
        }

        /// <summary>An f32 tensor: all <paramref name="value"/>, or random when asked.</summary>
        public void Constant(string name, int[] shape, float value, bool random = false)
        {
            Header(name, shape, F32);
            var count = Elements(shape);
            for (long i = 0; i < count; i++)
                writer.Write(random ? (rng.NextSingle() * 2 - 1) * Scale : value);
        }

        private void Header(string name, int[] shape, int type)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            writer.Write(shape.Length);
            writer.Write(nameBytes.Length);
            writer.Write(type);
            foreach (var dimension in shape) writer.Write(dimension);
            writer.Write(nameBytes);
            Count++;
        }

        private static long Elements(int[] shape) => shape.Aggregate(1L, (product, dimension) => product * dimension);
    }
}
