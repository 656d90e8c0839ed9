#!/usr/bin/env python3
"""Turns the raw results of ./bench.sh (one folder of per-stage JSON and logs) into
docs/benchmarks.json and docs/benchmarks.md. Usage: bench-report.py RESULTS_DIR OUT.json OUT.md"""
import glob
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

results, json_out, md_out = sys.argv[1:4]


def read_json(name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))
    return ordered[int(index)]


def per_minute(count, seconds):
    return f"{count / (seconds / 60):.2f}" if seconds else "–"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


stages = {}
for path in sorted(glob.glob(os.path.join(results, "*.stage.json"))):
    with open(path) as f:
        stage = json.load(f)
    stages[stage["stage"]] = stage

report = {
    "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": git("rev-parse", "--short", "HEAD"),
    "machine": {"cores": os.cpu_count(), "cpu": cpu_model()},
    "stages": stages,
}

# TTS time to first audio.
tts = read_json("tts.json")
if tts:
    by = {(c["what"], c["concurrency"]): c for c in tts["cases"]}
    rows = []
    for concurrency in sorted({c["concurrency"] for c in tts["cases"]}):
        spawn = by[("espeak-ng", concurrency)]
        row = {"concurrency": concurrency, "espeakNgSpawn": spawn}
        for fmt in ("linear16", "mp3"):
            case = by[(fmt, concurrency)]
            row[fmt] = case
            row[fmt + "VsSpawn"] = round(case["p50Ms"] / spawn["p50Ms"], 2)
        rows.append(row)
    goals = []
    for row in rows:
        if row["concurrency"] in (20, 50):
            for fmt in ("linear16", "mp3"):
                goals.append({"goal": f"{fmt} p50 at {row['concurrency']} sessions at most half of espeak-ng spawned per sentence",
                              "measured": f"{row[fmt]['p50Ms']} ms vs {row['espeakNgSpawn']['p50Ms']} ms ({row[fmt + 'VsSpawn']}x)",
                              "met": row[fmt + "VsSpawn"] <= 0.5})
        if row["concurrency"] == 1:
            goals.append({"goal": "linear16 p50 at 1 session under 5 ms",
                          "measured": f"{row['linear16']['p50Ms']} ms", "met": row["linear16"]["p50Ms"] < 5})
    report["tts"] = {"sentence": tts["sentence"], "synthesisProcesses": tts["synthesisProcesses"], "rows": rows, "goals": goals}

recognition = read_json("recognition.json")
if recognition:
    report["recognition"] = recognition

# Barge-in: every run's report from voice-agent simulate.
runs = []
for path in sorted(glob.glob(os.path.join(results, "barge-in-run.*.json"))):
    try:
        with open(path) as f:
            runs.append(json.load(f))
    except (OSError, ValueError):
        runs.append(None)
if runs:
    interruptions = [i for r in runs if r for i in r["interruptions"] if i["byUser"] and i["onsetMs"] is not None]
    series = {
        "onset → pause ordered": [i["detectionLatencyMs"] for i in interruptions if i["detectionLatencyMs"] is not None],
        "pause → playback silent": [i["silentAfterDetectionMs"] for i in interruptions],
        "onset → force sent": [i["confirmedMs"] - i["onsetMs"] for i in interruptions if i["forceSent"]],
    }
    report["bargeIn"] = {
        "runs": len(runs),
        "completed": sum(1 for r in runs if r),
        "passed": sum(1 for r in runs if r and r["passed"]),
        "interruptions": len(interruptions),
        "falseInterruptions": sum(r["falseInterruptions"] for r in runs if r),
        "timings": {name: {"n": len(v), "p50Ms": round(percentile(v, 50), 1), "p95Ms": round(percentile(v, 95), 1), "maxMs": round(max(v), 1)}
                    for name, v in series.items() if v},
    }

policy = read_json("policy.json")
if policy:
    report["bargeInPolicy"] = policy

echo = read_json("echo.json")
if echo:
    report["echoRooms"] = echo

memory = read_json("memory.json")
if memory:
    report["memory"] = memory

# Voice to voice: one run of voice-agent simulate with the user speaking first.
v2v = None
try:  # a run that could not start leaves an empty file: the stage shows as failed, with no table
    v2v = read_json("voice-to-voice.json")
