using System.Globalization;
using System.Text;

namespace VoiceAgent.Telnyx;

/// <summary>Decodes a JSON string literal (already validated by the parser) into UTF-16 exactly
/// as written, lone surrogate escapes included.</summary>
internal static class JsonStringLiteral
{
    public static string Decode(string literal)
    {
        var body = literal.AsSpan(1, literal.Length - 2); // without the quotes
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }
            var escape = body[++i];
            switch (escape)
            {
                case 'u':
                    text.Append((char)int.Parse(body.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                default: text.Append(escape); break; // \" \\ \/
            }
        }
        return text.ToString();
    }
}
