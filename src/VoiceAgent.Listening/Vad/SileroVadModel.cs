using Microsoft.ML.OnnxRuntime;

namespace VoiceAgent.Listening.Vad;

/// <summary>
/// Silero VAD v5 on ONNX Runtime. Each call feeds 512 new samples at 16 kHz preceded by the last
/// 64 samples of the previous call (the model's context), plus the recurrent state it returned
/// last time. Input and state buffers are allocated once and reused; not thread-safe.
/// </summary>
public sealed class SileroVadModel : ISpeechProbabilityModel
{
    public const int SampleRate = 16_000;
    public const int NewSamples = 512;
    public const int ContextSamples = 64;
    private const int StateSize = 2 * 1 * 128;

    private readonly InferenceSession _session;
    private readonly float[] _input = new float[ContextSamples + NewSamples];
    private readonly float[] _state = new float[StateSize];
    private readonly long[] _rate = [SampleRate];
    private readonly OrtValue _inputValue;
    private readonly OrtValue _stateValue;
    private readonly OrtValue _rateValue;
    private readonly Dictionary<string, OrtValue> _inputs;
    private readonly string[] _outputNames = ["output", "stateN"];
    private readonly RunOptions _runOptions = new();

    public SileroVadModel(string modelPath)
    {
        using var options = new SessionOptions
        {
            // One 32 ms window is a tiny graph: extra threads cost more than they save.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, _input.Length]);
        _stateValue = OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]);
        _rateValue = OrtValue.CreateTensorValueFromMemory(_rate, [1]);
        _inputs = new Dictionary<string, OrtValue>
        {
            ["input"] = _inputValue,
            ["state"] = _stateValue,
            ["sr"] = _rateValue,
        };
    }

    public int WindowSamples => NewSamples;

    public float SpeechProbability(ReadOnlySpan<float> window)
    {
        if (window.Length != NewSamples)
            throw new ArgumentException($"Silero VAD takes {NewSamples} samples per window, got {window.Length}.", nameof(window));

        window.CopyTo(_input.AsSpan(ContextSamples));
        using var outputs = _session.Run(_runOptions, _inputs, _outputNames);
        var probability = outputs[0].GetTensorDataAsSpan<float>()[0];
        outputs[1].GetTensorDataAsSpan<float>().CopyTo(_state);
        // The last 64 new samples are the next call's context.
        _input.AsSpan(_input.Length - ContextSamples).CopyTo(_input);
        return probability;
    }

    public void Reset()
    {
        Array.Clear(_input);
        Array.Clear(_state);
    }

    public void Dispose()
    {
        _inputValue.Dispose();
        _stateValue.Dispose();
        _rateValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
