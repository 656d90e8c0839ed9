using VoiceAgent.Listening.Recognition.Whisper;

namespace VoiceAgent.Listening.Models;

/// <summary>
/// <c>voice-agent models list | pull | remove</c> without the command-line library: each returns
/// its exit code (0 done, 1 it could not be done, 2 bad input) and writes one clear line on failure.
/// </summary>
public sealed class ModelsCli(ListeningSettings settings, TextWriter output, TextWriter error, bool interactive)
{
    /// <summary>The client for downloads; null makes one (<see cref="ModelDownloader.CreateHttpClient"/>).</summary>
    public HttpClient? Http { get; init; }

    public int List(string? folder)
    {
        var store = ModelStore.For(settings.Models, folder);
        var configured = ConfiguredName();
        var installed = store.Installed().ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        output.WriteLine($"Whisper models in {store.Folder}");
        output.WriteLine($"  {"",1} {"name",-14} {"size",9}  {"sha-1",-40}  installed");
        foreach (var model in SpeechModelCatalog.Whisper)
        {
            var mark = string.Equals(model.Name, configured, StringComparison.OrdinalIgnoreCase) ? "*" : " ";
            var where = installed.TryGetValue(model.Name, out var file) ? $"yes  {file.Path}" : "no";
            output.WriteLine($"  {mark} {model.Name,-14} {model.SizeMiB,5} MiB  {model.Sha1}  {where}");
        }
        foreach (var other in installed.Values.Where(m => SpeechModelCatalog.Find(m.Name) is null))
            output.WriteLine($"  {(string.Equals(other.Name, configured, StringComparison.OrdinalIgnoreCase) ? "*" : " ")} {other.Name,-14} {other.Bytes / 1048576.0,5:0} MiB  {"(not in the catalogue)",-40}  yes  {other.Path}");
        output.WriteLine();
        output.WriteLine("* is voice-agent.listening.whisper.model. Get one with: voice-agent models pull NAME");
        output.WriteLine($"Downloads come from {settings.Models.WhisperUrl} (voice-agent.models.whisper-url).");
        return 0;
    }

    /// <param name="name">A catalogue name; null pulls the configured model.</param>
    /// <param name="ifMissing">Do nothing when a file of that name is there (run.sh, every start).</param>
    public async Task<int> PullAsync(string? name, string? folder, bool ifMissing, CancellationToken cancellationToken)
    {
        name ??= ConfiguredName();
        if (name is null)
        {
            await error.WriteLineAsync($"voice-agent models pull: voice-agent.listening.whisper.model is a file path ({settings.Whisper.Model}); name a model to pull: {SpeechModelCatalog.Names}.");
            return 2;
        }
        var model = SpeechModelCatalog.Find(name);
        if (model is null)
        {
            await error.WriteLineAsync($"voice-agent models pull: unknown model '{name}'; one of: {SpeechModelCatalog.Names}.");
            return 2;
        }
        var store = ModelStore.For(settings.Models, folder);
        if (ifMissing && store.IsInstalled(model.Name)) return 0;

        var url = ModelDownloader.UrlFor(settings.Models.WhisperUrl, model);
        // Said once the server answers: an unreachable one gives just the one line of the failure.
        var view = new DownloadProgressView(error, interactive, model.Name, $"Downloading Whisper model {model.Name} from {url}");
        var http = Http ?? ModelDownloader.CreateHttpClient();
        try
        {
            var result = await new ModelDownloader(http).PullAsync(model, settings.Models.WhisperUrl, store, view, cancellationToken);
            view.Finish();
            await output.WriteLineAsync(result.AlreadyInstalled
                ? $"Whisper model {model.Name} is already installed and verified: {result.Path}"
                : $"Whisper model {model.Name} ready: {result.Path} ({ModelDownloader.Megabytes(result.Bytes)}, SHA-1 verified{(result.ResumedAt > 0 ? $", resumed at {ModelDownloader.Megabytes(result.ResumedAt)}" : "")})");
            return 0;
        }
        catch (ModelDownloadException e)
        {
            view.Finish();
            await error.WriteLineAsync($"voice-agent models pull: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            view.Finish();
            await error.WriteLineAsync($"voice-agent models pull: stopped; what arrived is kept, run the same command again to resume.");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Network failures arrive as ModelDownloadException: what is left is the folder.
            view.Finish();
            await error.WriteLineAsync($"voice-agent models pull: {FolderProblem(store, e)}");
            return 1;
        }
        finally
        {
            if (Http is null) http.Dispose();
        }
    }

    public int Remove(string name, string? folder)
    {
        var store = ModelStore.For(settings.Models, folder);
        var path = store.PathFor(name.Trim());
        bool removed;
        try
        {
            removed = store.Remove(name.Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"voice-agent models remove: {FolderProblem(store, e)}");
            return 1;
        }
        if (!removed)
        {
            error.WriteLine($"voice-agent models remove: {name} is not installed in {store.Folder} (voice-agent models list shows what is).");
            return 1;
        }
        output.WriteLine($"Removed Whisper model {name.Trim()} ({path}).");
        return 0;
    }

    private static string FolderProblem(ModelStore store, Exception e) =>
        $"cannot write in the models folder {store.Folder} ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')}); choose another with --dir DIR or voice-agent.models.folder.";

    /// <summary>The configured Whisper model when it is a name, not a path.</summary>
    private string? ConfiguredName()
    {
        var location = WhisperModelLocation.Resolve(settings.Whisper.Model, ModelStore.For(settings.Models));
        return location.IsNamed ? location.Name : null;
    }
}

/// <summary>Shows a download's progress: a bar redrawn in place on a terminal, a line every 10%
/// when the output goes to a file or a program.</summary>
internal sealed class DownloadProgressView(TextWriter writer, bool interactive, string name, string header) : IProgress<DownloadProgress>
{
    private const int BarWidth = 30;
    private readonly object _gate = new();
    private int _lastStep = -1;
    private long _lastDraw;
    private bool _drawn;
    private bool _resumeShown;
    private bool _started;

    public void Report(DownloadProgress value)
    {
        lock (_gate)
        {
            if (!_started)
            {
                writer.WriteLine(header);
                _started = true;
            }
            var fraction = value.Total is > 0 ? (double)value.Received / value.Total.Value : 0;
            var amount = value.Total is { } total
                ? $"{ModelDownloader.Megabytes(value.Received)} of {ModelDownloader.Megabytes(total)}"
                : ModelDownloader.Megabytes(value.Received);
            if (interactive)
            {
                // Redraw at most ten times a second.
                var now = Environment.TickCount64;
                if (_drawn && now - _lastDraw < 100 && value.Received != value.Total) return;
                _lastDraw = now;
                var filled = (int)(fraction * BarWidth);
                writer.Write($"\r  {name} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:0}%  {amount}   ");
                _drawn = true;
                return;
            }
            if (value.ResumedAt > 0 && !_resumeShown)
            {
                writer.WriteLine($"  {name}: resuming at {ModelDownloader.Megabytes(value.ResumedAt)}");
                _resumeShown = true;
            }
            var step = value.Total is > 0 ? (int)(fraction * 10) : (int)(value.Received / (10 * 1048576));
            if (step == _lastStep) return;
            _lastStep = step;
            writer.WriteLine(value.Total is > 0 ? $"  {name}: {fraction * 100:0}% ({amount})" : $"  {name}: {amount}");
        }
    }

    /// <summary>Ends the redrawn line, so what follows starts clean.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (interactive && _drawn) writer.WriteLine();
            _drawn = false;
        }
    }
}
