#!/usr/bin/env bash
# Puts the Silero VAD v5 model at models/silero_vad_v5.onnx and checks its sha256.
# Source: the npm package @ricky0123/vad-web@0.0.31 (package/dist/silero_vad_v5.onnx), MIT.
set -euo pipefail
cd "$(dirname "$0")/.."

expected=2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f
target=models/silero_vad_v5.onnx

matches() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$expected" ]; }

matches "$target" && exit 0
mkdir -p models
if ! command -v npm >/dev/null; then
  echo "voice-agent setup: npm is needed once to fetch the VAD model (or copy silero_vad_v5.onnx to $target); voice input stays off until then." >&2
  exit 0
fi
echo "voice-agent setup: downloading the Silero VAD model (npm pack @ricky0123/vad-web@0.0.31)…" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @ricky0123/vad-web@0.0.31 >/dev/null && tar -xzf ricky0123-vad-web-0.0.31.tgz package/dist/silero_vad_v5.onnx)
if ! matches "$work/package/dist/silero_vad_v5.onnx"; then
  echo "voice-agent setup: the downloaded VAD model has the wrong sha256; not installed." >&2
  exit 1
fi
cp "$work/package/dist/silero_vad_v5.onnx" "$target"
echo "voice-agent setup: VAD model ready ($target)." >&2
