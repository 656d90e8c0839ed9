using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoiceAgent.Extensions.Tools;

/// <summary>
/// A tool for the model: today's date, the time and the weekday, in the user's time zone or any
/// IANA zone the model names. Plain class (the actor only carries messages), tested on its own
/// with a fixed clock.
/// </summary>
public sealed class ClockTool(TimeProvider clock, TimeZoneInfo defaultZone)
{
    public const string Name = "get_current_time";

    public const string Description =
        "Returns the current date, time and weekday. Use it whenever the user asks for the time, the date or the day of the week.";

    public const string ParametersSchema = """
        {
          "type": "object",
          "properties": {
            "time_zone": {
              "type": "string",
              "description": "IANA time zone such as Europe/Paris or America/New_York. Omit it for the user's own time zone."
            }
          },
          "additionalProperties": false
        }
        """;

    /// <summary>Answers one call: a small JSON object, or an error line for the model.</summary>
    public (string Result, bool IsError) Answer(string argumentsJson)
    {
        string? zoneId;
        try
        {
            zoneId = JsonNode.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson)?["time_zone"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return ("the arguments must be a JSON object like {\"time_zone\": \"Europe/Paris\"}", true);
        }

        var zone = defaultZone;
        if (!string.IsNullOrWhiteSpace(zoneId) && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId.Trim(), out zone))
            return ($"unknown time zone '{zoneId}': use an IANA id such as Europe/Paris", true);

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone!);
        var answer = new JsonObject
        {
            ["date"] = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["weekday"] = now.DayOfWeek.ToString(),
            ["time"] = now.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["time_zone"] = zone!.Id,
            ["utc_offset"] = now.ToString("zzz", CultureInfo.InvariantCulture),
        };
        return (answer.ToJsonString(), false);
    }

    /// <summary>The zone named in the settings, or this machine's; a wrong name is one clear line.</summary>
    public static TimeZoneInfo ZoneFromSetting(string setting, string settingKey)
    {
        if (string.IsNullOrWhiteSpace(setting)) return TimeZoneInfo.Local;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(setting.Trim(), out var zone)) return zone;
        throw new ArgumentException($"{settingKey} = \"{setting}\" is not a known time zone; use an IANA id such as Europe/Paris, or leave it empty.");
    }
}
