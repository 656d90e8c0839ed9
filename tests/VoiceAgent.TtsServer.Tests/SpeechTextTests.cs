using VoiceAgent.TtsServer.Text;

namespace VoiceAgent.TtsServer.Tests;

public sealed class SpeechTextTests
{
    [Theory]
    [InlineData("# Heading", "Heading")]
    [InlineData("### Smaller heading", "Smaller heading")]
    [InlineData("This is **bold** and __also bold__.", "This is bold and also bold.")]
    [InlineData("This is *italic* and _also italic_.", "This is italic and also italic.")]
    [InlineData("~~Struck~~ text.", "Struck text.")]
    [InlineData("Run `dotnet test` now.", "Run dotnet test now.")]
    [InlineData("Read [the guide](https://example.com/guide) first.", "Read the guide first.")]
    [InlineData("![a diagram](pic.png) shows it.", "a diagram shows it.")]
    [InlineData("- one\n- two\n* three\n1. four", "one two three four")]
    [InlineData("> quoted words", "quoted words")]
    [InlineData("| a | b |\n|---|---|\n| c | d |", "a b c d")]
    [InlineData("```python\nprint(1)\n```", "print(1)")]
    [InlineData("Great job 🎉🚀!", "Great job!")]
    [InlineData("Family 👨‍👩‍👧 and flag 🇫🇷 and thumbs 👍🏽 ok.", "Family and flag and thumbs ok.")]
    [InlineData("Sunny ☀️ day.", "Sunny day.")]
    [InlineData("Copyright © 2024 Acme™.", "Copyright © 2024 Acme™.")]
    [InlineData("  lots   of \n\n  space  ", "lots of space")]
    [InlineData("Fish &amp; chips.", "Fish & chips.")]
    [InlineData("🎉", "")]
    public void Markdown_and_emoji_become_plain_speakable_text(string input, string expected)
    {
        Assert.Equal(expected, SpeechText.Clean(input));
    }

    [Fact]
    public void A_typical_llm_answer_reads_as_plain_text()
    {
        const string answer = """
            ## Quick answer

            To install it, run **`apt-get install espeak-ng`** and then:

            1. Open the [settings](https://example.com/settings).
            2. Choose *English*. ✅

            ```bash
            espeak-ng "hello"
            ```
            """;
        Assert.Equal(
            "Quick answer To install it, run apt-get install espeak-ng and then: Open the settings. Choose English. espeak-ng \"hello\"",
            SpeechText.Clean(answer));
    }
}
