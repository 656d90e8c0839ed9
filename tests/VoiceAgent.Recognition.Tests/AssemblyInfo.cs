// Speech recognition is CPU-heavy (PocketSphinx decodes 11 s of speech in about 5 s of one core)
// and the voice-loop tests run in real time: one test at a time, so none measures another's load.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
