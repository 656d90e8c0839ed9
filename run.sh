#!/usr/bin/env bash
# Runs the assistant. First run: installs the system packages it needs, fetches the VAD model,
# builds, and downloads the default Whisper speech model and the default local language model.
# Arguments go to voice-agent (try ./run.sh --help).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/system-packages.sh
bash scripts/fetch-vad-model.sh
# Quiet unless the build fails.
if ! build_log=$(dotnet build src/VoiceAgent -c Release -nologo 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
app=src/VoiceAgent/bin/Release/net10.0/voice-agent.dll
all_args=("$@")
# The default speech model, once (with progress). If it cannot be had, the command says why in
# one line and the assistant listens with PocketSphinx, or in text mode.
dotnet "$app" models pull --if-missing || true
# The default local language model, once, unless one is installed, an endpoint is configured or
# voice-agent.conversation.local.offer-download = false. Offline: one line, and the offline
# responder answers (labelled on screen). The settings options among the arguments decide (a
# profile with an endpoint needs no local model).
settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile|-p|--config|-c|-D) [ $# -ge 2 ] && settings+=("$1" "$2"); shift 2 || break ;;
    --profile=*|--config=*|-D?*) settings+=("$1"); shift ;;
    *) shift ;;
  esac
done
set -- "${all_args[@]}"
dotnet "$app" models pull --language-model "${settings[@]}" || true
exec dotnet "$app" "$@"
