#!/usr/bin/env bash
# Runs every test. Installs the system packages the tests need, fetches the VAD model, starts a
# private PulseAudio server (null sink + pipe source) for the device tests, and stops it after.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/system-packages.sh
bash scripts/fetch-vad-model.sh

pulse_env=$(mktemp)
if bash .ci/pulse-start.sh > "$pulse_env"; then
  # shellcheck disable=SC1090
  source "$pulse_env"
  trap 'bash .ci/pulse-stop.sh >/dev/null 2>&1 || true; rm -f "$pulse_env"' EXIT
else
  echo "test.sh: could not start PulseAudio; device tests will say so." >&2
fi

# One test assembly at a time (-m:1): several of them run in real time (PulseAudio devices, the
# virtual-room scenarios, the end-to-end host) and measure timelines; on a small machine they
# would otherwise take each other's CPU and measure the contention instead.
# Release, so that the Windows publish at the end reuses this build instead of compiling again.
dotnet build VoiceAgent.sln -c Release -v quiet -nologo
dotnet test VoiceAgent.sln -c Release --no-build -m:1 "$@"

# The Windows build (NAudio backend, Whisper.net natives) cannot run here, but it must publish.
bash scripts/check-windows-publish.sh