except ValueError:
    pass
if v2v:
    turns = v2v.get("turns", [])
    answered = [t for t in turns if t.get("voiceToVoiceMs") is not None]

    def summary(values):
        values = [v for v in values if v is not None]
        if not values:
            return None
        return {"n": len(values), "p50Ms": round(percentile(values, 50), 1), "p95Ms": round(percentile(values, 95), 1), "maxMs": round(max(values), 1)}

    lengths = [s["lastSoundMs"] - s["onsetMs"] for s in v2v.get("userSounds", [])]
    report["voiceToVoice"] = {
        "utterances": len(turns),
        "answered": len(answered),
        "passed": v2v.get("passed"),
        "failures": v2v.get("failures", []),
        "meanUtteranceMs": round(sum(lengths) / len(lengths)) if lengths else None,
        "timings": {name: summary([t.get(key) for t in answered]) for name, key in [
            ("user speech end → first audio", "voiceToVoiceMs"),
            ("speech end → end of turn", "endOfTurnPartMs"),
            ("end of turn → transcript", "transcriptPartMs"),
            ("transcript → first token", "firstTokenPartMs"),
            ("first token → first audio", "firstAudioPartMs"),
            ("pipeline's own figure (TurnLatency)", "pipelineVoiceToVoiceMs"),
        ]},
    }

overhead = read_json("overhead.json")
if overhead:
    report["actorOverhead"] = overhead

report["notMeasured"] = [
    "voice to voice in the virtual room with PocketSphinx, the offline responder and the embedded TTS server (the scenario runner listens without a recognizer)",
    "actor pipeline overhead (transcript → first text frame sent; audio frame received → written to the device)",
]

# Measured by this version: voice to voice and the actor overhead.
report["notMeasured"] = [item for item in report["notMeasured"] if not item.startswith(("voice to voice", "actor pipeline overhead"))]

if read_json("turn-taking.json") is not None:
    report["turnTaking"] = read_json("turn-taking.json")
with open(json_out, "w") as f:
    json.dump(report, f, indent=2, ensure_ascii=False)
    f.write("\n")


def stage_note(name):
    s = stages.get(name)
    if not s:
        return "not run"
    return f"{s['status']}, {s['seconds']} s, load average {s['loadBefore']} before, {s['loadAfter']} after"


lines = [
    "# Benchmarks",
    "",
    f"Written by `./bench.sh` on {report['date']} at commit {report['commit']}: {report['machine']['cores']} cores "
    f"({report['machine']['cpu']}). Every figure is compared with something measured in the same run. "
    "The load average (1, 5, 15 minutes) is recorded beside each stage: on a shared machine, figures taken "
    "under load are upper bounds. Raw figures: [benchmarks.json](benchmarks.json).",
    "",
]

if "tts" in report:
    t = report["tts"]
    lines += [
        "## TTS: time to first audio",
        "",
        f"One sentence (\"{t['sentence']}\") sent on an open, handshaken socket of the embedded server "
        f"({t['synthesisProcesses']} synthesis processes, cache off) until its first audio frame arrives, "
        "against spawning `espeak-ng --stdout` per sentence (to its first byte) at the same concurrency. "
        f"Stage: {stage_note('tts')}.",
        "",
        "| sessions | linear16 p50 / p95 ms | mp3 p50 / p95 ms | espeak-ng spawned p50 / p95 ms | linear16 ÷ espeak-ng | mp3 ÷ espeak-ng |",
        "|---|---|---|---|---|---|",
    ]
    for r in t["rows"]:
        lines.append(f"| {r['concurrency']} | {r['linear16']['p50Ms']} / {r['linear16']['p95Ms']} | {r['mp3']['p50Ms']} / {r['mp3']['p95Ms']} | "
                     f"{r['espeakNgSpawn']['p50Ms']} / {r['espeakNgSpawn']['p95Ms']} | {r['linear16VsSpawn']} | {r['mp3VsSpawn']} |")
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    for g in t["goals"]:
        lines.append(f"| {g['goal']} | {g['measured']} | {'yes' if g['met'] else 'no'} |")
    lines.append("")

