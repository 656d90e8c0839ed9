#!/usr/bin/env bash
# Proves the Windows build: a framework-dependent win-x64 publish of the app (it cannot run here,
# but it must build) whose output holds the Windows audio backend and its NAudio assemblies, the
# managed MP3 decoder, and Whisper.net with its win-x64 native libraries.
#   scripts/check-windows-publish.sh [output-folder]   (default: a temporary folder, removed after)
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-}"
if [ -z "$out" ]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

start=$(date +%s)
if ! dotnet publish src/VoiceAgent -c Release -r win-x64 --self-contained false -o "$out" -v quiet -nologo -p:DebugType=none > "$out.log" 2>&1; then
  cat "$out.log" >&2
  echo "check-windows-publish: the win-x64 publish failed (output above)." >&2
  exit 1
fi
rm -f "$out.log"

required=(voice-agent.exe voice-agent.dll VoiceAgent.Audio.NAudio.dll NAudio.Core.dll NAudio.Wasapi.dll NAudio.WinMM.dll NLayer.dll
  Whisper.net.dll runtimes/win-x64/whisper.dll runtimes/win-x64/ggml-whisper.dll runtimes/win-x64/ggml-base-whisper.dll runtimes/win-x64/ggml-cpu-whisper.dll)
missing=()
for file in "${required[@]}"; do
  [ -f "$out/$file" ] || missing+=("$file")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-windows-publish: the win-x64 publish lacks: ${missing[*]}" >&2
  exit 1
fi
echo "check-windows-publish: win-x64 publish ok in $(( $(date +%s) - start )) s: NAudio backend, NLayer, Whisper.net with its win-x64 natives."
