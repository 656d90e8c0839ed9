using Akka.Actor;
using Akka.Hosting;
using VoiceAgent.Audio.Hosting;
using VoiceAgent.Configuration;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Audio.Tests;

public sealed class AudioSettingsTests
{
    [Fact]
    public void The_documented_defaults_load()
    {
        var settings = AudioSettings.FromConfig(DefaultConfig.Load(null, null, []).Config);
        Assert.Equal(AudioInputKind.Auto, settings.Input);
        Assert.Equal(AudioOutputKind.Auto, settings.Output);
        Assert.Equal(TimeSpan.FromMilliseconds(20), settings.PlaybackPiece);
        Assert.Equal(TimeSpan.FromMilliseconds(60), settings.PlaybackBuffer);
        Assert.Equal(24_000, settings.OutputSampleRate);
    }

    [Fact]
    public void A_bad_value_is_one_line_naming_the_key()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("voice-agent.audio { output = speakers }");
        var e = Assert.Throws<InvalidConfigurationException>(() => AudioSettings.FromConfig(config));
        Assert.Contains("voice-agent.audio.output", e.Message);
        Assert.Contains("pulse", e.Message);
    }

    [Fact]
    public void The_backend_chooses_both_directions_unless_one_is_set_on_its_own()
    {
        var defaults = AudioSettings.FromConfig(DefaultConfig.Load(null, null, []).Config);
        Assert.Equal(AudioBackendKind.Auto, defaults.Backend);
        var platform = OperatingSystem.IsWindows() ? AudioOutputKind.NAudio : AudioOutputKind.Pulse;
        Assert.Equal(platform, defaults.EffectiveOutput);

        var naudio = new AudioSettings { Backend = AudioBackendKind.NAudio };
        Assert.Equal((AudioInputKind.NAudio, AudioOutputKind.NAudio), (naudio.EffectiveInput, naudio.EffectiveOutput));
        var mixed = new AudioSettings { Backend = AudioBackendKind.Pulse, Output = AudioOutputKind.None };
        Assert.Equal((AudioInputKind.Pulse, AudioOutputKind.None), (mixed.EffectiveInput, mixed.EffectiveOutput));
        // Files: without an input file there is no microphone, and that is not an error.
        var wav = AudioSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("voice-agent.audio { backend = wav }"));
        Assert.Equal((AudioInputKind.None, AudioOutputKind.Wav), (wav.EffectiveInput, wav.EffectiveOutput));
        var none = new AudioSettings { Backend = AudioBackendKind.None };
        Assert.Equal((AudioInputKind.None, AudioOutputKind.None), (none.EffectiveInput, none.EffectiveOutput));
    }

    [Fact]
    public void A_bad_backend_is_one_line_naming_the_key_and_the_choices()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("voice-agent.audio { backend = alsa }");
        var e = Assert.Throws<InvalidConfigurationException>(() => AudioSettings.FromConfig(config));
        Assert.Equal("voice-agent.audio.backend = alsa is not valid: use one of auto | pulse | naudio | wav | none.", e.Message);
    }

    [Fact]
    public void Wav_input_without_a_file_is_refused()
    {
        var config = Akka.Configuration.ConfigurationFactory.ParseString("voice-agent.audio { input = wav }");
        var e = Assert.Throws<InvalidConfigurationException>(() => AudioSettings.FromConfig(config));
        Assert.Contains("input-file", e.Message);
    }
}

public sealed class AudioHostingTests : Akka.Hosting.TestKit.TestKit
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var devices = new ConfiguredAudioDevices(new AudioSettings { Input = AudioInputKind.None, Output = AudioOutputKind.None });
        builder.WithPlayback(devices).WithMicrophone(devices);
    }

    [Fact]
    public async Task The_audio_roles_register_playback_and_leave_out_the_microphone_without_input()
    {
        var playback = await ActorRegistry.GetAsync<PlaybackActorKey>();
        Assert.False(ActorRegistry.TryGet<MicrophoneActorKey>(out _));
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events, typeof(PlaybackFinished));
        playback.Tell(new AudioChunk(new TurnId(1), ReadOnlyMemory<short>.Empty, 24_000, "Text only."));
        playback.Tell(new SpeechCompleted(new TurnId(1)));
        Assert.Equal("Text only.", (await events.ExpectMsgAsync<PlaybackFinished>(TimeSpan.FromSeconds(10))).HeardText);
    }
}