if "recognition" in report:
    r = report["recognition"]
    p = r["pocketSphinx"]
    lines += [
        "## Speech recognition cost",
        "",
        f"jfk.wav ({r['audioSeconds']} s) as one utterance; time ÷ audio length is the real-time factor (below 1 is faster than "
        f"real time). Stage: {stage_note('recognition')}.",
        "",
        "| engine | threads | time per utterance | real-time factor | note |",
        "|---|---|---|---|---|",
        f"| PocketSphinx (Debian's en-us model) | 1 | {p['realTimeFactorMin'] * r['audioSeconds']:.1f} s | {p['realTimeFactorMin']}–{p['realTimeFactorMax']} | word error rate {p['wordErrorRate'] * 100:.1f} % |",
    ]
    for w in r["whisper"]:
        lines.append(f"| Whisper.net, {w['model']} dimensions | {w['threads']} | {w['minMs'] / 1000:.2f}–{w['maxMs'] / 1000:.2f} s | {w['realTimeFactor']} | "
                     "generated model, random weights: compute cost only, no accuracy |")
    lines.append("")

if "bargeIn" in report:
    b = report["bargeIn"]
    lines += [
        "## Barge-in in the virtual room",
        "",
        f"`voice-agent simulate benchmarks/scenarios/barge-in.json` run {b['runs']} times, four at a time (real time, each on its own room clock; the real Silero VAD, echo "
        "canceller, actors, TTS server and playback): the user talks over a streamed reply. "
        f"{b['completed']} runs completed, {b['passed']} met the scenario's expectations, {b['interruptions']} interruptions, "
        f"{b['falseInterruptions']} false interruptions. Compared with the bars `./test.sh` holds the shipped scenarios to: "
        f"pause within 150 ms of the onset, playback silent within 20 ms of the pause. Stage: {stage_note('barge-in')}.",
        "",
        "| interval | n | p50 ms | p95 ms | max ms | bar |",
        "|---|---|---|---|---|---|",
    ]
    bars = {"onset → pause ordered": "150", "pause → playback silent": "20", "onset → force sent": "min-speech 250 ms + VAD window"}
    for name, v in b["timings"].items():
        lines.append(f"| {name} | {v['n']} | {v['p50Ms']} | {v['p95Ms']} | {v['maxMs']} | {bars[name]} |")
    lines.append("")

