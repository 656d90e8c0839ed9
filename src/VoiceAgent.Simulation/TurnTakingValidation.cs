using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace VoiceAgent.Simulation;

/// <summary>
/// The checks of what a scenario says about turn-taking: who transcribes the user, the scripted
/// words, and the tools it offers. One line naming the field, like every other scenario check.
/// </summary>
internal static partial class TurnTakingValidation
{
    public static void Check(Scenario scenario, string path)
    {
        [DoesNotReturn]
        void Fail(string field, string problem) => throw new ScenarioException($"{path}: \"{field}\" {problem}.");

        if (scenario.Recognizer is { } recognizer && !recognizer.Equals("scripted", StringComparison.OrdinalIgnoreCase)
            && !recognizer.Equals("real", StringComparison.OrdinalIgnoreCase))
            Fail("recognizer", $"is \"{recognizer}\": use \"scripted\" (the words given with each sound) or \"real\" (the configured recognizer)");
        if (!double.IsFinite(scenario.RecognitionDelay) || scenario.RecognitionDelay is < 0 or > 30)
            Fail("recognitionDelay", $"is {scenario.RecognitionDelay} s: use 0 s to 30 s");
        if (scenario.RecognitionDelay > 0 && !scenario.UsesScriptedRecognizer)
            Fail("recognitionDelay", "only slows the scripted recognizer: give the sounds a \"transcript\", or leave it out");
        for (var i = 0; i < scenario.User.Count; i++)
        {
            if (scenario.User[i] is { Transcript: { } text } && string.IsNullOrWhiteSpace(text))
                Fail($"user[{i}].transcript", "is empty: give the words the user says, or leave it out");
        }

        if (scenario.Tools is null) Fail("tools", "must be a list of tools (or left out), not null");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scenario.Tools.Count; i++)
        {
            var field = $"tools[{i}]";
            var tool = scenario.Tools[i];
            if (tool is null) Fail(field, "is null: give a tool like {\"name\": \"slow_lookup\", \"seconds\": 3, \"result\": \"…\"}");
            if (tool.Name is null || !ToolName().IsMatch(tool.Name))
                Fail($"{field}.name", $"is \"{tool.Name}\": use 1 to 64 letters, digits, _ or -");
            if (!names.Add(tool.Name)) Fail($"{field}.name", $"\"{tool.Name}\" is offered twice");
            if (string.IsNullOrWhiteSpace(tool.Description)) Fail($"{field}.description", "is empty: say what the tool does, the model reads it");
            if (tool.Result is null) Fail($"{field}.result", "must be text, not null");
            if (!double.IsFinite(tool.Seconds) || tool.Seconds is < 0 or > 600)
                Fail($"{field}.seconds", $"is {tool.Seconds} s: use 0 s to 600 s");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
