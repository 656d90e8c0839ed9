using VoiceAgent.Audio;
using VoiceAgent.Dsp;

namespace VoiceAgent.Simulation;

/// <summary>
/// The speaker-to-microphone path of a room as a stream: what the speakers play comes out
/// <see cref="RoomSetup.EchoDelay"/> later at <see cref="RoomSetup.EchoGain"/>, with a train of
/// reflections every <see cref="RoomSetup.ReverbSpacing"/>, each <see cref="RoomSetup.ReverbDecay"/>
/// of the one before (the virtual room's acoustics). Used where the virtual room's clock is not
/// wanted: offline recordings for the benchmark and tests, and a real audio server's monitor
/// turned into a microphone with a room in between.
/// </summary>
public sealed class RoomEcho
{
    private readonly int _delay;
    private readonly int _spacing;
    private readonly float _gain;
    private readonly float _decay;
    // Played samples waiting out the delay, and the echo with its reflections (a feedback comb).
    private readonly float[] _played;
    private readonly float[] _echo;
    private long _position;

    public RoomEcho(RoomSetup room, int sampleRate)
    {
        _delay = (int)Math.Round(room.EchoDelay * sampleRate);
        _spacing = (int)Math.Round(room.ReverbSpacing * sampleRate);
        _gain = (float)room.EchoGain;
        _decay = (float)room.ReverbDecay;
        _played = new float[_delay + 1];
        _echo = new float[Math.Max(1, _spacing)];
    }

    /// <summary>The microphone's share of <paramref name="played"/>: the next samples of the echo.</summary>
    public void Process(ReadOnlySpan<short> played, Span<float> echo)
    {
        for (var i = 0; i < played.Length; i++, _position++)
        {
            _played[_position % _played.Length] = played[i];
            var direct = _played[(_position - _delay + _played.Length) % _played.Length];
            if (_position < _delay) direct = 0;
            var slot = _spacing > 0 ? (int)(_position % _spacing) : 0;
            var withReflections = _spacing > 0 ? direct + _decay * _echo[slot] : direct;
            if (_spacing > 0) _echo[slot] = withReflections;
            echo[i] = _gain * withReflections;
        }
    }

    /// <summary>A whole recording through the room: the echo of <paramref name="played"/>, plus
    /// <paramref name="user"/> (if any) from sample <paramref name="userAt"/>.</summary>
    public static short[] Record(RoomSetup room, ReadOnlySpan<short> played, int sampleRate, ReadOnlySpan<short> user = default, int userAt = 0)
    {
        var heard = new float[played.Length];
        new RoomEcho(room, sampleRate).Process(played, heard);
        for (var i = Math.Max(0, userAt); i < heard.Length && i - userAt < user.Length; i++)
            heard[i] += user[i - userAt];
        var mic = new short[played.Length];
        Pcm16.FromScaled(heard, mic);
        return mic;
    }
}
