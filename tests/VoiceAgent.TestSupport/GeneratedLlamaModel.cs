using System.Text;

namespace VoiceAgent.TestSupport;

/// <summary>How the weights of a generated language model are stored.</summary>
public enum GgufWeights
{
    /// <summary>32-bit floats: smallest code path, fine for tiny models.</summary>
    F32,
    /// <summary>llama.cpp's Q8_0 (blocks of 32 int8 values with one f16 scale): about a byte per
    /// weight, so a model with real dimensions fits in memory and runs at a realistic speed.</summary>
    Q8_0,
}

/// <summary>The dimensions of a generated llama-architecture model.</summary>
/// <param name="Embedding">Width of the residual stream (n_embd).</param>
/// <param name="Heads">Attention heads (divide <paramref name="Embedding"/>).</param>
/// <param name="KvHeads">Key/value heads (divide <paramref name="Heads"/>; fewer is grouped-query attention).</param>
/// <param name="Context">The context length the model says it was trained for.</param>
/// <param name="Vocabulary">Tokens; at least the 3 special tokens, the 256 byte tokens and the script's words.</param>
public sealed record LlamaModelShape(int Embedding, int Blocks, int Heads, int KvHeads, int FeedForward, int Context, int Vocabulary, GgufWeights Weights = GgufWeights.F32)
{
    /// <summary>Under a megabyte: loads in tens of milliseconds and generates a token in well under one.</summary>
    public static LlamaModelShape Tiny { get; } = new(64, 2, 4, 4, 128, 4096, 400);

    /// <summary>The real dimensions of Qwen2.5-0.5B-Instruct, the default local model (896 wide, 24
    /// blocks, 14 heads with 2 key/value heads, feed-forward 4864, 151936 tokens), as llama
    /// architecture with Q8_0 weights: what llama.cpp computes per token is the same size.</summary>
    public static LlamaModelShape Qwen25HalfBDimensions { get; } = new(896, 24, 14, 2, 4864, 32768, 151936, GgufWeights.Q8_0);
}

/// <summary>What a generated model writes.</summary>
/// <param name="Script">Tokens the model says in order, one after the other ("▁" starts a word).
/// Null: random weights, so the text is noise (for timing).</param>
/// <param name="EndAfterScript">After the script the model ends its reply (end-of-sequence);
/// otherwise it starts the script again until the token limit.</param>
/// <param name="ChatTemplate">Stored as <c>tokenizer.chat_template</c>; null leaves it out (llama.cpp then falls back to ChatML).</param>
/// <param name="Architecture">Written as <c>general.architecture</c>; anything but llama makes the file unloadable.</param>
public sealed record LlamaModelContent(
    IReadOnlyList<string>? Script = null,
    bool EndAfterScript = false,
    string? ChatTemplate = LlamaModelContent.ChatMlTemplate,
    string Architecture = "llama",
    int Seed = 1)
{
    /// <summary>The ChatML template (Qwen's, without tools).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>ChatML with Hermes-style tool calls (the shape of Qwen2.5's template): llama.cpp
    /// renders it as ChatML; the <c>&lt;tool_call&gt;</c> in it says that the model takes tools.</summary>
    public const string ToolTemplate =
        "{%- if tools %}{{- '<|im_start|>system\n# Tools\n<tools>' }}{%- for tool in tools %}{{- tool | tojson }}{%- endfor %}{{- '</tools>\n<tool_call>{\"name\": <function-name>, \"arguments\": <args-json-object>}</tool_call><|im_end|>\n' }}{%- endif %}" +
        ChatMlTemplate;

    /// <summary>Spoken sentences, so a reply streams into speech like a real one. Every token of a
    /// script is different (the model knows only the last token, so a repeated one would loop).</summary>
    public static IReadOnlyList<string> Sentences { get; } =
    [
        "▁Hello", "▁from", "▁a", "▁tiny", "▁generated", "▁model.",
        "▁It", "▁speaks", "▁in", "▁short", "▁sentences.",
        "▁Each", "▁word", "▁follows", "▁the", "▁last.",
    ];
}