if "bargeInPolicy" in report:
    lines += [
        "## Barge-in policy: force against reconnect",
        "",
        "The assistant's TTS client (pre-warmed, linear16) and the embedded server: a turn streams a long reply, the user "
        "barges in once its first audio has arrived, and the next turn asks for a short answer at once. From the barge-in to "
        "the next turn's first audio; `force` sends `{\"force\":true}` before closing the turn's stream, `reconnect` only closes it. "
        f"Stage: {stage_note('policy')}.",
        "",
        "| policy | turns | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for p in report["bargeInPolicy"]["policies"]:
        lines.append(f"| {p['policy']} | {p['n']} | {p['p50Ms']} | {p['p95Ms']} | {p['maxMs']} |")
    lines.append("")

if "echoRooms" in report:
    e = report["echoRooms"]
    lines += [
        "## Echo rooms: self-pauses and false barge-ins",
        "",
        f"`scenarios/{e['scenario']}.json` (a reply of about 30 s, nobody talks) run {e['rounds']} times in each of the 12 rooms of the "
        f"sweep, {e['sideBySide']} rooms side by side, in real time with the real pipeline (Silero VAD, echo canceller in speaker mode, "
        "TTS server, playback). An echo pause is the agent pausing for its own voice: dismissed again within 600 ms, but heard as a "
        "stumble; a false interruption cuts the reply off. Compared with the bars the echo room tests hold every 10 s reply to: at "
        "most one echo pause per reply, no false interruption, the reply completed (the last column counts the replies that met "
        f"them). Stage: {stage_note('echo')}.",
        "",
        "| room | replies | minutes of reply | echo pauses (dismissed) | pauses per minute of reply | false interruptions | outcomes | replies within the bars |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in e["rooms"]:
        outcomes = ", ".join(f"{n} {o or 'not started'}" for o, n in r["outcomes"].items())
        lines.append(f"| {r['room']} | {r['replies']} | {r['replySeconds'] / 60:.1f} | {r['echoPauses']} ({r['dismissed']}) | "
                     f"{per_minute(r['echoPauses'], r['replySeconds'])} | {r['falseInterruptions']} | {outcomes} | {r['repliesWithinBars']}/{r['replies']} |")
    lines += ["", "| echo gain | minutes of reply | echo pauses | pauses per minute of reply | false interruptions |", "|---|---|---|---|---|"]
    for g in e["gains"]:
        lines.append(f"| {g['echoGain']:.1f} | {g['replySeconds'] / 60:.1f} | {g['echoPauses']} | {per_minute(g['echoPauses'], g['replySeconds'])} | {g['falseInterruptions']} |")
    lines.append("")

if "memory" in report:
    m = report["memory"]
    f = m["figures"]
    lines += [
        "## Memory over a long conversation",
        "",
        f"One conversation of {f['conversationMinutes']} minutes and {f['turns']} turns through the virtual-room pipeline in one process "
        "(microphone, Silero VAD and echo canceller in speaker mode, the offline responder, TTS client, the embedded TTS server "
        "synthesizing in-process, playback): the user types a line, the agent answers aloud into a room that hears its echo "
        f"(gain 0.3, 50 ms), the user pauses {f['userPauseSeconds']:g} s, and so on. After every turn a full, compacting garbage collection, then the "
        "managed heap (live objects), the memory the GC holds for it, and the process's working set are read.",
        "",
        f"**Compressed {f['speed']:g}×:** the room's clock (what the microphone captures and the speaker plays, and their "
        f"timestamps) and the offline responder's word delay ({f['offlineWordDelayMs']:.0f} ms instead of 60) ran {f['speed']:g} times "
        f"faster than real time, so the run took {f['wallSeconds']:.0f} s ({f['cpuSeconds']:.0f} s of CPU). Actor timers and the TTS "
        "server's synthesis run on the wall clock: where synthesis fell behind the compressed playback, the reply had a gap of "
        f"silence: of the {f['conversationMinutes']} minutes, {f['replyMinutes']:.1f} were reply played, "
        f"{f['turns'] * f['userPauseSeconds'] / 60:.1f} the user's pauses, and the rest waits for first audio and such gaps. Microphone at worst {f['worstCaptureLagMs']:.0f} ms of room time behind its "
        f"clock; {f['turnsCompleted']}/{f['turns']} turns completed; pauses for echo: {f['pausesForEcho']}, false "
        f"barge-ins: {f['falseBargeIns']}. Stage: {stage_note('memory')}.",
        "",
        "| moment | turns | minutes of conversation | managed heap MB | GC committed MB | working set MB |",
        "|---|---|---|---|---|---|",
    ]
    for x in f["samples"]:
        if x["moment"] != "turn":
            lines.append(f"| {x['moment']} | {x['turns']} | {x['conversationMinutes']} | {x['managedHeapMb']} | {x['gcCommittedMb']} | {x['workingSetMb']} |")
    measured = f["conversationMinutes"] - f["warmUpMinutes"]
    lines += [
        "",
        f"Growth after the first {f['warmUpMinutes']:g} minutes, against the figure after warm-up: the change over the "
        f"remaining {measured:.0f} minutes or so, and the least-squares slope through the samples taken after every turn, per hour of "
        "conversation. A slope taken over minutes cannot tell lasting growth from memory still settling (code compiled by "
        "tiered JIT, native allocators' pools): read it as a rate to check with a longer run, not as a forecast.",
        "",
        "| figure | after warm-up MB | at end MB | change MB | MB per hour of conversation (slope) |",
        "|---|---|---|---|---|",
    ]
    for g in m["growth"]:
        lines.append(f"| {g['what']} | {g['afterWarmUpMb']} | {g['endMb']} | {g['endMb'] - g['afterWarmUpMb']:+.1f} | {g['mbPerHour']:+.1f} |")
    lines.append("")

if "voiceToVoice" in report:
    v = report["voiceToVoice"]
    tts_p50 = next((f"{r['linear16']['p50Ms']} ms" for r in report.get("tts", {}).get("rows", []) if r["concurrency"] == 1), "the TTS stage (not run)")
    rtf = report.get("recognition", {}).get("pocketSphinx", {})
    sphinx = (f"PocketSphinx on {v['meanUtteranceMs']} ms of speech at the recognition stage's real-time factor "
              f"{rtf['realTimeFactorMin']}–{rtf['realTimeFactorMax']}: {v['meanUtteranceMs'] * rtf['realTimeFactorMin']:.0f}–{v['meanUtteranceMs'] * rtf['realTimeFactorMax']:.0f} ms"
              if rtf and v["meanUtteranceMs"] else f"PocketSphinx on {v['meanUtteranceMs']} ms of speech (recognition stage not run)")
    compared = {
        "user speech end → first audio": "the pipeline's own figure (last row)",
        "speech end → end of turn": "listening.min-silence 500 ms, the silence the VAD waits for",
        "end of turn → transcript": sphinx,
        "transcript → first token": "the offline responder's 60 ms before its first word",
        "first token → first audio": f"TTS first audio for a whole sentence, linear16, 1 session: {tts_p50}; here the responder streams a word per 60 ms and the server speaks from the first sentence's end",
        "pipeline's own figure (TurnLatency)": "from the recognizer's estimate of the speech end to the first audio written",
    }
    lines += [
        "## Voice to voice in the virtual room",
        "",
        "`voice-agent simulate benchmarks/scenarios/voice-to-voice.json` (real time; the real Silero VAD, echo canceller, "
        "actors, PocketSphinx, offline responder, embedded TTS server and playback): the user speaks first, "
        f"{v['utterances']} utterances (phrases of jfk.wav, {v['meanUtteranceMs']} ms of speech on average), each recognized and answered; "
        "every answer is stopped 1 s into its audio and the next utterance follows. Moments on the room's timeline: the end of the "
        "user's sound (from the scripted audio), the end of turn decided, the transcript, the answer's first token, its first audio on the "
        f"played track. {v['answered']} of {v['utterances']} utterances answered (with so few, p95 is about the slowest). "
        f"Stage: {stage_note('voice-to-voice')}.",
        "",
        "| interval | n | p50 ms | p95 ms | max ms | compared with |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in v["timings"].items():
        if t:
            lines.append(f"| {name} | {t['n']} | {t['p50Ms']} | {t['p95Ms']} | {t['maxMs']} | {compared[name]} |")
    lines.append("")

if "actorOverhead" in report:
    o = report["actorOverhead"]
    lines += [
        "## Actor pipeline overhead",
        "",
        "What the actors add to a turn: the real ConversationActor (offline responder, no word delay), TtsActor (the assistant's "
        "TTS client, pre-warmed socket) and PlaybackActor, against the same engines called directly in one method (bare engines), "
        f"turn by turn in alternation, {o['turns']} turns each, each way on its own loopback timing server (it stamps the first text frame it "
        "receives, and sends one 20 ms audio frame 20 ms after the text has ended) and its own recording output (stamps every write). "
        "The difference of the two is what the actors add; it can come out below zero when it is smaller than the noise. "
        f"Stage: {stage_note('overhead')}.",
        "",
        "| interval | actors p50 / p95 µs | bare engines p50 / p95 µs | actors add (p50) µs |",
        "|---|---|---|---|",
    ]
    for p in o["paths"]:
        lines.append(f"| {p['path']} | {p['actors']['p50Us']:.0f} / {p['actors']['p95Us']:.0f} | "
                     f"{p['bareEngines']['p50Us']:.0f} / {p['bareEngines']['p95Us']:.0f} | {p['addedP50Us']:.0f} |")
    lines.append("")

turn_taking = os.path.join(results, "turn-taking.md")
if os.path.exists(turn_taking):
    with open(turn_taking) as f:
        lines += f.read().splitlines()
    lines.append(f"Stage: {stage_note('turn-taking')}.")
    lines.append("")

if report["notMeasured"]:
    lines += ["## Not measured by this version of bench.sh", ""]
    lines += [f"- {item}" for item in report["notMeasured"]]
    lines.append("")

with open(md_out, "w") as f:
    f.write("\n".join(lines))
