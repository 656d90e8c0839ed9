using System.Text.Json;
using System.Text.Json.Serialization;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Extensions.SessionLog;

/// <summary>
/// Writes pipeline events as JSON lines, one file per session:
/// <c>{"at":"…","event":"TranscriptFinal","text":"…",…}</c>. Durations are in milliseconds,
/// turn ids are numbers. Each line is flushed, so a crash loses nothing already written.
/// </summary>
public sealed class SessionLogWriter : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new TurnIdConverter(), new MillisecondsConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly StreamWriter _writer;

    public SessionLogWriter(string folder, DateTimeOffset startedAt)
    {
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, $"session-{startedAt:yyyyMMdd-HHmmss}-{Environment.ProcessId}.jsonl");
        _writer = new StreamWriter(new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public string FilePath { get; }

    public void Write(IPipelineEvent pipelineEvent, DateTimeOffset at)
    {
        var body = JsonSerializer.SerializeToNode(pipelineEvent, pipelineEvent.GetType(), Json)!.AsObject();
        var line = new System.Text.Json.Nodes.JsonObject
        {
            ["at"] = at.ToString("O"),
            ["event"] = pipelineEvent.GetType().Name,
        };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            line[key] = value;
        }
        _writer.WriteLine(line.ToJsonString(Json));
    }

    public void Dispose() => _writer.Dispose();

    private sealed class TurnIdConverter : JsonConverter<TurnId>
    {
        public override TurnId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, TurnId value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
    }

    private sealed class MillisecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromMilliseconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.TotalMilliseconds, 1));
    }
}