/// <summary>
/// Writes a valid GGUF v3 language model of the llama architecture with a SentencePiece
/// vocabulary (special tokens, the 256 byte tokens, then words). llama.cpp loads and runs it like
/// a published model. With a <see cref="LlamaModelContent.Script"/>, the weights are chosen so
/// that every token's most likely successor is the next token of the script (attention and
/// feed-forward are zero, so the output sees the last token only; the matrices are still
/// multiplied in full): the text is predictable, and tests can assert flow, cancellation and what
/// history keeps. Without one, the weights are random and the text is noise.
/// </summary>
public static class GeneratedLlamaModel
{
    public const int UnknownToken = 0;
    public const int BeginToken = 1;
    public const int EndToken = 2;
    private const int FirstByteToken = 3;
    private const int FirstWordToken = FirstByteToken + 256;

    private const int Alignment = 32;
    private const uint GgufVersion = 3;

    // GGUF metadata value types.
    private const uint TypeUInt32 = 4;
    private const uint TypeInt32 = 5;
    private const uint TypeFloat32 = 6;
    private const uint TypeString = 8;
    private const uint TypeArray = 9;

    // ggml tensor types.
    private const uint GgmlF32 = 0;
    private const uint GgmlQ8_0 = 8;
    private const int Q8Block = 32;

    public static void Write(string path, LlamaModelShape shape, LlamaModelContent? content = null)
    {
        content ??= new LlamaModelContent();
        if (shape.Embedding % shape.Heads != 0 || shape.Heads % shape.KvHeads != 0)
            throw new ArgumentException("heads must divide the width, and key/value heads the heads");
        var tokens = Vocabulary(shape, content);
        var random = new Random(content.Seed);
        var tensors = Tensors(shape, content, tokens, random);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(file);
        writer.Write("GGUF"u8);
        writer.Write(GgufVersion);
        writer.Write((ulong)tensors.Count);
        var metadata = Metadata(shape, content, tokens);
        writer.Write((ulong)metadata.Count);
        foreach (var write in metadata) write(writer);

        ulong offset = 0;
        foreach (var tensor in tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (var dimension in tensor.Dimensions) writer.Write((ulong)dimension);
            writer.Write(tensor.Quantized ? GgmlQ8_0 : GgmlF32);
            writer.Write(offset);
            offset = Align(offset + (ulong)tensor.Bytes);
        }
        Pad(writer);
        foreach (var tensor in tensors)
        {
            tensor.WriteData(writer);
            Pad(writer);
        }
    }

