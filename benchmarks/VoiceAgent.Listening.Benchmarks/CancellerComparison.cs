using System.Diagnostics;
using VoiceAgent.Audio;
using VoiceAgent.Listening.Echo;
using VoiceAgent.Simulation;

namespace VoiceAgent.Listening.Benchmarks;

/// <summary>
/// The echo cancellers side by side on the same recordings: the agent's voice (espeak-ng) through
/// a room, 20 s of echo alone, then a user (jfk.wav) talking over it at the echo's own level
/// (double talk), then echo alone again. Per canceller: echo removed per second (ERLE), the
/// user's voice against what is left of the echo during double talk, the echo removed after it
/// (did the filter survive?), and the cost per 20 ms frame.
/// </summary>
internal static class CancellerComparison
{
    private const int Rate = 16_000;
    private const int Frame = 320;
    private const int EchoOnlySeconds = 20;

    private interface ICanceller : IDisposable
    {
        void Process(float[] reference, float[] microphone);
    }

    private sealed class Managed(int taps, float step) : ICanceller
    {
        private readonly FrequencyDomainEchoCanceller _canceller = new(taps, step);
        public void Process(float[] reference, float[] microphone) => _canceller.Process(reference, microphone);
        public void Dispose() { }
    }

    private sealed class Nlms(int taps) : ICanceller
    {
        private readonly NlmsEchoCanceller _canceller = new(taps, 0.3f);
        public void Process(float[] reference, float[] microphone) => _canceller.Process(reference, microphone, adapt: true);
        public void Dispose() { }
    }

    private sealed class Speex(int taps, bool suppress) : ICanceller
    {
        private readonly SpeexEchoCanceller _canceller = new(Frame, taps, Rate, suppress);
        private readonly short[] _reference = new short[Frame];
        private readonly short[] _microphone = new short[Frame];

        public void Process(float[] reference, float[] microphone)
        {
            for (var i = 0; i < Frame; i++)
            {
                _reference[i] = (short)Math.Clamp(Math.Round(reference[i] * 32768), short.MinValue, short.MaxValue);
                _microphone[i] = (short)Math.Clamp(Math.Round(microphone[i] * 32768), short.MinValue, short.MaxValue);
            }
            _canceller.Process(_reference, _microphone);
            for (var i = 0; i < Frame; i++) microphone[i] = _microphone[i] / 32768f;
        }

        public void Dispose() => _canceller.Dispose();
    }

    public static void Run(short[] agent, short[] user)
    {
        var taps = Rate / 2;
        var rooms = new (string Name, RoomSetup Room)[]
        {
            ("gain 1.0, 120 ms, reverb", new RoomSetup { EchoGain = 1.0, EchoDelay = 0.12, ReverbSpacing = 0.013, ReverbDecay = 0.5 }),
            ("gain 0.3, 30 ms, no reverb", new RoomSetup { EchoGain = 0.3, EchoDelay = 0.03 }),
        };
        var cancellers = new List<(string Name, Func<ICanceller> Create)>
        {
            ("managed PBFDAF 500 ms", () => new Managed(taps, 0.5f)),
            ("NLMS 500 ms (previous)", () => new Nlms(taps)),
        };
        if (SpeexEchoCanceller.Available())
        {
            cancellers.Add(("SpeexDSP AEC 500 ms", () => new Speex(taps, suppress: false)));
            cancellers.Add(("SpeexDSP AEC + preprocess", () => new Speex(taps, suppress: true)));
        }
        else
        {
            Console.WriteLine("SpeexDSP (libspeexdsp.so.1) not installed: only the managed cancellers are measured.");
        }

        var seconds = Math.Min(agent.Length / Rate, EchoOnlySeconds + user.Length / Rate + 8);
        var played = agent[..(seconds * Rate)];
        var userStart = EchoOnlySeconds * Rate;
        foreach (var (roomName, room) in rooms)
        {
            var echo = RoomEcho.Record(room, played, Rate);
            // The user at the echo's own level over the double-talk stretch.
            var echoRms = Rms(echo.AsSpan(userStart, Math.Min(user.Length, echo.Length - userStart)));
            var userRms = Rms(user);
            var scaledUser = user.Select(s => (short)Math.Clamp(s * echoRms / userRms, short.MinValue, short.MaxValue)).ToArray();
            var mic = RoomEcho.Record(room, played, Rate, scaledUser, userStart);
            Console.WriteLine($"room {roomName}: {seconds} s of the agent's voice, echo alone for {EchoOnlySeconds} s, then {user.Length / Rate} s of a user at the echo's level");
            foreach (var (name, create) in cancellers)
            {
                using var canceller = create();
                var residual = new float[mic.Length];
                var times = new List<double>();
                var reference = new float[Frame];
                var frame = new float[Frame];
                for (var at = 0; at + Frame <= mic.Length; at += Frame)
                {
                    for (var i = 0; i < Frame; i++)
                    {
                        reference[i] = played[at + i] / 32768f;
                        frame[i] = mic[at + i] / 32768f;
                    }
                    var t = Stopwatch.GetTimestamp();
                    canceller.Process(reference, frame);
                    times.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
                    frame.CopyTo(residual, at);
                }
                var perSecond = Enumerable.Range(0, EchoOnlySeconds).Select(s => Erle(echo, residual, s * Rate, Rate)).ToList();
                var userEnd = Math.Min(mic.Length, userStart + scaledUser.Length);
                // During double talk: the user's voice against everything else left in the residual.
                double userEnergy = 0, otherEnergy = 0;
                for (var i = userStart; i < userEnd; i++)
                {
                    var u = scaledUser[i - userStart] / 32768.0;
                    userEnergy += u * u;
                    otherEnergy += (residual[i] - u) * (residual[i] - u);
                }
                var after = Erle(echo, residual, userEnd, mic.Length - userEnd);
                times.Sort();
                Console.WriteLine($"  {name,-26} ERLE per second: {string.Join(" ", perSecond.Select(e => e.ToString("F0")))} dB");
                Console.WriteLine($"  {"",-26} first 0.5 s {Erle(echo, residual, 0, Rate / 2):F1} dB, 0.5-1 s {Erle(echo, residual, Rate / 2, Rate / 2):F1} dB; seconds 10-20 {Erle(echo, residual, 10 * Rate, 10 * Rate):F1} dB; " +
                    $"double talk: user/rest {10 * Math.Log10(userEnergy / otherEnergy):F1} dB; after it {after:F1} dB; " +
                    $"per 20 ms frame p50 {times[times.Count / 2]:F0} µs, p99 {times[(int)(times.Count * 0.99)]:F0} µs");
            }
        }
    }

    /// <summary>Echo return loss enhancement over [from, from+count): echo energy in, residual energy out.</summary>
    private static double Erle(short[] echo, float[] residual, int from, int count)
    {
        double input = 0, output = 0;
        for (var i = from; i < Math.Min(from + count, residual.Length); i++)
        {
            var e = echo[i] / 32768.0;
            input += e * e;
            output += residual[i] * (double)residual[i];
        }
        return output <= 1e-12 ? 99 : 10 * Math.Log10(input / output);
    }

    private static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }
}
