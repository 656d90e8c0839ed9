#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages VoiceAgent uses, skipping those already present.
#   libespeak-ng1 espeak-ng-data : the embedded TTS server's synthesizer
#   libmp3lame0                  : MP3 encoding (the embedded server; decoding is managed code)
#   pulseaudio pulseaudio-utils  : audio devices (and the tests' private sound server)
#   python3-websockets sox       : black-box protocol tests and audio checks
#   tmux                         : the console tests' real terminal
#   pocketsphinx-en-us libpocketsphinx3 : the speech recognizer that needs no download (fallback)
set -euo pipefail

packages=(libespeak-ng1 espeak-ng-data espeak-ng libmp3lame0 libpulse0 pulseaudio pulseaudio-utils python3-websockets sox tmux
  pocketsphinx-en-us libpocketsphinx3)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "voice-agent setup: install these packages with your package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "voice-agent setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
