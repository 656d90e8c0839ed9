using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using VoiceAgent.Listening;
using VoiceAgent.Core.Protocol;

namespace VoiceAgent.Listening.Tests;

public class RecognizerActorTests(ITestOutputHelper output) : PipelineProbesTestKit(output)
{
    private IActorRef Recognizer() =>
        Sys.ActorOf(Props.Create(() => new RecognizerActor(new ListeningSettings(), null, null)));

    [Fact]
    public void Without_a_recognizer_it_announces_text_mode()
    {
        var ready = CreateTestProbe();
        Sys.EventStream.Subscribe(ready.Ref, typeof(RecognizerReady));
        Recognizer();
        var announced = ready.ExpectMsg<RecognizerReady>();
        Assert.False(announced.VoiceInput);
        Assert.Contains("text mode", announced.Description);
    }
}
