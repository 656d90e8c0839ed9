using Microsoft.Extensions.DependencyInjection;
using VoiceAgent.Configuration;
using VoiceAgent.Core.Diagnostics;
using VoiceAgent.Doctor;

namespace VoiceAgent.Tests.Doctor;

public class DoctorRunnerTests
{
    /// <summary>A row that answers as told.</summary>
    private sealed class StubCheck(string name, Func<CancellationToken, Task<DoctorRow>> run, bool remote = true) : IDoctorCheck
    {
        public string Name => name;

        public bool Remote => remote;

        public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => run(cancellationToken);
    }

    /// <summary>A check as another module would add it: one class, one registration.</summary>
    private sealed class ExtraCheck : IDoctorCheck
    {
        public string Name => "extra";

        public Task<DoctorRow> RunAsync(CancellationToken cancellationToken) => Task.FromResult(DoctorRow.Ok(Name, "added by a module"));
    }

    private static DoctorRunner Runner(TimeSpan timeout, params IDoctorCheck[] checks) => new(checks, new DoctorOptions(timeout));

    [Fact]
    public async Task A_check_that_never_answers_is_abandoned_at_the_limit_and_the_others_still_report()
    {
        var never = new TaskCompletionSource<DoctorRow>();
        var report = await Runner(TimeSpan.FromMilliseconds(500),
            new StubCheck("first", _ => Task.FromResult(DoctorRow.Ok("first", "fine"))),
            // Ignores its token, as a blocked native call would.
            new StubCheck("hangs", _ => never.Task),
            new StubCheck("last", _ => Task.FromResult(DoctorRow.Ok("last", "fine")))).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["first", "hangs", "last"], report.Rows.Select(r => r.Check));
        Assert.Equal(DoctorStatus.Failing, report.Rows[1].Status);
        Assert.Equal("no answer within 0.5 s", report.Rows[1].Detail);
        Assert.Contains("--timeout", report.Rows[1].Fix);
        Assert.All([report.Rows[0], report.Rows[2]], r => Assert.Equal(DoctorStatus.Ok, r.Status));
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Local_work_gets_the_longer_limit_so_a_busy_machine_is_not_reported_as_broken()
    {
        var slowLocal = new StubCheck("slow local", async ct =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            return DoctorRow.Ok("slow local", "loaded");
        }, remote: false);
        var options = new DoctorOptions(TimeSpan.FromMilliseconds(200), LocalTimeout: TimeSpan.FromSeconds(30));

        var report = await new DoctorRunner([slowLocal], options).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(DoctorStatus.Ok, report.Rows[0].Status);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LimitFor(slowLocal));
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.LimitFor(new StubCheck("endpoint", _ => Task.FromResult(DoctorRow.Ok("endpoint", "")))));
    }

    [Fact]
    public async Task A_check_that_throws_is_a_failing_row_with_one_line()
    {
        var report = await Runner(TimeSpan.FromSeconds(5),
            new StubCheck("broken", _ => throw new InvalidOperationException("first line\nsecond line"))).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(DoctorStatus.Failing, report.Rows[0].Status);
        Assert.Equal("the check failed: first line second line", report.Rows[0].Detail);
    }

    [Fact]
    public async Task Only_problems_with_what_the_configuration_needs_stop_it()
    {
        var optional = await Runner(TimeSpan.FromSeconds(5),
            new StubCheck("a", _ => Task.FromResult(DoctorRow.Missing("a", "not installed", "apt-get install a", needed: false))),
            new StubCheck("b", _ => Task.FromResult(DoctorRow.NotUsed("b", "off")))).RunAsync(TestContext.Current.CancellationToken);
        Assert.True(optional.CanRun);
        Assert.Equal(0, optional.ExitCode);

        var needed = await Runner(TimeSpan.FromSeconds(5),
            new StubCheck("a", _ => Task.FromResult(DoctorRow.Missing("a", "not installed", "apt-get install a")))).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, needed.ExitCode);
    }

    [Fact]
    public void Every_row_is_built_from_the_container_in_order_and_a_module_adds_one_with_one_line()
    {
        var services = new ServiceCollection()
            .AddDoctor(DefaultConfig.Load().Config, DoctorOptions.DefaultTimeout)
            .AddDoctorCheck<ExtraCheck>();
        using var provider = services.BuildServiceProvider();

        var names = provider.GetServices<IDoctorCheck>().Select(c => c.Name).ToList();

        Assert.Equal(
            ["audio server", "microphone", "speaker", "espeak-ng", "LAME (MP3 encoder)", "MP3 decoder", "VAD model",
             "recognizer (OpenAI API)", "language model", "TTS endpoint", "extra"],
            names);
        Assert.NotNull(provider.GetRequiredService<DoctorRunner>());
    }

    [Fact]
    public void Secrets_are_shown_as_set_never_in_full()
    {
        Assert.Equal("not set", DoctorText.MaskSecret(""));
        Assert.Equal("set", DoctorText.MaskSecret("short-key"));
        Assert.Equal("set (…WXYZ)", DoctorText.MaskSecret("sk-test-0123456789abcdefWXYZ"));
    }
}
