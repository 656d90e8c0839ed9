using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace VoiceAgent.Listening.Models;

/// <summary>How far a download is: <paramref name="Received"/> of <paramref name="Total"/> bytes
/// (null when the server does not say), <paramref name="ResumedAt"/> bytes were already there.</summary>
public sealed record DownloadProgress(long Received, long? Total, long ResumedAt);

/// <summary>The outcome of a pull: where the verified model is, and whether anything was fetched.</summary>
public sealed record PullResult(string Path, long Bytes, bool AlreadyInstalled, long ResumedAt);

/// <summary>A download that failed; the message is one line naming what to do.</summary>
public sealed class ModelDownloadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Fetches a model into a <see cref="ModelStore"/>: into <c>FILE.part</c> first, resuming a
/// partial file with an HTTP range request, then checks the SHA-1 and only then renames it into
/// place (atomic on one file system), so a model in the store is always complete and verified.
/// </summary>
public sealed class ModelDownloader(HttpClient http)
{
    /// <summary>A download that receives nothing for this long is cut (and can be resumed).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public static string PartialPath(string target) => target + ".part";

    /// <summary>An HttpClient for downloads: a bounded connect time, no overall timeout (a large
    /// model on a slow line takes long; stalls are caught per read).</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public static string UrlFor(string baseUrl, SpeechModel model) => baseUrl.TrimEnd('/') + "/" + model.FileName;

    public Task<PullResult> PullAsync(SpeechModel model, string baseUrl, ModelStore store, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PullFromAsync(model, UrlFor(baseUrl, model), store, progress, cancellationToken);

    /// <summary>Fetches any catalogued model from <paramref name="url"/> into the store.</summary>
    public async Task<PullResult> PullFromAsync(CatalogModel model, string url, ModelStore store, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = store.PathFor(model);
        if (File.Exists(target))
        {
            if (await VerifyAsync(model, target, cancellationToken) is null) return new PullResult(target, new FileInfo(target).Length, true, 0);
            // Not the published file (damaged, or another model under this name): fetch it again.
            File.Delete(target);
        }
        Directory.CreateDirectory(store.Folder);
        var partial = PartialPath(target);
        var resumedAt = await DownloadAsync(url, model, target, partial, progress, cancellationToken);

        if (await VerifyAsync(model, partial, cancellationToken) is { } problem)
        {
            File.Delete(partial);
            throw new ModelDownloadException($"the downloaded {model.FileName} {problem}: not kept. Try again, or check that {model.MirrorSetting} serves the published files.");
        }
        File.Move(partial, target, overwrite: true);
        return new PullResult(target, new FileInfo(target).Length, false, resumedAt);
    }

    /// <summary>Null when the file is the published one; otherwise what differs.</summary>
    private static async Task<string?> VerifyAsync(CatalogModel model, string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (model.ExactBytes is { } bytes && length != bytes) return $"has {length} bytes, expected {bytes}";
        if (model.Checksum is not { } checksum) return null;
        var actual = await checksum.ComputeAsync(path, cancellationToken);
        return actual == checksum.Hex ? null : $"has {checksum.Algorithm} {actual}, expected {checksum.Hex}";
    }

    /// <summary>Brings <paramref name="partial"/> to the whole file; returns the bytes it already had.</summary>
    private async Task<long> DownloadAsync(string url, CatalogModel model, string target, string partial, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelDownloadException($"could not download {model.FileName} from {url} ({Reason(e)}). {WhatToDo(model, target)}", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
                return have; // the partial file is already whole; the checksum decides
            if (!response.IsSuccessStatusCode)
                throw new ModelDownloadException($"{url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}. {WhatToDo(model, target)}");

            var resuming = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (!resuming) have = 0; // the server sends the whole file: start over
            var total = response.Content.Headers.ContentLength is { } length ? length + have : (long?)null;

            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = new FileStream(partial, resuming ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            var received = have;
            progress?.Report(new DownloadProgress(received, total, have));
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                while (true)
                {
                    stall.CancelAfter(StallTimeout);
                    var read = await source.ReadAsync(buffer, stall.Token);
                    if (read == 0) break;
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    received += read;
                    progress?.Report(new DownloadProgress(received, total, have));
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await file.FlushAsync(CancellationToken.None);
                throw new ModelDownloadException(
                    $"the download of {model.FileName} was cut after {Megabytes(received)} of {(total is { } t ? Megabytes(t) : "?")} ({Reason(e)}); run the same command again to resume.", e);
            }
            file.Flush(flushToDisk: true);
            if (total is { } expected && received < expected)
                throw new ModelDownloadException($"the download of {model.FileName} ended early, at {Megabytes(received)} of {Megabytes(expected)}; run the same command again to resume.");
            return resuming ? have : 0;
        }
    }

    private static string WhatToDo(CatalogModel model, string target) =>
        $"Set {model.MirrorSetting} to a mirror that has it, or download the file by hand and put it at {target}.";

    private static string Reason(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host not found",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused or unreachable",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS failed",
        OperationCanceledException => "no data for too long",
        _ => e.GetBaseException().Message.ReplaceLineEndings(" ").TrimEnd('.'),
    };

    public static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
