// The synthesis worker process: one espeak-ng engine, driven over standard input and output by
// the TTS server's process pool (VoiceAgent.TtsServer.Synthesis.Processes.SynthesisProcessPool).
return VoiceAgent.TtsServer.Synthesis.Processes.WorkerProcessMain.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
