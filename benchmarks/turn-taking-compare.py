#!/usr/bin/env python3
"""Turn-taking with and without the new behaviour, on the same scenarios in the virtual room.

Runs `voice-agent simulate` (real time, the real pipeline; the scripted recognizer, a test double,
hears the scenarios' words) on the barge-in scenarios with barge-in.words=false and =true, and on the
slow-speaker scenario with conversation.preemptive-replies=false and =true, and prints one table.
Usage: turn-taking-compare.py VOICE_AGENT_BINARY JSON_OUT MARKDOWN_OUT [RUNS]
"""
import json
import statistics
import subprocess
import sys

binary, json_out, md_out = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3

BARGE_IN = ["scenarios/backchannel.json", "scenarios/echo-transcript.json",
            "scenarios/interrupt-mid-reply.json", "scenarios/tool-interrupted.json"]
SLOW = ["scenarios/slow-speaker.json", "scenarios/thinking-pause.json"]
# A language model's time to first token, played by the offline responder (a test double for the
# model): what a preemptive reply can save is that wait.
MODEL_WAIT = "conversation.offline-first-word-delay=600ms"


def simulate(scenario, *settings):
    overrides = [arg for setting in settings for arg in ("-D", setting)]
    done = subprocess.run([binary, "simulate", scenario, *overrides], capture_output=True, text=True)
    if done.returncode == 2 or not done.stdout.strip():
        return {"error": (done.stderr.strip().splitlines() or ["no report"])[-1]}
    return json.loads(done.stdout)


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def barge_in_row(scenario, setting, reports):
    ok = [r for r in reports if "error" not in r]
    # From the user's onset (the scripted sound's) to silence on the played track, for pauses a user sound caused.
    silence = [p["playbackSilentMs"] - p["onsetMs"] for r in ok for p in r["pauses"]
               if p.get("playbackSilentMs") is not None and p.get("onsetMs") is not None]
    force = [r["turnTaking"]["forceSentMs"] - i["onsetMs"] for r in ok for i in r["interruptions"][:1]
             if r["turnTaking"].get("forceSentMs") is not None and i.get("onsetMs") is not None]
    return {
        "scenario": scenario, "setting": setting, "runs": len(reports), "reports": len(ok),
        "errors": sorted({r["error"] for r in reports if "error" in r}),
        "passed": sum(1 for r in ok if r["passed"]),
        "falseBargeIns": sum(r["falseInterruptions"] for r in ok),
        "interruptions": sum(len(r["interruptions"]) for r in ok),
        "pauses": sum(len(r["pauses"]) for r in ok),
        "outcomes": sorted({r["replyOutcome"] for r in ok}),
        "backchannels": sum(len(r["turnTaking"]["backchannels"]) for r in ok),
        "echoTranscriptsDropped": sum(len(r["turnTaking"]["echoTranscriptsDropped"]) for r in ok),
        "timeToSilenceMs": median(silence),
        "onsetToForceMs": median(force),
    }


def slow_row(scenario, setting, reports):
    ok = [r for r in reports if "error" not in r]
    return {
        "scenario": scenario, "setting": setting, "runs": len(reports), "reports": len(ok),
        "errors": sorted({r["error"] for r in reports if "error" in r}),
        "passed": sum(1 for r in ok if r["passed"]),
        "userTurns": sum(r["turnTaking"]["userTurnsStarted"] for r in ok),
        "voiceToVoiceMs": median([t.get("voiceToVoiceMs") for r in ok for t in r["turns"]]),
        "preemptiveUsed": sum(1 for r in ok for p in r["turnTaking"]["preemptiveReplies"] if p["outcome"] == "used"),
    }


rows = []
for scenario in BARGE_IN:
    for value in ("false", "true"):
        setting = f"barge-in.words={value}"
        rows.append(barge_in_row(scenario, setting, [simulate(scenario, setting) for _ in range(runs)]))
for scenario in SLOW:
    for value in ("false", "true"):
        setting = f"conversation.preemptive-replies={value}"
        rows.append(slow_row(scenario, setting, [simulate(scenario, setting, MODEL_WAIT) for _ in range(runs)]))

with open(json_out, "w") as f:
    json.dump({"runs": runs, "rows": rows}, f, indent=2)

def cell(value):
    return "–" if value is None else str(value)

lines = [
    "## Turn-taking: words deciding barge-ins, preemptive replies",
    "",
    f"`voice-agent simulate` on each scenario {runs} times per setting (real time, the real pipeline; the scripted recognizer, "
    "a test double, hears the words the scenario gives each sound). Barge-in scenarios with `barge-in.words` off and on: false "
    "barge-ins (with no user sound under way), the user's interruptions (right in interrupt-mid-reply and tool-interrupted, wrong "
    "in backchannel), pauses, backchannels, echo transcripts dropped, how the reply ended, and the medians from the user's onset "
    "to silence on the played track and to the force frame. The slow speaker with `conversation.preemptive-replies` off and on: user turns started "
    "(one per run is right) and the median voice to voice, with the offline responder waiting 600 ms before each answer as a "
    "model waits for its first token. A run whose settings the program refuses shows its one-line reason.",
    "",
    "| scenario | setting | passed | false barge-ins | user interruptions | pauses | backchannels | echo transcripts dropped | reply | onset to silence ms | onset to force ms |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]
for r in rows:
    if "falseBargeIns" in r:
        lines.append(f"| {r['scenario']} | {r['setting']} | {r['passed']}/{r['runs']} | {r['falseBargeIns']} | {r['interruptions']} | {r['pauses']} | "
                     f"{r['backchannels']} | {r['echoTranscriptsDropped']} | {', '.join(r['outcomes'])} | {cell(r['timeToSilenceMs'])} | {cell(r['onsetToForceMs'])} |")
lines += ["", "| scenario | setting | passed | user turns | voice to voice ms (median) | preemptive replies used |", "|---|---|---|---|---|---|"]
for r in rows:
    if "userTurns" in r:
        lines.append(f"| {r['scenario']} | {r['setting']} | {r['passed']}/{r['runs']} | {r['userTurns']} | {cell(r['voiceToVoiceMs'])} | {r['preemptiveUsed']} |")
errors = sorted({e for r in rows for e in r["errors"]})
if errors:
    lines += ["", "Runs that could not start: " + "; ".join(errors)]
lines.append("")
with open(md_out, "w") as f:
    f.write("\n".join(lines))
print("\n".join(lines))
