using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using VoiceAgent.ConsoleUi;
using VoiceAgent.Configuration;
using VoiceAgent.Composition;
using Spectre.Console;
using VoiceAgent.Speech;
using VoiceAgent.TtsServer;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Hosting;

/// <summary>
/// Builds the assistant: the .NET Generic Host running one actor system (Akka.Hosting) with the
/// pipeline's actors, the configured extensions, the console view and text input.
/// </summary>
public static class VoiceAgentHost
{
    public static IHost Build(LayeredConfig config, ConsoleIo io, bool handleCtrlC = true)
    {
        var root = config.Config;
        var extensions = ExtensionLoader.Resolve(root);
        var showLatency = root.GetBoolean("voice-agent.console.show-latency", true);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "voice-agent",
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (handleCtrlC)
        {
            builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }

        builder.Services.AddSingleton(io);
        // Before the actor system, so the embedded TTS server is listening when the first turn opens a socket.
        var speech = TtsSettings.FromConfig(root);
        var serverOptions = TtsServerConfig.FromConfig(root);
        // The server logs through the host's logging (warnings and errors reach the console).
        builder.Services.AddSingleton(services => new EmbeddedTtsServer(serverOptions, speech.EffectiveEndpoint == TtsEndpointKind.Embedded, io,
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedTtsServer>());
        builder.Services.AddVoiceAgent(root, voice => voice
            .ConfigureActorSystem(akka => akka.AddHocon(root, HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                }))
            // The view starts first so it shows the other actors' start-up notices.
            .Observe(system =>
            {
                var view = system.ActorOf(Props.Create(() => new ConsoleViewActor(new ConversationRenderer(io.Output, io.EchoTypedLines, showLatency, io.Status))), "console-view");
                GracefulLifetime.StopGracefullyOnShutdown(system, [view], "stop-console-view");
                return view;
            })
            .ReportProgress(line => io.Output.MarkupLine($"[grey]● {Markup.Escape(line)}[/]"))
            .UseEmbeddedTtsServer(services => services.GetRequiredService<EmbeddedTtsServer>().Url)
            .AddActors(akka => akka.WithExtensions(extensions)));
        // After the actor system (hosted services start in order): typing starts once every actor is up.
        builder.Services.AddHostedService<ConsoleInputService>();
        return builder.Build();
    }
}
