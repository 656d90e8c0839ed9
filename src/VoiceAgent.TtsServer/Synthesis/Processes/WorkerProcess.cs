using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VoiceAgent.TtsServer.Synthesis.Processes;

/// <summary>
/// One running synthesis worker process and the pipes to it. Started by
/// <see cref="SynthesisProcessPool"/>; <see cref="ConnectAsync"/> waits for its hello (sample rate
/// and voices). Requests are written under a lock (a cancel can come from any thread); replies are
/// read by the one pool thread that serves this worker.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BinaryWriter _input;
    private readonly object _writeLock = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _input = new BinaryWriter(process.StandardInput.BaseStream, WorkerWire.Text);
        Output = new BinaryReader(process.StandardOutput.BaseStream, WorkerWire.Text);
    }

    public BinaryReader Output { get; }

    public int Id => _process.Id;

    public int SampleRate { get; private set; }

    public IReadOnlyList<EspeakVoice> Voices { get; private set; } = [];

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, or a note that it still runs.</summary>
    public string ExitDescription => _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";

    /// <summary>Starts the process and waits (bounded) for its hello. Throws
    /// <see cref="SpeechEngineUnavailableException"/> when espeak-ng cannot run in it.</summary>
    public static async Task<WorkerProcess> ConnectAsync(WorkerExecutable executable, TimeSpan patience, CancellationToken cancellation)
    {
        var process = Process.Start(executable.StartInfo())
            ?? throw new InvalidOperationException($"could not start the synthesis worker {executable.Path}");
        // Nothing is expected on stderr; read it so a chatty runtime can never block the worker.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var worker = new WorkerProcess(process);
        try
        {
            var hello = Task.Run(worker.ReadHello, CancellationToken.None);
            await hello.WaitAsync(patience, cancellation);
            return worker;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    private void ReadHello()
    {
        byte kind;
        try
        {
            kind = Output.ReadByte();
        }
        catch (EndOfStreamException)
        {
            _process.WaitForExit(1000);
            throw new InvalidOperationException($"the synthesis worker ended before it was ready ({ExitDescription})");
        }
        if (kind == WorkerWire.Unavailable) throw new SpeechEngineUnavailableException(Output.ReadString());
        if (kind != WorkerWire.Hello) throw new InvalidDataException($"synthesis worker said {kind} instead of hello");
        SampleRate = Output.ReadInt32();
        Voices = WorkerWire.ReadVoices(Output);
    }

    public void Speak(int job, SynthesisRequest request)
    {
        lock (_writeLock)
        {
            _input.Write(WorkerWire.Speak);
            _input.Write(job);
            _input.Write(request.VoiceIdentifier);
            _input.Write(request.Speed);
            _input.Write(request.SentenceGoesOn);
            _input.Write(request.Text);
            _input.Flush();
        }
    }

    /// <summary>Asks the worker to stop a job; harmless when the job is over or the worker gone.</summary>
    public void Cancel(int job)
    {
        try
        {
            lock (_writeLock)
            {
                _input.Write(WorkerWire.Cancel);
                _input.Write(job);
                _input.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Gone already: its reader sees the end of its output.
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited already.
        }
    }

    /// <summary>Closes its input (the worker ends by itself), then kills it if it has not
    /// ended within <paramref name="grace"/>.</summary>
    public void Stop(TimeSpan grace)
    {
        try
        {
            lock (_writeLock) _input.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        if (!_process.WaitForExit(grace)) Kill();
        _process.WaitForExit(1000);
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromMilliseconds(500));
        _process.Dispose();
    }
}

/// <summary>Where the worker program is and how to start it: VoiceAgent.TtsServer.Worker.dll
/// beside this program, run by the same .NET runtime (no reliance on PATH or an apphost).</summary>
internal sealed record WorkerExecutable(string Path, string Runner)
{
    public const string AssemblyFile = "VoiceAgent.TtsServer.Worker.dll";

    /// <summary>The worker beside the running program, or null when it is not there (a host that
    /// embeds the server without referencing the worker project).</summary>
    public static WorkerExecutable? Find()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(path) || !File.Exists(System.IO.Path.ChangeExtension(path, ".runtimeconfig.json"))) return null;
        var muxer = DotnetMuxer();
        return muxer is null ? null : new WorkerExecutable(path, muxer);
    }

    /// <summary>The dotnet executable of the runtime this process runs on: the runtime folder is
    /// DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/.</summary>
    private static string? DotnetMuxer()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var root = Directory.GetParent(runtime)?.Parent?.Parent?.FullName;
        if (root is null) return null;
        var muxer = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(muxer) ? muxer : null;
    }

    public ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(Runner)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path);
        return start;
    }
}