    private static List<string> Vocabulary(LlamaModelShape shape, LlamaModelContent content)
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        for (var b = 0; b < 256; b++) tokens.Add($"<0x{b:X2}>");
        foreach (var word in content.Script ?? [])
            if (!tokens.Contains(word)) tokens.Add(word);
        for (var i = tokens.Count; i < shape.Vocabulary; i++) tokens.Add($"▁w{i}");
        if (tokens.Count > shape.Vocabulary) throw new ArgumentException($"the script needs {tokens.Count} tokens; the shape has {shape.Vocabulary}");
        return tokens;
    }

    private static List<Action<BinaryWriter>> Metadata(LlamaModelShape shape, LlamaModelContent content, List<string> tokens)
    {
        var arch = content.Architecture;
        var list = new List<Action<BinaryWriter>>
        {
            w => KeyString(w, "general.architecture", arch),
            w => KeyString(w, "general.name", "generated test model"),
            w => KeyUInt32(w, "general.alignment", Alignment),
            w => KeyUInt32(w, $"{arch}.context_length", (uint)shape.Context),
            w => KeyUInt32(w, $"{arch}.embedding_length", (uint)shape.Embedding),
            w => KeyUInt32(w, $"{arch}.block_count", (uint)shape.Blocks),
            w => KeyUInt32(w, $"{arch}.feed_forward_length", (uint)shape.FeedForward),
            w => KeyUInt32(w, $"{arch}.attention.head_count", (uint)shape.Heads),
            w => KeyUInt32(w, $"{arch}.attention.head_count_kv", (uint)shape.KvHeads),
            w => KeyFloat(w, $"{arch}.attention.layer_norm_rms_epsilon", 1e-5f),
            w => KeyUInt32(w, $"{arch}.rope.dimension_count", (uint)(shape.Embedding / shape.Heads)),
            w => KeyUInt32(w, $"{arch}.vocab_size", (uint)shape.Vocabulary),
            w => KeyString(w, "tokenizer.ggml.model", "llama"),
            w =>
            {
                Key(w, "tokenizer.ggml.tokens", TypeArray);
                w.Write(TypeString);
                w.Write((ulong)tokens.Count);
                foreach (var token in tokens) WriteString(w, token);
            },
            w =>
            {
                Key(w, "tokenizer.ggml.scores", TypeArray);
                w.Write(TypeFloat32);
                w.Write((ulong)tokens.Count);
                // Longer pieces score higher, so words win over their bytes when tokenizing.
                for (var i = 0; i < tokens.Count; i++) w.Write(i < FirstWordToken ? 0f : -1f / tokens[i].Length);
            },
            w =>
            {
                Key(w, "tokenizer.ggml.token_type", TypeArray);
                w.Write(TypeInt32);
                w.Write((ulong)tokens.Count);
                // 2 unknown, 3 control, 6 byte, 1 normal.
                for (var i = 0; i < tokens.Count; i++) w.Write(i == UnknownToken ? 2 : i < FirstByteToken ? 3 : i < FirstWordToken ? 6 : 1);
            },
            w => KeyUInt32(w, "tokenizer.ggml.bos_token_id", BeginToken),
            w => KeyUInt32(w, "tokenizer.ggml.eos_token_id", EndToken),
            w => KeyUInt32(w, "tokenizer.ggml.unknown_token_id", UnknownToken),
        };
        if (content.ChatTemplate is { } template) list.Add(w => KeyString(w, "tokenizer.chat_template", template));
        return list;
    }

    private static List<Tensor> Tensors(LlamaModelShape shape, LlamaModelContent content, List<string> tokens, Random random)
    {
        var e = shape.Embedding;
        var kv = e / shape.Heads * shape.KvHeads;
        var q = shape.Weights == GgufWeights.Q8_0;
        var scripted = content.Script is not null;
        var list = new List<Tensor>();
        if (scripted)
        {
            var (embeddings, output) = ScriptedEmbeddings(shape, content, tokens, random);
            list.Add(Tensor.Of("token_embd.weight", [e, shape.Vocabulary], q, embeddings));
            list.Add(Tensor.Filled("output_norm.weight", [e], 1f));
            list.Add(Tensor.Of("output.weight", [e, shape.Vocabulary], q, output));
        }
        else
        {
            list.Add(Tensor.Random("token_embd.weight", [e, shape.Vocabulary], q, random));
            list.Add(Tensor.Filled("output_norm.weight", [e], 1f));
            list.Add(Tensor.Random("output.weight", [e, shape.Vocabulary], q, random));
        }
        for (var b = 0; b < shape.Blocks; b++)
        {
            var block = $"blk.{b}";
            list.Add(Tensor.Filled($"{block}.attn_norm.weight", [e], 1f));
            list.Add(Matrix($"{block}.attn_q.weight", [e, e]));
            list.Add(Matrix($"{block}.attn_k.weight", [e, kv]));
            list.Add(Matrix($"{block}.attn_v.weight", [e, kv]));
            list.Add(Matrix($"{block}.attn_output.weight", [e, e]));
            list.Add(Tensor.Filled($"{block}.ffn_norm.weight", [e], 1f));
            list.Add(Matrix($"{block}.ffn_gate.weight", [e, shape.FeedForward]));
            list.Add(Matrix($"{block}.ffn_up.weight", [e, shape.FeedForward]));
            list.Add(Matrix($"{block}.ffn_down.weight", [shape.FeedForward, e]));
        }
        return list;

        // Scripted models pass the last token's embedding straight to the output.
        Tensor Matrix(string name, int[] dimensions) =>
            scripted ? Tensor.Filled(name, dimensions, 0f, q) : Tensor.Random(name, dimensions, q, random);
    }

    /// <summary>Each script token gets a random direction as its embedding; the output row of a
    /// token is the direction of the token before it, so the largest logit after a token is the
    /// script's next one. Every token outside the script shares direction 0, which leads to the
    /// first token (and so does the last one, when the script repeats).</summary>
    private static (float[] Embeddings, float[] Output) ScriptedEmbeddings(LlamaModelShape shape, LlamaModelContent content, List<string> tokens, Random random)
    {
        var e = shape.Embedding;
        var script = content.Script!.Select(t => tokens.IndexOf(t)).ToList();
        if (script.Distinct().Count() != script.Count) throw new ArgumentException("every token of a script must be different");
        var embeddings = new float[(long)e * shape.Vocabulary];
        var output = new float[(long)e * shape.Vocabulary];
        var directions = Enumerable.Range(0, script.Count + 1).Select(_ => UnitVector(e, random)).ToList();
        for (var t = 0; t < shape.Vocabulary; t++) directions[0].CopyTo(embeddings, (long)t * e);
        var last = script.Count - 1;
        for (var i = 0; i < script.Count; i++)
            directions[i == last && !content.EndAfterScript ? 0 : i + 1].CopyTo(embeddings, (long)script[i] * e);
        // Large enough that sampling at any usual temperature keeps to the script.
        const float Sharpness = 12f;
        void Lead(float[] from, int to)
        {
            for (var k = 0; k < e; k++) output[(long)to * e + k] = from[k] * Sharpness;
        }
        Lead(directions[0], script[0]);
        for (var i = 1; i < script.Count; i++) Lead(directions[i], script[i]);
        if (content.EndAfterScript) Lead(directions[script.Count], EndToken);
        return (embeddings, output);
    }

    private static float[] UnitVector(int size, Random random)
    {
        var v = new float[size];
        for (var i = 0; i < size; i++) v[i] = random.NextSingle() * 2 - 1;
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < size; i++) v[i] /= norm;
        return v;
    }

    private static ulong Align(ulong offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        writer.Flush();
        var position = (ulong)writer.BaseStream.Position;
        var padding = (int)(Align(position) - position);
        if (padding > 0) writer.Write(new byte[padding]);
    }

    private static void Key(BinaryWriter writer, string key, uint type)
    {
        WriteString(writer, key);
        writer.Write(type);
    }

    private static void KeyString(BinaryWriter writer, string key, string value)
    {
        Key(writer, key, TypeString);
        WriteString(writer, value);
    }

    private static void KeyUInt32(BinaryWriter writer, string key, uint value)
    {
        Key(writer, key, TypeUInt32);
        writer.Write(value);
    }

    private static void KeyFloat(BinaryWriter writer, string key, float value)
    {
        Key(writer, key, TypeFloat32);
        writer.Write(value);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>One tensor: its header facts and a writer for its data (values made as written,
    /// so a model of real dimensions never sits in memory whole).</summary>
    private sealed class Tensor(string name, int[] dimensions, bool quantized, Func<long, float> value)
    {
        public string Name { get; } = name;
        public int[] Dimensions { get; } = dimensions;
        public bool Quantized { get; } = quantized;
        private long Elements => Dimensions.Aggregate(1L, (p, d) => p * d);
        public long Bytes => Quantized ? Elements / Q8Block * (2 + Q8Block) : Elements * 4;

        public static Tensor Filled(string name, int[] dimensions, float value, bool quantized = false) =>
            new(name, dimensions, quantized, _ => value);

        public static Tensor Of(string name, int[] dimensions, bool quantized, float[] values) =>
            new(name, dimensions, quantized, i => values[i]);

        /// <summary>Small random weights keep every activation finite through the blocks.</summary>
        public static Tensor Random(string name, int[] dimensions, bool quantized, Random random) =>
            new(name, dimensions, quantized, _ => (random.NextSingle() * 2 - 1) * 0.05f);

        public void WriteData(BinaryWriter writer)
        {
            var count = Elements;
            if (!Quantized)
            {
                for (long i = 0; i < count; i++) writer.Write(value(i));
                return;
            }
            if (count % Q8Block != 0) throw new InvalidOperationException($"{Name}: Q8_0 needs multiples of {Q8Block} values");
            Span<float> block = stackalloc float[Q8Block];
            Span<byte> bytes = stackalloc byte[2 + Q8Block];
            for (long start = 0; start < count; start += Q8Block)
            {
                var max = 0f;
                for (var i = 0; i < Q8Block; i++)
                {
                    block[i] = value(start + i);
                    max = MathF.Max(max, MathF.Abs(block[i]));
                }
                var scale = max / 127f;
                BitConverter.TryWriteBytes(bytes, (Half)scale);
                for (var i = 0; i < Q8Block; i++)
                    bytes[2 + i] = (byte)(sbyte)(scale == 0 ? 0 : Math.Clamp(MathF.Round(block[i] / scale), -127, 127));
                writer.Write(bytes);
            }
        }
    }
}
