#!/usr/bin/env bash
# Runs the assistant. First run: installs the system packages it needs, fetches the VAD model,
# builds, and downloads the default Whisper speech model. Arguments go to voice-agent (try
# ./run.sh --help).
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
# The default speech model, once (with progress). If it cannot be had, the command says why in
# one line and the assistant listens with PocketSphinx, or in text mode.
dotnet "$app" models pull --if-missing || true
exec dotnet "$app" "$@"
