#!/usr/bin/env bash
# Measures what users feel, each figure beside what it is compared with in the same run, and
# writes docs/benchmarks.md (tables) and docs/benchmarks.json. One progress line per stage.
#   ./bench.sh                 everything (about 10 minutes on 2 cores with the build; echo about 2 of them, memory 2)
#   BENCH_STAGES="tts recognition" ./bench.sh   only some stages (tts recognition barge-in policy echo
#                                               memory voice-to-voice turn-taking overhead)
# Numbers taken while other work runs on the machine are noisy: the load average before and after
# each stage is recorded beside it.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/system-packages.sh
bash scripts/fetch-vad-model.sh

stages="${BENCH_STAGES:-tts recognition barge-in policy echo memory voice-to-voice turn-taking overhead}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
started=$(date +%s)
step() { printf '[bench %3ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# stage NAME COMMAND...: runs it, records its time and the load average around it.
stage() {
  local name=$1; shift
  local before; before=$(load)
  local t0; t0=$(date +%s)
  if "$@" > "$out/$name.log" 2>&1; then status=ok; else status=failed; fi
  printf '{"stage":"%s","status":"%s","seconds":%d,"loadBefore":"%s","loadAfter":"%s"}\n' \
    "$name" "$status" "$(( $(date +%s) - t0 ))" "$before" "$(load)" > "$out/$name.stage.json"
  if [ "$status" = failed ]; then step "$name FAILED (last lines of its output follow)"; tail -5 "$out/$name.log"; fi
}
wants() { [[ " $stages " == *" $1 "* ]]; }

step "building (Release): the program and the benchmarks"
dotnet build src/VoiceAgent -c Release -v quiet -nologo > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
dotnet build benchmarks/VoiceAgent.TtsServer.Benchmarks -c Release -v quiet -nologo >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
dotnet build benchmarks/VoiceAgent.Recognition.Benchmarks -c Release -v quiet -nologo >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
run() { dotnet run -c Release --no-build --project "benchmarks/$1" -- "${@:2}"; }

if wants tts; then
  step "TTS time to first audio: embedded server (mp3, linear16) vs espeak-ng per sentence, 1/10/20/50 sessions"
  stage tts run VoiceAgent.TtsServer.Benchmarks 6 --json "$out/tts.json"
fi

if wants recognition; then
  step "speech recognition cost: PocketSphinx on jfk.wav, Whisper tiny.en/base.en dimensions on 1 and 2 threads"
  stage recognition run VoiceAgent.Recognition.Benchmarks --json "$out/recognition.json"
fi

if wants barge-in; then
  runs=${BENCH_BARGE_IN_RUNS:-20}
  step "barge-in: $runs scripted interruptions in the virtual room (voice-agent simulate, real time)"
  # Four at a time: each run has its own room clock, and every figure is read from its own
  # timeline (detection on the capture clock, silence on the played track).
  barge_in() {
    for i in $(seq 1 "$runs"); do
      { src/VoiceAgent/bin/Release/net10.0/voice-agent simulate benchmarks/scenarios/barge-in.json > "$out/barge-in-run.$i.json" 2> "$out/barge-in.$i.stderr" || true; } &
      if (( i % 4 == 0 )); then wait; fi
    done
    wait
  }
  stage barge-in barge_in
fi

if wants policy; then
  step "barge-in policy force vs reconnect: barge-in -> next turn's first audio (TTS client + embedded server)"
  stage policy run VoiceAgent.TtsServer.Benchmarks policy --json "$out/policy.json"
fi

if wants echo; then
  rounds=${BENCH_ECHO_ROUNDS:-3}
  step "echo rooms: a 30 s reply $rounds times in each of 12 rooms (gains 0.3/0.6/1.0, 30/120 ms, reverberation), all 12 side by side, real time"
  dotnet build benchmarks/VoiceAgent.Listening.Benchmarks -c Release -v quiet -nologo >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
  stage echo run VoiceAgent.Listening.Benchmarks --echo-sweep --rounds "$rounds" --json "$out/echo.json"
fi

if wants memory; then
  minutes=${BENCH_MEMORY_MINUTES:-10}
  step "memory over $minutes minutes of conversation (the virtual-room pipeline on a clock 5x faster than real time)"
  dotnet build benchmarks/VoiceAgent.Memory.Benchmarks -c Release -v quiet -nologo >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
  stage memory run VoiceAgent.Memory.Benchmarks --minutes "$minutes" --speed 5 --json "$out/memory.json"
fi

if wants voice-to-voice; then
  step "voice to voice: 12 utterances recognized by PocketSphinx and answered in the virtual room (voice-agent simulate, real time)"
  voice_to_voice() {
    src/VoiceAgent/bin/Release/net10.0/voice-agent simulate benchmarks/scenarios/voice-to-voice.json > "$out/voice-to-voice.json"
  }
  stage voice-to-voice voice_to_voice
fi

if wants turn-taking; then
  runs=${BENCH_TURN_TAKING_RUNS:-3}
  step "turn-taking: barge-in scenarios with barge-in.words off/on, the slow speaker with preemptive replies off/on ($runs runs each, real time)"
  stage turn-taking python3 benchmarks/turn-taking-compare.py src/VoiceAgent/bin/Release/net10.0/voice-agent "$out/turn-taking.json" "$out/turn-taking.md" "$runs"
fi

if wants overhead; then
  step "actor pipeline overhead: the real actors against the bare engines (loopback timing server, recording output)"
  dotnet build benchmarks/VoiceAgent.Pipeline.Benchmarks -c Release -v quiet -nologo >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
  stage overhead run VoiceAgent.Pipeline.Benchmarks --json "$out/overhead.json"
fi

step "writing docs/benchmarks.md and docs/benchmarks.json"
python3 benchmarks/bench-report.py "$out" docs/benchmarks.json docs/benchmarks.md
step "done in $(( $(date +%s) - started )) s: docs/benchmarks.md"
